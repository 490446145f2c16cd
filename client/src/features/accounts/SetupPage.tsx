import { limits } from '@yitang/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import { navigate } from '../../lib/router';
import { useLoad } from '../../lib/useLoad';
import { appStore } from '../../store';
import { checkSetup, runSetup } from './api';
import { InvalidLink } from './InvalidLink';
import { PasswordFields, type PasswordProblem, passwordProblem } from './PasswordFields';

/** The one-time setup link printed at first start: whoever opens it creates the administrator. */
export function SetupPage({ token }: { token: string }) {
  const { t } = useTranslation();
  const check = useLoad(() => checkSetup(token), [token]);
  const state = check.busy ? 'loading' : check.error ? 'invalid' : 'ready';
  const [name, setName] = useState('');
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState<PasswordProblem>(null);
  const [error, setError] = useState<ClientErrorCode | null>(null);
  const [busy, setBusy] = useState(false);

  if (state === 'loading') {
    return (
      <p className="page hint" role="status">
        {t('app.loading')}
      </p>
    );
  }
  if (state === 'invalid' || error === 'INVITATION_INVALID') return <InvalidLink />;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = passwordProblem(password, again);
    setProblem(found);
    if (found) return;
    setBusy(true);
    setError(null);
    try {
      const member = await runSetup(token, { name: name.trim(), login: login.trim(), password });
      appStore.getState().signedIn(member);
      navigate('/accounts', { replace: true });
    } catch (err) {
      setError(toClientErrorCode(err));
      setBusy(false);
    }
  };

  return (
    <div className="page login">
      <h1>{t('accounts.setup.title')}</h1>
      <form className="panel form" onSubmit={submit} noValidate aria-busy={busy || undefined}>
        <p className="muted">{t('accounts.setup.intro')}</p>
        <Field label={t('accounts.setup.name')}>
          <input
            type="text"
            autoComplete="name"
            required
            maxLength={limits.maxNameLength}
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="setup-name"
          />
        </Field>
        <Field label={t('accounts.setup.login')} hint={t('accounts.setup.loginHint')}>
          <input
            type="text"
            autoComplete="username"
            autoCapitalize="none"
            required
            maxLength={40}
            value={login}
            onChange={(e) => setLogin(e.target.value)}
            data-testid="setup-login"
          />
        </Field>
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
        <button type="submit" className="button button--primary" disabled={busy} data-testid="setup-submit">
          {t('accounts.setup.submit')}
        </button>
      </form>
    </div>
  );
}
