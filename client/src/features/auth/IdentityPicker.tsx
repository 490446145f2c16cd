import type { MemberView } from '@yitang/shared';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import type { ClientErrorCode } from '../../lib/errors';
import { useAppStore } from '../../store';

function matches(member: MemberView, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (q === '') return true;
  return [member.name, member.title, member.sectorName ?? ''].some((field) => field.toLowerCase().includes(q));
}

/** Demo sign-in: pick one of the demo identities (only where the server offers it). */
export function IdentityPicker({ onSignedIn }: { onSignedIn: () => void }) {
  const { t } = useTranslation();
  const titleId = useId();
  const [query, setQuery] = useState('');
  const [error, setError] = useState<ClientErrorCode | null>(null);
  const members = useAppStore((s) => s.members);
  const membersStatus = useAppStore((s) => s.membersStatus);
  const loadError = useAppStore((s) => (s.membersStatus === 'error' ? s.authError : null));
  const busy = useAppStore((s) => s.authBusy);
  const loadMembers = useAppStore((s) => s.loadMembers);
  const signIn = useAppStore((s) => s.signIn);

  useEffect(() => {
    void loadMembers();
  }, [loadMembers]);

  const pick = async (memberId: string) => {
    setError(null);
    const failure = await signIn(memberId);
    if (failure) setError(failure);
    else onSignedIn();
  };

  const shown = members.filter((m) => matches(m, query));
  const shownError = error ?? loadError;

  return (
    <section className="panel identity" aria-labelledby={titleId} aria-busy={busy || undefined}>
      <h2 id={titleId}>{t('auth.chooseTitle')}</h2>
      <p className="muted">{t('auth.chooseIntro')}</p>
      <Field label={t('auth.search')}>
        <input
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          autoComplete="off"
          data-testid="identity-search"
        />
      </Field>
      <p role="status" className="hint">
        {membersStatus === 'loading' && t('app.loading')}
        {busy && t('auth.signingIn')}
      </p>
      {shownError && (
        <p role="alert" className="field-error">
          {t(`errors.${shownError}`)}
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
              onClick={() => void pick(m.id)}
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
