import { type ReactNode, useEffect, useId, useRef } from 'react';

interface PopoverProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The trigger's content (its text is the button's name). */
  label: ReactNode;
  /** The panel's accessible name. */
  title: string;
  children: ReactNode;
  className?: string;
  buttonClassName?: string;
  testId?: string;
  buttonTestId?: string;
  buttonData?: Record<`data-${string}`, string | number>;
}

/**
 * A button that opens a panel floating over the page (it never pushes the layout): Escape, a
 * click outside or the button close it, and the focus goes back to the button when it closed
 * from inside. On a phone the panel spans the screen's width under the header.
 */
export function Popover(props: PopoverProps) {
  const { open, onOpenChange } = props;
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (rootRef.current && event.target instanceof Node && !rootRef.current.contains(event.target)) {
        onOpenChange(false);
      }
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open, onOpenChange]);

  return (
    <div ref={rootRef} className={`popover ${props.className ?? ''}`.trim()} data-testid={props.testId}>
      <button
        ref={buttonRef}
        type="button"
        className={`popover__button ${props.buttonClassName ?? ''}`.trim()}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => onOpenChange(!open)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onOpenChange(false);
        }}
        data-testid={props.buttonTestId}
        {...props.buttonData}
      >
        {props.label}
      </button>
      {open && (
        <section
          id={panelId}
          className="panel popover__panel"
          aria-label={props.title}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              onOpenChange(false);
              buttonRef.current?.focus();
            }
          }}
        >
          {props.children}
        </section>
      )}
    </div>
  );
}
