import { z } from 'zod';

/**
 * draft → open → closed → published. Settings may be edited only in draft; from `open` on they
 * are frozen (ballots are counted against them). Ballots are accepted only while `open`.
 */
export const PollStage = z.enum(['draft', 'open', 'closed', 'published']);
export type PollStage = z.infer<typeof PollStage>;

export const PollAction = z.enum(['open', 'close', 'publish', 'edit']);
export type PollAction = z.infer<typeof PollAction>;

export type PollTransition = { ok: true; stage: PollStage } | { ok: false; error: 'ILLEGAL_TRANSITION' };

const legal: Record<PollStage, Partial<Record<PollAction, PollStage>>> = {
  draft: { edit: 'draft', open: 'open' },
  open: { close: 'closed' },
  closed: { publish: 'published' },
  published: {},
};

/** The stage after `action`, or ILLEGAL_TRANSITION. The only legal moves are listed in `legal` above. */
export function pollTransition(stage: PollStage, action: PollAction): PollTransition {
  const next = legal[stage][action];
  return next === undefined ? { ok: false, error: 'ILLEGAL_TRANSITION' } : { ok: true, stage: next };
}

/** Ballots are accepted only while the poll is open. */
export function acceptsBallots(stage: PollStage): boolean {
  return stage === 'open';
}
