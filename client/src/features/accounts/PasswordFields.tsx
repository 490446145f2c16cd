import { limits } from '@yitang/shared';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';

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
  const ids = { error: useId() };
  const min = limits.minPasswordLength;
  return (
    <>
      <Field label={props.label ?? t('accounts.password')} hint={t('accounts.passwordHint', { min })}>
        <input
          type="password"
          autoComplete="new-password"
          maxLength={limits.maxPasswordLength}
          value={props.password}
          onChange={(e) => props.onPassword(e.target.value)}
          aria-invalid={props.problem === 'passwordTooShort' || undefined}
          aria-describedby={props.problem === 'passwordTooShort' ? ids.error : undefined}
          data-testid="new-password"
        />
      </Field>
      <Field label={t('accounts.passwordAgain')}>
        <input
          type="password"
          autoComplete="new-password"
          maxLength={limits.maxPasswordLength}
          value={props.again}
          onChange={(e) => props.onAgain(e.target.value)}
          aria-invalid={props.problem === 'passwordMismatch' || undefined}
          aria-describedby={props.problem === 'passwordMismatch' ? ids.error : undefined}
          data-testid="new-password-again"
        />
      </Field>
      {props.problem && (
        <p id={ids.error} className="field-error" role="alert">
          {t(`accounts.${props.problem}`, { min })}
        </p>
      )}
    </>
  );
}
