import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { appStore, useAppStore } from '../store';

interface ConfirmButtonProps {
  /** Identifies this confirm step; only one is open on the page at a time. */
  confirmKey: string;
  question: string;
  onConfirm: () => void;
  children: ReactNode;
  testId?: string;
  className?: string;
  ariaLabel?: string;
  disabled?: boolean;
  describedBy?: string;
}

/**
 * A button that asks before it acts: the question and a yes / cancel pair replace it, focus moves
 * to "yes", Escape or cancel puts focus back on the button.
 */
export function ConfirmButton(props: ConfirmButtonProps) {
  const { t } = useTranslation();
  const questionId = useId();
  const open = useAppStore((s) => s.confirmKey === props.confirmKey);
  const askConfirm = useAppStore((s) => s.askConfirm);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const yesRef = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);

  // A confirm step whose button goes away (the session moved on, the person left) closes with it.
  useEffect(() => {
    const key = props.confirmKey;
    return () => {
      if (appStore.getState().confirmKey === key) appStore.getState().askConfirm(null);
    };
  }, [props.confirmKey]);

  useEffect(() => {
    if (open) yesRef.current?.focus();
    else if (refocus.current) {
      refocus.current = false;
      triggerRef.current?.focus();
    }
  }, [open]);

  const cancel = () => {
    refocus.current = true;
    askConfirm(null);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLFieldSetElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      cancel();
    }
  };

  if (open) {
    return (
      <fieldset className="confirm" onKeyDown={onKeyDown}>
        <legend id={questionId} className="confirm__question">
          {props.question}
        </legend>
        <div className="confirm__actions">
          <button
            ref={yesRef}
            type="button"
            className="button button--primary button--small"
            onClick={() => {
              askConfirm(null);
              props.onConfirm();
            }}
            data-testid="confirm-yes"
          >
            {t('confirm.yes')}
          </button>
          <button type="button" className="button button--small" onClick={cancel} data-testid="confirm-no">
            {t('confirm.no')}
          </button>
        </div>
      </fieldset>
    );
  }
  return (
    <button
      ref={triggerRef}
      type="button"
      className={props.className ?? 'button'}
      aria-label={props.ariaLabel}
      aria-describedby={props.describedBy}
      disabled={props.disabled}
      onClick={() => askConfirm(props.confirmKey)}
      data-testid={props.testId}
    >
      {props.children}
    </button>
  );
}
