import { cloneElement, type ReactElement, type ReactNode, useId } from 'react';

interface ControlProps {
  id?: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}

interface FieldProps {
  label: ReactNode;
  /** One input, select or textarea; it gets the label's id, the hint and the error wired to it. */
  children: ReactElement<ControlProps>;
  /** A line under the control that screen readers read with it. */
  hint?: ReactNode;
  /** Said under the control (and announced as it appears) and marks it invalid; none when empty. */
  error?: ReactNode;
  /**
   * Announce the error when it appears (role="alert", the default: an error found on submit). Off
   * for an error that follows each keystroke, which would cut the screen reader off at every key;
   * it is still read with the control (aria-describedby, aria-invalid).
   */
  announce?: boolean;
  className?: string;
  testId?: string;
  /** A checkbox or radio: the control first, its label beside it, any hint and error below. */
  check?: boolean;
  /** The label's own class: `visually-hidden` where the layout already names the control, or a list's label style. */
  labelClassName?: string;
}

/**
 * A labelled form control: the label, the control, an optional hint and an error, tied together
 * by ids so a screen reader reads the label, the hint and the error with the control.
 */
export function Field({
  label,
  children,
  hint,
  error,
  announce = true,
  className,
  testId,
  check = false,
  labelClassName,
}: FieldProps) {
  const own = useId();
  const id = children.props.id ?? own;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [children.props['aria-describedby'], hintId, errorId].filter(Boolean).join(' ') || undefined;
  const control = cloneElement(children, {
    id,
    'aria-describedby': describedBy,
    'aria-invalid': error ? true : children.props['aria-invalid'],
  });
  const base = check ? (hint || error ? 'check check--hinted' : 'check') : 'field';
  return (
    <div className={className ? `${base} ${className}` : base} data-testid={testId}>
      {!check && (
        <label htmlFor={id} className={labelClassName}>
          {label}
        </label>
      )}
      {control}
      {check && (
        <label htmlFor={id} className={labelClassName}>
          {label}
        </label>
      )}
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId} role={announce ? 'alert' : undefined}>
          {error}
        </p>
      )}
    </div>
  );
}
