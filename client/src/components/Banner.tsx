import type { ReactNode } from 'react';

type Tone = 'warn' | 'error' | 'ok';

interface BannerProps {
  /** warn (default): needs attention; error: something failed; ok: something went through. */
  tone?: Tone;
  children: ReactNode;
  /** Buttons or links that act on what the banner says. */
  actions?: ReactNode;
  testId?: string;
  /** data-* attributes saying what the banner is about (the reason, the state). */
  data?: Record<`data-${string}`, string>;
}

/**
 * A line across the page that says what happened. An error is announced at once (role="alert");
 * a warning or a success politely (role="status"), so it does not cut off what is being read.
 */
export function Banner({ tone = 'warn', children, actions, testId, data }: BannerProps) {
  const Tag = actions ? 'div' : 'p';
  return (
    <Tag
      className={tone === 'warn' ? 'banner' : `banner banner--${tone}`}
      role={tone === 'error' ? 'alert' : 'status'}
      data-testid={testId}
      {...data}
    >
      {children}
      {actions && <span className="banner__actions">{actions}</span>}
    </Tag>
  );
}
