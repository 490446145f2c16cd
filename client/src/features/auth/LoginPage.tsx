import { limits } from '@yitang/shared';
import { type FormEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { Field } from '../../components/Field';
import type { ClientErrorCode } from '../../lib/errors';
import { Link, navigate } from '../../lib/router';
import { useAppStore } from '../../store';
import { IdentityPicker } from './IdentityPicker';
import { OidcSignIn } from './OidcSignIn';

type FieldProblem = 'usernameMissing' | 'passwordMissing';

/** Sign in with a login name and password; below, the demo identities where the server offers them. */
export function LoginPage({ next }: { next: string }) {
  const { t } = useTranslation();
  const ids = { error: useId() };
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [error, setError] = useState<ClientErrorCode | null>(null);
  const userRef = useRef<HTMLInputElement>(null);
  const passRef = useRef<HTMLInputElement>(null);
  const me = useAppStore((s) => s.me);
  const meStatus = useAppStore((s) => s.meStatus);
  const demoLogin = useAppStore((s) => s.demoLogin);
  const busy = useAppStore((s) => s.authBusy);
  const passwordSignIn = useAppStore((s) => s.passwordSignIn);

  const done = () => navigate(next, { replace: true });

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: FieldProblem[] = [];
    if (username.trim() === '') found.push('usernameMissing');
    if (password === '') found.push('passwordMissing');
    setProblems(found);
    setError(null);
    if (found.length > 0) {
      (found[0] === 'usernameMissing' ? userRef : passRef).current?.focus();
      return;
    }
    const failure = await passwordSignIn({ username: username.trim(), password });
    if (failure) {
      setError(failure);
      setPassword('');
      passRef.current?.focus();
    } else done();
  };

  const userMissing = problems.includes('usernameMissing');
  const passMissing = problems.includes('passwordMissing');

  return (
    <div className="page login">
      <h1>{t('auth.loginTitle')}</h1>
      {me && (
        <Banner testId="already-signed-in">
          {t('auth.alreadySignedIn', { name: me.name })} <Link to={next}>{t('auth.continue')}</Link>
        </Banner>
      )}
      <form className="panel form" onSubmit={submit} noValidate aria-busy={busy || undefined}>
        <p className="muted">{t('auth.loginIntro')}</p>
        <Field label={t('auth.username')} error={userMissing ? t('auth.usernameMissing') : undefined}>
          <input
            ref={userRef}
            type="text"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={limits.maxNameLength}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            data-testid="login-username"
          />
        </Field>
        <Field label={t('auth.password')} error={passMissing ? t('auth.passwordMissing') : undefined}>
          <input
            ref={passRef}
            type="password"
            name="password"
            autoComplete="current-password"
            maxLength={limits.maxPasswordLength}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={error === 'BAD_CREDENTIALS' || undefined}
            aria-describedby={error ? ids.error : undefined}
            data-testid="login-password"
          />
        </Field>
        <p id={ids.error} role="alert" className="field-error" data-testid="login-error">
          {error && t(`errors.${error}`)}
        </p>
        <button type="submit" className="button button--primary" disabled={busy} data-testid="login-submit">
          {busy ? t('auth.signingIn') : t('auth.submit')}
        </button>
      </form>
      <OidcSignIn next={next} />
      {meStatus === 'ready' && demoLogin && <IdentityPicker onSignedIn={done} />}
    </div>
  );
}
