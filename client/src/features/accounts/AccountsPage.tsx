import { type AccountLink, mayManageAccount, StaffCreatedKind } from '@yitang/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { SignedIn } from '../../components/SignedIn';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { accountsPath } from '../../lib/router';
import { useLoad } from '../../lib/useLoad';
import { useAppStore } from '../../store';
import { useSsoEnabled } from '../auth/OidcSignIn';
import { createAccount, fetchAccounts, resetLink, setActive } from './api';
import { OidcLink } from './OidcLink';

/** A link just made, to copy into SMS or WeChat; shown once (the server keeps only its hash). */
function LinkToPass({ link }: { link: AccountLink }) {
  const { t, i18n } = useTranslation();
  const [copied, setCopied] = useState(false);
  const url = `${window.location.origin}${link.path}`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // No clipboard (plain http, or refused): the link stays selectable on screen.
    }
  };
  return (
    <div className="banner" role="status" data-testid="account-link">
      <p>
        {t('accounts.list.linkFor', {
          name: link.account.name,
          purpose: t(`accounts.list.${link.purpose}`),
          until: formatDateTime(link.expiresAt, i18n.language),
        })}
      </p>
      <p>
        <code className="account-link">{url}</code>
      </p>
      {link.mail === 'sent' && <p data-testid="account-link-mail">{t('accounts.list.mailSent')}</p>}
      {link.mail === 'failed' && (
        <p className="field-error" data-testid="account-link-mail">
          {t('accounts.list.mailFailed')}
        </p>
      )}
      <button type="button" className="button button--small" onClick={() => void copy()}>
        {copied ? t('accounts.list.copied') : t('accounts.list.copy')}
      </button>
    </div>
  );
}

function CreateAccountForm({ onCreated, admin }: { onCreated: (link: AccountLink) => void; admin: boolean }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<StaffCreatedKind>('member');
  const [login, setLogin] = useState('');
  const [title, setTitle] = useState('');
  const [error, setError] = useState<ClientErrorCode | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onCreated(await createAccount({ name: name.trim(), kind, login: login.trim(), title: title.trim() }));
      setName('');
      setLogin('');
      setTitle('');
    } catch (err) {
      setError(toClientErrorCode(err));
    }
    setBusy(false);
  };
  return (
    <form className="panel form" onSubmit={submit} aria-busy={busy || undefined}>
      <h2>{t('accounts.list.create')}</h2>
      <Field label={t('accounts.list.name')}>
        <input required value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label={t('accounts.list.kind')}>
        <select value={kind} onChange={(e) => setKind(StaffCreatedKind.parse(e.target.value))}>
          {/* Staff accounts are the administrator's to create (the server refuses others). */}
          {StaffCreatedKind.options
            .filter((k) => mayManageAccount(k, admin))
            .map((k) => (
              <option key={k} value={k}>
                {t(`accounts.list.kinds.${k}`)}
              </option>
            ))}
        </select>
      </Field>
      <Field label={t('accounts.list.login')}>
        <input required autoCapitalize="none" maxLength={40} value={login} onChange={(e) => setLogin(e.target.value)} />
      </Field>
      <Field label={t('accounts.list.post')}>
        <input value={title} onChange={(e) => setTitle(e.target.value)} />
      </Field>
      <p role="alert" className="field-error">
        {error && t(`errors.${error}`)}
      </p>
      <button type="submit" className="button button--primary" disabled={busy}>
        {t('accounts.list.submit')}
      </button>
    </form>
  );
}

function AccountsList({ meId }: { meId: string }) {
  const { t } = useTranslation();
  // The table stays while an action's change reloads it.
  const { data: accounts, error: loadError, reload } = useLoad(fetchAccounts, [], { keep: true });
  const [link, setLink] = useState<AccountLink | null>(null);
  const [actError, setActError] = useState<ClientErrorCode | null>(null);
  const error = actError ?? loadError;
  const act = async (run: () => Promise<unknown>) => {
    setActError(null);
    try {
      await run();
    } catch (err) {
      setActError(toClientErrorCode(err));
    }
    reload();
  };
  const admin = accounts?.find((a) => a.id === meId)?.admin === true;
  const sso = useSsoEnabled();
  return (
    <>
      <CreateAccountForm
        admin={admin}
        onCreated={(made) => {
          setLink(made);
          reload();
        }}
      />
      {link && <LinkToPass link={link} />}
      <p role="alert" className="field-error">
        {error && t(`errors.${error}`)}
      </p>
      {accounts && (
        <div className="table-scroll">
          <table className="table" data-testid="accounts-table">
            <thead>
              <tr>
                <th scope="col">{t('accounts.list.name')}</th>
                <th scope="col">{t('accounts.list.login')}</th>
                <th scope="col">{t('accounts.list.status')}</th>
                <th scope="col">{t('accounts.list.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((a) => (
                <tr key={a.id}>
                  <th scope="row">
                    {a.name} <span className="muted">{t(`accounts.list.kinds.${a.kind}`)}</span>
                    {a.demo && <span className="muted"> · {t('accounts.list.demo')}</span>}
                  </th>
                  <td>{a.login ?? '—'}</td>
                  <td>{t(`accounts.list.${a.status}`)}</td>
                  <td>
                    {a.status !== 'deactivated' && mayManageAccount(a.kind, admin) && (
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => void act(async () => setLink(await resetLink(a.id)))}
                        aria-label={t('accounts.list.actionFor', {
                          action: t('accounts.list.resetLink'),
                          name: a.name,
                        })}
                      >
                        {t('accounts.list.resetLink')}
                      </button>
                    )}{' '}
                    {a.id !== meId && mayManageAccount(a.kind, admin) && (
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => void act(() => setActive(a.id, a.status === 'deactivated'))}
                        aria-label={t('accounts.list.actionFor', {
                          action:
                            a.status === 'deactivated' ? t('accounts.list.reactivate') : t('accounts.list.deactivate'),
                          name: a.name,
                        })}
                      >
                        {a.status === 'deactivated' ? t('accounts.list.reactivate') : t('accounts.list.deactivate')}
                      </button>
                    )}{' '}
                    {sso && mayManageAccount(a.kind, admin) && <OidcLink account={a} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** Staff: every account, a form to create one (with its activation link), reset links, deactivation. */
export function AccountsPage() {
  const { t } = useTranslation();
  const staff = useAppStore((s) => s.me?.kind === 'staff');
  return (
    <SignedIn returnTo={accountsPath}>
      {(meId) => (
        <div className="page">
          <h1>{t('accounts.list.title')}</h1>
          <p className="muted">{t('accounts.list.intro')}</p>
          {staff ? (
            <AccountsList meId={meId} />
          ) : (
            <p className="field-error" role="alert">
              {t('errors.FORBIDDEN')}
            </p>
          )}
        </div>
      )}
    </SignedIn>
  );
}
