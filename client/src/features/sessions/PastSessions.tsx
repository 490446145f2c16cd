import { type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * 往期协商: past sessions folded under a heading button (the disclosure pattern), closed at
 * first on every screen, so the live and coming sessions are what a member sees and hears first.
 */
export function PastSessions({
  count,
  testId,
  level = 2,
  children,
}: {
  count: number;
  testId: string;
  /** The heading's level where the list sits (3 inside a panel with its own heading). */
  level?: 2 | 3;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const bodyId = useId();
  const [open, setOpen] = useState(false);
  if (count === 0) return null;
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className="past-sessions" data-testid={testId}>
      <Heading>
        <button
          type="button"
          className="fold"
          aria-expanded={open}
          aria-controls={bodyId}
          onClick={() => setOpen((o) => !o)}
        >
          <span className="fold__mark" aria-hidden="true">
            {open ? '▾' : '▸'}
          </span>
          {t('sessionPlan.past.title', { count })}
        </button>
      </Heading>
      <div id={bodyId} hidden={!open}>
        {open && children}
      </div>
    </section>
  );
}
