import { type ReactNode, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Wide screens show every panel; on a phone the console panels start folded. */
const wideScreen = () => typeof window !== 'undefined' && window.matchMedia?.('(min-width: 720px)').matches === true;

interface SectionProps {
  title: ReactNode;
  /** Plain text of the title for the fold button's label. */
  titleText: string;
  children: ReactNode;
  /** Foldable (the disclosure pattern); open by default on wide screens only. */
  collapsible?: boolean;
  className?: string;
  testId?: string;
  /** Shown beside the heading (counts, status). */
  aside?: ReactNode;
  level?: 2 | 3;
  /** Changing this opens a folded section (e.g. when something is loaded into it to edit). */
  revealKey?: string | null;
}

/** A panel with a heading that names it for screen readers; optionally foldable. */
export function Section({
  title,
  titleText,
  children,
  collapsible,
  className,
  testId,
  aside,
  level = 2,
  revealKey,
}: SectionProps) {
  const { t } = useTranslation();
  const headingId = useId();
  const bodyId = useId();
  const [open, setOpen] = useState(() => !collapsible || wideScreen());
  useEffect(() => {
    if (revealKey) setOpen(true);
  }, [revealKey]);
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className={`panel ${className ?? ''}`} aria-labelledby={headingId} data-testid={testId}>
      <div className="panel-head">
        <Heading id={headingId}>
          {collapsible ? (
            <button
              type="button"
              className="fold"
              aria-expanded={open}
              aria-controls={bodyId}
              title={t('common.sectionToggle', { title: titleText })}
              onClick={() => setOpen((o) => !o)}
            >
              <span className="fold__mark" aria-hidden="true">
                {open ? '▾' : '▸'}
              </span>
              {title}
            </button>
          ) : (
            title
          )}
        </Heading>
        {aside}
      </div>
      {/* Folded content stays mounted (half-filled forms survive folding) but hidden from everyone. */}
      <div id={bodyId} hidden={!open}>
        {children}
      </div>
    </section>
  );
}
