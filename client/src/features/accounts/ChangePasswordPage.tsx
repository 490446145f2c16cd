import { limits } from '@yitang/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { SignedIn } from '../../components/SignedIn';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import { changePasswordPath } from '../../lib/router';
import { changePassword } from './api';
import { PasswordFields, type PasswordProblem, passwordProblem } from './PasswordFields';

/** Changing one's own password: the current one, then the new one twice. */
export function ChangePasswordPage() {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState<PasswordProblem>(null);
  const [error, setError] = useState<ClientErrorCode | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = passwordProblem(password, again);
    setProblem(found);
    setDone(false);
    if (found) return;
    setBusy(true);
    setError(null);
    try {
      await changePassword({ current, password });
      setDone(true);
      setCurrent('');
      setPassword('');
      setAgain('');
    } catch (err) {
      setError(toClientErrorCode(err));
    }
    setBusy(false);
  };

  return (
    <SignedIn returnTo={changePasswordPath}>
      {() => (
        <div className="page login">
          <h1>{t('accounts.change.title')}</h1>
          <form className="panel form" onSubmit={submit} noValidate aria-busy={busy || undefined}>
            <Field label={t('accounts.change.current')}>
              <input
                type="password"
                autoComplete="current-password"
                maxLength={limits.maxPasswordLength}
                value={current}
                onChange={(e) => setCurrent(e.target.value)}
                data-testid="current-password"
              />
            </Field>
            <PasswordFields
              password={password}
              again={again}
              onPassword={setPassword}
              onAgain={setAgain}
              problem={problem}
              label={t('accounts.change.next')}
            />
            <p role="alert" className="field-error">
              {error && t(`errors.${error}`)}
            </p>
            <p role="status">{done && t('accounts.change.done')}</p>
            <button type="submit" className="button button--primary" disabled={busy} data-testid="change-password">
              {t('accounts.change.submit')}
            </button>
          </form>
        </div>
      )}
    </SignedIn>
  );
}
