import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { navigate } from '../../lib/router';
import { useLoad } from '../../lib/useLoad';
import { appStore } from '../../store';
import { previewLink, setLinkPassword } from './api';
import { InvalidLink } from './InvalidLink';
import { PasswordFields, type PasswordProblem, passwordProblem } from './PasswordFields';

/** An activation or reset link: the person sets their password and is signed in. */
export function LinkPasswordPage({ token }: { token: string }) {
  const { t, i18n } = useTranslation();
  const load = useLoad(() => previewLink(token), [token]);
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState<PasswordProblem>(null);
  const [error, setError] = useState<ClientErrorCode | null>(null);
  const [busy, setBusy] = useState(false);

  if (load.busy) {
    return (
      <p className="page hint" role="status">
        {t('app.loading')}
      </p>
    );
  }
  const preview = load.data;
  if (!preview || error === 'INVITATION_INVALID') return <InvalidLink />;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = passwordProblem(password, again);
    setProblem(found);
    if (found) return;
    setBusy(true);
    setError(null);
    try {
      appStore.getState().signedIn(await setLinkPassword(token, { password }));
      navigate('/', { replace: true });
    } catch (err) {
      setError(toClientErrorCode(err));
      setBusy(false);
    }
  };

  return (
    <div className="page login">
      <h1>{preview.purpose === 'activate' ? t('accounts.link.activateTitle') : t('accounts.link.resetTitle')}</h1>
      <form className="panel form" onSubmit={submit} noValidate aria-busy={busy || undefined}>
        <p className="muted">
          {t('accounts.link.intro', {
            name: preview.name,
            login: preview.login,
            until: formatDateTime(preview.expiresAt, i18n.language),
          })}
        </p>
        {/* The login name rides along for password managers, which pair it with the new password. */}
        <input type="hidden" autoComplete="username" value={preview.login} readOnly />
        <PasswordFields
          password={password}
          again={again}
          onPassword={setPassword}
          onAgain={setAgain}
          problem={problem}
        />
        <p role="alert" className="field-error">
          {error && t(`errors.${error}`)}
        </p>
        <button type="submit" className="button button--primary" disabled={busy} data-testid="link-submit">
          {t('accounts.link.submit')}
        </button>
      </form>
    </div>
  );
}
