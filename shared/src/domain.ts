import { z } from 'zod';
import { limits } from './limits';

export const Id = z
  .string()
  .min(1)
  .max(limits.maxIdLength)
  .regex(/^[A-Za-z0-9:_-]+$/);
export type Id = z.infer<typeof Id>;

/** A member's role in one session. The live-room issue widens this list. */
export const SessionRole = z.enum(['firstConvener', 'secondConvener', 'member']);
export type SessionRole = z.infer<typeof SessionRole>;

export const SessionState = z.enum(['scheduled', 'live', 'closed']);
export type SessionState = z.infer<typeof SessionState>;

export const SessionMode = z.enum(['hall', 'online', 'hybrid']);
export type SessionMode = z.infer<typeof SessionMode>;

export const MemberView = z.object({
  id: Id,
  name: z.string(),
  sectorId: Id.nullable(),
  sectorName: z.string().nullable(),
  /** Post and organisation, e.g. "市住建局局长". */
  title: z.string(),
});
export type MemberView = z.infer<typeof MemberView>;

export const AgendaItem = z.object({
  id: Id,
  title: z.string(),
  plannedMinutes: z.number().int().positive(),
});
export type AgendaItem = z.infer<typeof AgendaItem>;

export const SessionView = z.object({
  id: Id,
  topic: z.string(),
  roomName: z.string(),
  scheduledAt: z.string(),
  mode: SessionMode,
  state: SessionState,
  firstConvenerId: Id,
  secondConvenerId: Id.nullable(),
  agenda: z.array(AgendaItem),
  currentItemId: Id.nullable(),
});
export type SessionView = z.infer<typeof SessionView>;

export const Choice = z.enum(['yes', 'no', 'abstain']);
export type Choice = z.infer<typeof Choice>;

export const PollState = z.enum(['open', 'closed']);
export type PollState = z.infer<typeof PollState>;

export const Tally = z.object({ yes: z.number().int(), no: z.number().int(), abstain: z.number().int() });
export type Tally = z.infer<typeof Tally>;

export const PollOutcome = z.enum(['adopted', 'rejected']);
export type PollOutcome = z.infer<typeof PollOutcome>;

export const PollView = z.object({
  id: Id,
  sessionId: Id,
  question: z.string(),
  state: PollState,
  tally: Tally,
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  outcome: PollOutcome.nullable(),
});
export type PollView = z.infer<typeof PollView>;

export const PresenceEntry = z.object({
  memberId: Id,
  name: z.string(),
  role: SessionRole,
});
export type PresenceEntry = z.infer<typeof PresenceEntry>;

export const RoomSnapshot = z.object({
  seq: z.number().int().nonnegative(),
  session: SessionView,
  presence: z.array(PresenceEntry),
  polls: z.array(PollView),
  /** The caller's own ballots: pollId -> choice. */
  myBallots: z.record(z.string(), Choice),
  you: PresenceEntry,
});
export type RoomSnapshot = z.infer<typeof RoomSnapshot>;
