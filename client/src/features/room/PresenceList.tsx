import type { PresenceEntry, SessionRole } from '@yitang/shared';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../store';

const roleOrder: Record<SessionRole, number> = { firstConvener: 0, secondConvener: 1, member: 2 };

const byRole = (a: PresenceEntry, b: PresenceEntry) => roleOrder[a.role] - roleOrder[b.role];

export function PresenceList() {
  const { t } = useTranslation();
  const presence = useAppStore(useShallow((s) => [...s.presence].sort(byRole)));
  const youId = useAppStore((s) => s.you?.memberId);
  return (
    <section className="panel" aria-labelledby="presence-title">
      <h2 id="presence-title" data-testid="presence-count" data-count={presence.length}>
        {t('presence.title', { count: presence.length })}
      </h2>
      {presence.length === 0 && <p className="muted">{t('presence.empty')}</p>}
      <ul className="presence" data-testid="presence-list">
        {presence.map((p) => (
          <li key={p.memberId} data-testid={`presence-${p.memberId}`}>
            <span className="presence__name">
              {p.name}
              {p.memberId === youId && t('presence.you')}
            </span>
            <span className={`role role--${p.role}`}>{t(`presence.roles.${p.role}`)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
