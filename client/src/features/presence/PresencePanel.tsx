import type { PresenceEntry, SessionRole } from '@yitang/shared';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Section } from '../../components/Section';
import { useAppStore } from '../../store';
import { useCapability } from '../room/hooks';
import { call } from '../room/roomSocket';

const roleOrder: Record<SessionRole, number> = {
  firstConvener: 0,
  secondConvener: 1,
  leader: 2,
  member: 3,
  departmentRep: 4,
  stakeholder: 5,
  citizenRep: 6,
  recorder: 7,
  staff: 8,
  observer: 9,
};

const byRole = (a: PresenceEntry, b: PresenceEntry) => roleOrder[a.role] - roleOrder[b.role];
const isConvener = (role: SessionRole) => role === 'firstConvener' || role === 'secondConvener';

function PresenceRow({ entry, youId }: { entry: PresenceEntry; youId: string | undefined }) {
  const { t } = useTranslation();
  const mute = useCapability('moderation:mute');
  const remove = useCapability('moderation:remove');
  const name = entry.name;
  const moderatable = entry.memberId !== youId && !isConvener(entry.role);
  return (
    <li
      className="presence__row"
      data-testid={`presence-${entry.memberId}`}
      data-online={entry.online}
      data-in-hall={entry.inHall}
      data-muted={entry.muted}
    >
      <span className="presence__who">
        <span className="presence__name">
          {name}
          {entry.memberId === youId && t('presence.you')}
        </span>
        <span className={`role role--${entry.role}`}>{t(`roles.${entry.role}`)}</span>
      </span>
      <span className="presence__marks">
        {entry.inHall && <span className="mark mark--hall">{t('presence.inHall')}</span>}
        {entry.online && <span className="mark mark--online">{t('presence.online')}</span>}
        {!entry.inHall && !entry.online && <span className="mark">{t('presence.away')}</span>}
        {entry.muted && (
          <span className="mark mark--muted" data-testid={`muted-${entry.memberId}`}>
            {t('presence.muted')}
          </span>
        )}
      </span>
      {moderatable && (mute.shown || remove.shown) && (
        <span className="presence__tools">
          {mute.shown && (
            <button
              type="button"
              className="button button--small"
              aria-pressed={entry.muted}
              aria-label={entry.muted ? t('presence.unmuteLabel', { name }) : t('presence.muteLabel', { name })}
              disabled={mute.hindrance !== null}
              onClick={() => void call('moderation:mute', { memberId: entry.memberId, muted: !entry.muted })}
              data-testid={`mute-${entry.memberId}`}
            >
              {entry.muted ? t('presence.unmute') : t('presence.mute')}
            </button>
          )}
          {remove.shown && (
            <ConfirmButton
              confirmKey={`remove:${entry.memberId}`}
              question={t('presence.removeConfirm', { name })}
              onConfirm={() => void call('moderation:remove', { memberId: entry.memberId })}
              className="button button--small button--danger"
              ariaLabel={t('presence.removeLabel', { name })}
              disabled={remove.hindrance !== null}
              testId={`remove-${entry.memberId}`}
            >
              {t('presence.remove')}
            </ConfirmButton>
          )}
        </span>
      )}
    </li>
  );
}

/** Who is here, where (hall / online), their roles; conveners mute and remove. */
export function PresencePanel() {
  const { t } = useTranslation();
  const presence = useAppStore(useShallow((s) => [...s.presence].sort(byRole)));
  const youId = useAppStore((s) => s.you?.memberId);
  return (
    <Section
      title={
        <span data-testid="presence-count" data-count={presence.length}>
          {t('presence.title', { count: presence.length })}
        </span>
      }
      titleText={t('presence.title', { count: presence.length })}
      testId="presence-panel"
    >
      {presence.length === 0 && <p className="muted">{t('presence.empty')}</p>}
      <ul className="presence" data-testid="presence-list">
        {presence.map((p) => (
          <PresenceRow key={p.memberId} entry={p} youId={youId} />
        ))}
      </ul>
    </Section>
  );
}
