import type { MemberView } from '@yitang/shared';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store';

function matches(member: MemberView, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (q === '') return true;
  return [member.name, member.title, member.sectorName ?? ''].some((field) => field.toLowerCase().includes(q));
}

/** Stage-one sign-in: pick one of the demo identities. */
export function IdentityPicker({ headingLevel = 1 }: { headingLevel?: 1 | 2 }) {
  const { t } = useTranslation();
  const searchId = useId();
  const [query, setQuery] = useState('');
  const members = useAppStore((s) => s.members);
  const membersStatus = useAppStore((s) => s.membersStatus);
  const busy = useAppStore((s) => s.authBusy);
  const error = useAppStore((s) => s.authError);
  const loadMembers = useAppStore((s) => s.loadMembers);
  const signIn = useAppStore((s) => s.signIn);

  useEffect(() => {
    void loadMembers();
  }, [loadMembers]);

  const shown = members.filter((m) => matches(m, query));
  const Heading = headingLevel === 1 ? 'h1' : 'h2';

  return (
    <section className="panel identity" aria-labelledby="identity-title" aria-busy={busy || undefined}>
      <Heading id="identity-title">{t('auth.chooseTitle')}</Heading>
      <p className="muted">{t('auth.chooseIntro')}</p>
      <label htmlFor={searchId}>{t('auth.search')}</label>
      <input
        id={searchId}
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        autoComplete="off"
        data-testid="identity-search"
      />
      <p role="status" className="hint">
        {membersStatus === 'loading' && t('app.loading')}
        {busy && t('auth.signingIn')}
      </p>
      {error && (
        <p role="alert" className="field-error">
          {t(`errors.${error}`)}
        </p>
      )}
      {membersStatus === 'ready' && shown.length === 0 && <p className="muted">{t('auth.noMatch')}</p>}
      <ul className="identity__list" data-testid="identity-list">
        {shown.map((m) => (
          <li key={m.id}>
            <button
              type="button"
              className="identity__item"
              disabled={busy}
              onClick={() => void signIn(m.id)}
              data-testid={`identity-${m.id}`}
            >
              <span className="identity__name">{m.name}</span>
              <span className="identity__title">{m.title}</span>
              <span className="identity__sector">{m.sectorName ?? t('auth.noSector')}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
