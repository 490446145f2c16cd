import { limits } from '@yitang/shared';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

export type PasswordProblem = 'passwordTooShort' | 'passwordMismatch' | null;

/** What is wrong with a new password and its repetition, if anything. */
export function passwordProblem(password: string, again: string): PasswordProblem {
  if (password.length < limits.minPasswordLength) return 'passwordTooShort';
  if (password !== again) return 'passwordMismatch';
  return null;
}

/** A new password typed twice, each labelled, with the rule and any problem read out with the field. */
export function PasswordFields(props: {
  password: string;
  again: string;
  onPassword: (v: string) => void;
  onAgain: (v: string) => void;
  problem: PasswordProblem;
  label?: string;
}) {
  const { t } = useTranslation();
  const ids = { pass: useId(), again: useId(), hint: useId(), error: useId() };
  const min = limits.minPasswordLength;
  return (
    <>
      <div className="field">
        <label htmlFor={ids.pass}>{props.label ?? t('accounts.password')}</label>
        <input
          id={ids.pass}
          type="password"
          autoComplete="new-password"
          maxLength={limits.maxPasswordLength}
          value={props.password}
          onChange={(e) => props.onPassword(e.target.value)}
          aria-invalid={props.problem === 'passwordTooShort' || undefined}
          aria-describedby={props.problem === 'passwordTooShort' ? `${ids.hint} ${ids.error}` : ids.hint}
          data-testid="new-password"
        />
        <p id={ids.hint} className="hint">
          {t('accounts.passwordHint', { min })}
        </p>
      </div>
      <div className="field">
        <label htmlFor={ids.again}>{t('accounts.passwordAgain')}</label>
        <input
          id={ids.again}
          type="password"
          autoComplete="new-password"
          maxLength={limits.maxPasswordLength}
          value={props.again}
          onChange={(e) => props.onAgain(e.target.value)}
          aria-invalid={props.problem === 'passwordMismatch' || undefined}
          aria-describedby={props.problem === 'passwordMismatch' ? ids.error : undefined}
          data-testid="new-password-again"
        />
      </div>
      {props.problem && (
        <p id={ids.error} className="field-error" role="alert">
          {t(`accounts.${props.problem}`, { min })}
        </p>
      )}
    </>
  );
}
