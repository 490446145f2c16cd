import { useTranslation } from 'react-i18next';

interface StepperProps<S extends string> {
  /** The steps in order. */
  steps: readonly S[];
  /** The step reached; steps before it are done. */
  current: S;
  /** A step's name as shown. */
  label: (step: S) => string;
  /** Names the list for screen readers ("办理进度"). */
  ariaLabel: string;
  className?: string;
  testId?: string;
}

/**
 * The steps of a workflow with the current one marked: done steps show a tick (and say "done"
 * to screen readers), the current one is `aria-current="step"`, later ones are numbered.
 */
export function Stepper<S extends string>({ steps, current, label, ariaLabel, className, testId }: StepperProps<S>) {
  const { t } = useTranslation();
  const at = steps.indexOf(current);
  return (
    <ol className={className ? `stepper ${className}` : 'stepper'} aria-label={ariaLabel} data-testid={testId}>
      {steps.map((s, n) => (
        <li
          key={s}
          className={`stepper__step stepper__step--${n < at ? 'done' : n === at ? 'current' : 'next'}`}
          aria-current={n === at ? 'step' : undefined}
          data-step={s}
        >
          <span className="stepper__mark" aria-hidden="true">
            {n < at ? '✓' : n + 1}
          </span>
          <span className="stepper__label">
            {label(s)}
            {n < at && <span className="visually-hidden">{t('common.stepDone')}</span>}
          </span>
        </li>
      ))}
    </ol>
  );
}
