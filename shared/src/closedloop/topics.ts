import { z } from 'zod';

/** Where a topic came from (荐题). Recorded on proposal and shown on the topic trail. */
export const TopicSource = z.enum(['member', 'department', 'leader', 'citizen', 'hotline', 'governanceCentre']);
export type TopicSource = z.infer<typeof TopicSource>;

/**
 * proposed → accepted → scheduled → deliberated → inProgress → closed, or proposed → declined.
 * `declined` and `closed` are final.
 */
export const TopicState = z.enum([
  'proposed',
  'accepted',
  'declined',
  'scheduled',
  'deliberated',
  'inProgress',
  'closed',
]);
export type TopicState = z.infer<typeof TopicState>;

/**
 * The two seats of the 双召集人 system: `first` is the CPPCC convener, `second` the head of the
 * department that can solve the topic.
 */
export const ConvenerSeat = z.enum(['first', 'second']);
export type ConvenerSeat = z.infer<typeof ConvenerSeat>;

export const maxDeclineReasonLength = 500;

/** A decline reason: required, trimmed, non-blank. */
export const DeclineReason = z.string().trim().min(1).max(maxDeclineReasonLength);

export const TopicActionType = z.enum(['accept', 'decline', 'schedule', 'hold', 'startTracking', 'close']);
export type TopicActionType = z.infer<typeof TopicActionType>;

/**
 * Acceptance is one `accept` action that names the convener's seat, rather than two distinct
 * actions: the conveners may accept in either order, and a single action keeps "who accepted"
 * as data the trail can show. The seats that have accepted are kept in `TopicStatus.acceptedBy`;
 * the topic stays `proposed` until both seats have accepted, and the same seat accepting twice
 * is refused. Either convener may decline while the topic is proposed, even after the other
 * accepted; a reason is required. `hold` records that the session was held.
 */
export const TopicAction = z.discriminatedUnion('type', [
  /** `alone`: the first convener accepts with no second (no department head convenes). */
  z.object({ type: z.literal('accept'), convener: ConvenerSeat, alone: z.boolean().optional() }),
  z.object({ type: z.literal('decline'), reason: DeclineReason }),
  z.object({ type: z.literal('schedule') }),
  z.object({ type: z.literal('hold') }),
  z.object({ type: z.literal('startTracking') }),
  z.object({ type: z.literal('close') }),
]);
export type TopicAction = z.infer<typeof TopicAction>;

/** A topic's state plus the convener seats that have accepted it (meaningful while `proposed`). */
export const TopicStatus = z.object({ state: TopicState, acceptedBy: z.array(ConvenerSeat).max(2) });
export type TopicStatus = { state: TopicState; acceptedBy: readonly ConvenerSeat[] };

export type TopicTransition =
  | { ok: true; state: TopicState; acceptedBy: ConvenerSeat[] }
  | { ok: false; error: 'ILLEGAL_TRANSITION' };

/** Moves that need no acceptance bookkeeping. `accept` and `decline` are handled in `topicTransition`. */
const legal: Record<TopicState, Partial<Record<TopicActionType, TopicState>>> = {
  proposed: {},
  accepted: { schedule: 'scheduled' },
  declined: {},
  scheduled: { hold: 'deliberated' },
  deliberated: { startTracking: 'inProgress' },
  inProgress: { close: 'closed' },
  closed: {},
};

const illegal: TopicTransition = { ok: false, error: 'ILLEGAL_TRANSITION' };

/**
 * The status after `action`, or ILLEGAL_TRANSITION. A decline whose reason is blank is refused
 * the same way (callers should parse actions with `TopicAction` first for a precise message).
 */
export function topicTransition(topic: TopicStatus, action: TopicAction): TopicTransition {
  const acceptedBy = ConvenerSeat.options.filter((seat) => topic.acceptedBy.includes(seat));
  if (action.type === 'accept') {
    if (topic.state !== 'proposed' || acceptedBy.includes(action.convener)) return illegal;
    const next = ConvenerSeat.options.filter((seat) => seat === action.convener || acceptedBy.includes(seat));
    const complete =
      next.length === ConvenerSeat.options.length || (action.alone === true && action.convener === 'first');
    return { ok: true, state: complete ? 'accepted' : 'proposed', acceptedBy: next };
  }
  if (action.type === 'decline') {
    if (topic.state !== 'proposed' || action.reason.trim() === '') return illegal;
    return { ok: true, state: 'declined', acceptedBy };
  }
  const next = legal[topic.state][action.type];
  return next === undefined ? illegal : { ok: true, state: next, acceptedBy };
}
