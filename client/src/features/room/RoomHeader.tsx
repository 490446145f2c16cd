import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { ConfirmButton } from '../../components/ConfirmButton';
import { HindranceNote } from '../../components/HindranceNote';
import { useAppStore } from '../../store';
import { useCapability } from './hooks';
import { call } from './roomSocket';

/** Start, close and lock: for the chairs, each with its confirm step where it cannot be undone. */
function SessionControls() {
  const { t } = useTranslation();
  const lockNoteId = useId();
  const state = useAppStore((s) => s.session?.state);
  const locked = useAppStore((s) => s.session?.locked ?? false);
  const start = useCapability('session:start');
  const close = useCapability('session:close');
  const lock = useCapability('room:lock');
  if (!start.shown && !close.shown && !lock.shown) return null;
  if (state === 'closed') return null;
  return (
    <div className="session-controls">
      <h2 className="visually-hidden">{t('session.controlsTitle')}</h2>
      {state === 'scheduled' && start.shown && (
        <ConfirmButton
          confirmKey="session:start"
          question={t('session.startConfirm')}
          onConfirm={() => void call('session:start', {})}
          className="button button--primary"
          testId="session-start"
        >
          {t('session.start')}
        </ConfirmButton>
      )}
      {state === 'live' && close.shown && (
        <ConfirmButton
          confirmKey="session:close"
          question={t('session.closeConfirm')}
          onConfirm={() => void call('session:close', {})}
          className="button button--danger"
          testId="session-close"
        >
          {t('session.close')}
        </ConfirmButton>
      )}
      {lock.shown && (
        <>
          <button
            type="button"
            className="button"
            aria-pressed={locked}
            aria-describedby={lockNoteId}
            disabled={lock.hindrance !== null}
            onClick={() => void call('room:lock', { locked: !locked })}
            data-testid="room-lock"
            data-locked={locked}
          >
            {t('session.lock')}
          </button>
          <p id={lockNoteId} className="hint session-controls__note">
            {t('session.lockHint')}
          </p>
          <HindranceNote id={`${lockNoteId}-h`} hindrance={lock.hindrance} />
        </>
      )}
    </div>
  );
}

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
            {session.locked && (
              <span className="badge badge--locked" data-testid="room-locked">
                {t('session.locked')}
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('session.modeLabel')}</dt>
          <dd data-testid="session-mode" data-mode={session.mode}>
            {t(`session.mode.${session.mode}`)}
          </dd>
        </div>
      </dl>
      {you && (
        <p className="room-header__you" data-testid="room-you" data-role={you.role}>
          {t('room.you', { name: you.name, role: t(`roles.${you.role}`) })}
        </p>
      )}
      {session.state === 'closed' && <Banner testId="session-closed-note">{t('session.closedNote')}</Banner>}
      <SessionControls />
    </header>
  );
}
