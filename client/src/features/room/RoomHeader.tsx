import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store';

export function RoomHeader() {
  const { t } = useTranslation();
  const session = useAppStore((s) => s.session);
  const you = useAppStore((s) => s.you);
  if (!session) return null;
  return (
    <header className="room-header">
      <p className="room-header__room">{session.roomName}</p>
      <h1 id="room-title">{session.topic}</h1>
      <dl className="room-header__facts">
        <div>
          <dt>{t('session.stateLabel')}</dt>
          <dd>
            <span className={`badge badge--${session.state}`} data-testid="session-state" data-state={session.state}>
              {t(`session.state.${session.state}`)}
            </span>
          </dd>
        </div>
        <div>
          <dt>{t('session.modeLabel')}</dt>
          <dd>{t(`session.mode.${session.mode}`)}</dd>
        </div>
      </dl>
      {you && (
        <p className="room-header__you" data-testid="room-you">
          {t('room.you', { name: you.name, role: t(`presence.roles.${you.role}`) })}
        </p>
      )}
    </header>
  );
}
