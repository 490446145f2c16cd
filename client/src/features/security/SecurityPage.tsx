import type { AuditEntryView, AuditQuery, LoginFailureView } from '@yitang/shared';
import { auditPageSize } from '@yitang/shared';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { fetchAudit, fetchLoginFailures } from './api';
import '../hotline/hotline.css';

function ErrorLine({ code }: { code: ClientErrorCode | null }) {
  const { t } = useTranslation();
  if (!code) return null;
  return (
    <p role="alert" className="field-error">
      {t(`errors.${code}`)}
    </p>
  );
}

function Failures() {
  const { t, i18n } = useTranslation();
  const [failures, setFailures] = useState<LoginFailureView[] | null>(null);
  const [error, setError] = useState<ClientErrorCode | null>(null);
  useEffect(() => {
    fetchLoginFailures().then(setFailures, (err: unknown) => setError(toClientErrorCode(err)));
  }, []);
  return (
    <section aria-labelledby="security-failures">
      <h2 id="security-failures">{t('security.failures.title')}</h2>
      <ErrorLine code={error} />
      {failures?.length === 0 && <p>{t('security.failures.empty')}</p>}
      {failures && failures.length > 0 && (
        <table className="hotline-table" data-testid="login-failures">
          <thead>
            <tr>
              <th scope="col">{t('security.failures.at')}</th>
              <th scope="col">{t('security.failures.username')}</th>
              <th scope="col">{t('security.failures.address')}</th>
              <th scope="col">{t('security.failures.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {failures.map((f) => (
              <tr key={`${f.at}-${f.username}-${f.address}`}>
                <td>{formatDateTime(f.at, i18n.language)}</td>
                <td>{f.username}</td>
                <td>{f.address}</td>
                <td>{t(`security.failures.${f.reason}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function AuditLog() {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState({ action: '', actor: '', target: '' });
  const [filter, setFilter] = useState<AuditQuery>({});
  const [entries, setEntries] = useState<AuditEntryView[]>([]);
  /** The action filter the shown entries answer (the table says so; a newer filter replaces it). */
  const [shownAction, setShownAction] = useState('');
  const [more, setMore] = useState(false);
  const [error, setError] = useState<ClientErrorCode | null>(null);
  const latest = useRef(0);

  const load = useCallback(async (query: AuditQuery, append: boolean) => {
    setError(null);
    const request = ++latest.current;
    try {
      const page = await fetchAudit(query);
      // An older request answering late (the unfiltered first load) must not replace a newer one's list.
      if (request !== latest.current) return;
      setEntries((old) => (append ? [...old, ...page] : page));
      setShownAction(query.action ?? '');
      setMore(page.length === auditPageSize);
    } catch (err) {
      if (request === latest.current) setError(toClientErrorCode(err));
    }
  }, []);

  useEffect(() => {
    void load(filter, false);
  }, [filter, load]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilter({
      action: draft.action.trim() || undefined,
      actor: draft.actor.trim() || undefined,
      target: draft.target.trim() || undefined,
    });
  };
  const last = entries.at(-1);

  return (
    <section aria-labelledby="security-audit">
      <h2 id="security-audit">{t('security.audit.title')}</h2>
      <form onSubmit={apply} aria-label={t('security.audit.filters')} className="security-filters">
        {(['action', 'actor', 'target'] as const).map((key) => (
          <span key={key}>
            <Field className="field--inline" label={t(`security.audit.${key}`)}>
              <input
                value={draft[key]}
                maxLength={key === 'target' ? 200 : 80}
                onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
                data-testid={`audit-filter-${key}`}
              />
            </Field>{' '}
          </span>
        ))}
        <button type="submit">{t('security.audit.apply')}</button>{' '}
        <button
          type="button"
          onClick={() => {
            setDraft({ action: '', actor: '', target: '' });
            setFilter({});
          }}
        >
          {t('security.audit.clear')}
        </button>
      </form>
      <ErrorLine code={error} />
      {entries.length === 0 && !error && <p>{t('security.audit.empty')}</p>}
      {entries.length > 0 && (
        <table className="hotline-table" data-testid="audit-log" data-action-filter={shownAction}>
          <thead>
            <tr>
              <th scope="col">{t('security.audit.seq')}</th>
              <th scope="col">{t('security.audit.at')}</th>
              <th scope="col">{t('security.audit.actor')}</th>
              <th scope="col">{t('security.audit.action')}</th>
              <th scope="col">{t('security.audit.target')}</th>
              <th scope="col">{t('security.audit.details')}</th>
              <th scope="col">{t('security.audit.hash')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.seq} data-action={e.action}>
                <td>{e.seq}</td>
                <td>{formatDateTime(e.at, i18n.language)}</td>
                <td>
                  {e.actor
                    ? t('common.withAside', { main: e.actor.name, aside: e.actor.id })
                    : t('security.audit.system')}
                </td>
                <td>{e.action}</td>
                <td>{e.target ?? '—'}</td>
                <td>
                  <code>{JSON.stringify(e.details)}</code>
                </td>
                <td>
                  <code title={e.hash}>{e.hash.slice(0, 12)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {more && last && (
        <button type="button" onClick={() => void load({ ...filter, before: last.seq }, true)}>
          {t('security.audit.more')}
        </button>
      )}
    </section>
  );
}

/** Staff: the audit log with filters, and the recent failed sign-ins. */
export function SecurityPage() {
  const { t } = useTranslation();
  return (
    <div className="hotline-page" data-testid="security-page">
      <h1>{t('security.title')}</h1>
      <p>{t('security.intro')}</p>
      <Failures />
      <AuditLog />
    </div>
  );
}
