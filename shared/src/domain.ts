import { z } from 'zod';
import { limits } from './limits';
import type { Vocabulary } from './vocabulary';
import { BallotContent } from './voting/ballot';
import { PollResult } from './voting/evaluate';
import { PollStage } from './voting/lifecycle';
import { ParticipantRole } from './voting/roles';
import { PollSettings } from './voting/settings';
import { PollTally } from './voting/tally';

export const Id = z
  .string()
  .min(1)
  .max(limits.maxIdLength)
  .regex(/^[A-Za-z0-9:_-]+$/);
export type Id = z.infer<typeof Id>;

/** A participant's role in one session; the role decides what they may send (events.ts). */
export const SessionRole = ParticipantRole;
export type SessionRole = ParticipantRole;
/** Each role's name, on screen and in the printed minutes' attendance. */
export const sessionRoleNames: Vocabulary<SessionRole> = {
  'zh-CN': {
    firstConvener: '第一召集人',
    secondConvener: '第二召集人',
    member: '委员',
    departmentRep: '部门代表',
    stakeholder: '利益相关方',
    citizenRep: '群众代表',
    leader: '党政负责人',
    recorder: '记录员',
    staff: '工作人员',
    observer: '列席人员',
  },
  en: {
    firstConvener: 'First convener',
    secondConvener: 'Second convener',
    member: 'Member',
    departmentRep: 'Department representative',
    stakeholder: 'Stakeholder',
    citizenRep: 'Citizen representative',
    leader: 'Leader',
    recorder: 'Recorder',
    staff: 'Staff',
    observer: 'Observer',
  },
};

/** Roles that may take the floor, raise a hand and submit suggestions. */
export const speakingRoles: readonly SessionRole[] = [
  'firstConvener',
  'secondConvener',
  'member',
  'departmentRep',
  'stakeholder',
  'citizenRep',
  'leader',
];

export const SessionState = z.enum(['scheduled', 'live', 'closed']);
export type SessionState = z.infer<typeof SessionState>;

export const SessionMode = z.enum(['hall', 'online', 'hybrid']);
export type SessionMode = z.infer<typeof SessionMode>;
/**
 * The one name of each session mode, in Chinese and in English: the session pages, the hall
 * screen, the printed minutes and the calendar file all say these (the client's translations
 * read them from here).
 */
export const sessionModeNames: Vocabulary<SessionMode> = {
  'zh-CN': { hall: '现场协商', online: '云协商', hybrid: '线上线下同步' },
  en: { hall: 'In the room', online: 'Online', hybrid: 'Hybrid' },
};

/** Kinds of principal: committee members, government officials, staff, invited guests. */
export const AccountKind = z.enum(['member', 'official', 'staff', 'guest']);
export type AccountKind = z.infer<typeof AccountKind>;

/** A member's standing: serving (在任), suspended (暂停) or left (离任). */
export const MemberStatus = z.enum(['serving', 'suspended', 'left']);
export type MemberStatus = z.infer<typeof MemberStatus>;
export const memberStatusNames: Vocabulary<MemberStatus> = {
  'zh-CN': { serving: '在任', suspended: '暂停', left: '离任' },
  en: { serving: 'Serving', suspended: 'Suspended', left: 'Left' },
};

export const MemberView = z.object({
  id: Id,
  name: z.string(),
  kind: AccountKind,
  sectorId: Id.nullable(),
  sectorName: z.string().nullable(),
  /** Post and organisation, e.g. "市住建局局长". */
  title: z.string(),
  /** For a guest: the one session their invitation admits them to, and in which role. */
  guestSessionId: Id.nullable(),
  guestRole: ParticipantRole.nullable(),
  /** A committee member appointed to convene consultations: may take a topic's first convener seat. */
  canConvene: z.boolean(),
  /** An official's department (部门) record: what makes them one of its officials. */
  departmentId: Id.nullable().default(null),
  /** The working group or special committee (工作组/专委会) and district committee (政协工委). */
  workingGroupId: Id.nullable().default(null),
  districtId: Id.nullable().default(null),
  status: MemberStatus.default('serving'),
});
export type MemberView = z.infer<typeof MemberView>;

export const Text = (max: number) => z.string().trim().min(1).max(max);

export const AgendaItem = z.object({
  id: Id,
  title: Text(limits.maxAgendaTitleLength),
  plannedMinutes: z.number().int().min(1).max(limits.maxAgendaItemMinutes),
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
  /** When the current item began (ISO); the item timer counts from here. */
  currentItemStartedAt: z.string().nullable(),
  locked: z.boolean(),
  speakerLimitSeconds: z.number().int().positive(),
  startedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  /**
   * Those the conveners allow to speak (publish audio) besides the floor holder, until withdrawn,
   * muted, removed or gone. Absent means nobody.
   */
  allowedToSpeak: z.array(Id).optional(),
});
export type SessionView = z.infer<typeof SessionView>;

/** Where a participant is: online, checked in in the hall, or both (phone in the hall). */
export const Whereabouts = z.enum(['online', 'hall']);
export type Whereabouts = z.infer<typeof Whereabouts>;

export const PresenceEntry = z.object({
  memberId: Id,
  name: z.string(),
  role: SessionRole,
  /** Connected with at least one socket. */
  online: z.boolean(),
  /** Checked in in the hall by staff or by the hall code. */
  inHall: z.boolean(),
  muted: z.boolean(),
});
export type PresenceEntry = z.infer<typeof PresenceEntry>;

/**
 * How many are present in a room: in all, online (at least one socket), checked in in the hall,
 * and by role (e.g. "of the present electorate" of a poll, whose electorate is a set of roles).
 */
export const PresenceCounts = z.object({
  present: z.number().int().nonnegative(),
  online: z.number().int().nonnegative(),
  inHall: z.number().int().nonnegative(),
  byRole: z.record(SessionRole, z.number().int().nonnegative()),
});
export type PresenceCounts = z.infer<typeof PresenceCounts>;

/** The counts of an empty room. */
export function noPresence(): PresenceCounts {
  const byRole: Record<SessionRole, number> = {
    firstConvener: 0,
    secondConvener: 0,
    member: 0,
    departmentRep: 0,
    stakeholder: 0,
    citizenRep: 0,
    leader: 0,
    recorder: 0,
    staff: 0,
    observer: 0,
  };
  return { present: 0, online: 0, inHall: 0, byRole };
}

/** Roles whose holders a room snapshot always lists, however big the room: those who run it. */
export const roomRunningRoles: readonly SessionRole[] = ['firstConvener', 'secondConvener', 'staff', 'recorder'];

/** The order a presence list is shown and paged in: conveners first, observers last. */
export const presenceRoleOrder: Record<SessionRole, number> = {
  firstConvener: 0,
  secondConvener: 1,
  leader: 2,
  member: 3,
  departmentRep: 4,
  stakeholder: 5,
  citizenRep: 6,
  recorder: 7,
  staff: 8,
  observer: 9,
};

/** Chinese names in pinyin order, the way a sign-in sheet is read. */
const nameOrder = new Intl.Collator('zh-CN');

/** Sorts presence entries by role, then name, then id: a total order, so pages never overlap. */
export function comparePresence(a: PresenceEntry, b: PresenceEntry): number {
  const role = presenceRoleOrder[a.role] - presenceRoleOrder[b.role];
  if (role !== 0) return role;
  const name = nameOrder.compare(a.name, b.name);
  if (name !== 0) return name;
  return a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0;
}

export const QueueEntry = z.object({
  memberId: Id,
  pointOfOrder: z.boolean(),
  raisedAt: z.string(),
});
export type QueueEntry = z.infer<typeof QueueEntry>;

export const Speaker = z.object({
  memberId: Id,
  itemId: Id.nullable(),
  /** The turn was given on a point of order. */
  pointOfOrder: z.boolean(),
  startedAt: z.string(),
  /** The server ends the turn at this instant; clients count down to it. */
  endsAt: z.string(),
});
export type Speaker = z.infer<typeof Speaker>;

export const SpeakerQueue = z.object({ queue: z.array(QueueEntry), speaker: Speaker.nullable() });
export type SpeakerQueue = z.infer<typeof SpeakerQueue>;

export const SuggestionMark = z.enum(['none', 'highlighted', 'adopted']);
export type SuggestionMark = z.infer<typeof SuggestionMark>;

export const SuggestionView = z.object({
  id: Id,
  sessionId: Id,
  itemId: Id.nullable(),
  authorId: Id,
  authorName: z.string(),
  text: z.string(),
  mark: SuggestionMark,
  createdAt: z.string(),
});
export type SuggestionView = z.infer<typeof SuggestionView>;

export const PollView = z.object({
  id: Id,
  sessionId: Id,
  itemId: Id.nullable(),
  settings: PollSettings,
  stage: PollStage,
  /** Live tally for named polls; null for a secret poll until it closes. */
  tally: PollTally.nullable(),
  ballots: z.number().int().nonnegative(),
  /** Who has voted (never what, for a secret poll). */
  voters: z.array(Id),
  /**
   * Paper ballots entered as anonymous batches (secret polls; 0 otherwise): they have no voter,
   * so `voters.length + paperBallots` is the number of ballots.
   */
  paperBallots: z.number().int().nonnegative(),
  /** Size of the present electorate when the poll closed (quorum and "of present" base). */
  presentElectorate: z.number().int().nonnegative().nullable(),
  result: PollResult.nullable(),
  openedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
});
export type PollView = z.infer<typeof PollView>;

export const OutcomeStatus = z.enum(['draft', 'recorded']);
export type OutcomeStatus = z.infer<typeof OutcomeStatus>;

export const OutcomeView = z.object({
  id: Id,
  sessionId: Id,
  status: OutcomeStatus,
  text: z.string(),
  department: z.string(),
  /** YYYY-MM-DD */
  deadline: z.string().nullable(),
  pollId: Id.nullable(),
  suggestionIds: z.array(Id),
  createdBy: Id,
  createdAt: z.string(),
});
export type OutcomeView = z.infer<typeof OutcomeView>;

export const RoomSnapshot = z.object({
  seq: z.number().int().nonnegative(),
  /** The server's clock (ISO) when the snapshot was taken, for countdowns. */
  serverNow: z.string(),
  session: SessionView,
  /**
   * Who is present. In a room of more than `limits.snapshotPresenceMax` this is partial
   * (`presencePartial`): those who run the room (conveners, staff, recorders), the speaker and the
   * queue, the muted, and the caller; the rest come in pages (`presence:page`).
   */
  presence: z.array(PresenceEntry),
  /** The true counts, whether or not `presence` lists everyone. */
  presenceCounts: PresenceCounts,
  presencePartial: z.boolean(),
  speakers: SpeakerQueue,
  suggestions: z.array(SuggestionView),
  polls: z.array(PollView),
  outcomes: z.array(OutcomeView),
  /** The caller's own ballots in named polls (pollId -> content); secret polls list only the id. */
  myBallots: z.record(z.string(), BallotContent.nullable()),
  /** The caller's ballots entered on paper by staff: pollId -> the name of who entered it. */
  myPaperBallots: z.record(z.string(), z.string()).optional(),
  you: PresenceEntry,
  /** The hall check-in code; only staff and conveners receive it. */
  hallCode: z.string().nullable(),
});
export type RoomSnapshot = z.infer<typeof RoomSnapshot>;
