import { z } from 'zod';
import { Id, Text } from './domain';
import { limits } from './limits';
import type { Vocabulary } from './vocabulary';

/**
 * The minutes lifecycle after a session closes. While the session is live the minutes are a
 * `draft` written by recorders and conveners; `inReview` opens them to participants' comments;
 * `approved` needs both conveners; `published` freezes a snapshot that can be exported.
 */
export const MinutesStatus = z.enum(['draft', 'inReview', 'approved', 'published']);
export type MinutesStatus = z.infer<typeof MinutesStatus>;

/** Why a version (a frozen snapshot of the minutes) was taken. */
export const VersionReason = z.enum(['sessionClosed', 'review', 'approval', 'published', 'manual']);
export type VersionReason = z.infer<typeof VersionReason>;

export const MinutesVersionView = z.object({
  id: Id,
  sessionId: Id,
  number: z.number().int().positive(),
  reason: VersionReason,
  label: z.string(),
  createdBy: Id,
  createdAt: z.string(),
  /** Plain text of the minutes at that moment (for search and diffs). */
  textLength: z.number().int().nonnegative(),
});
export type MinutesVersionView = z.infer<typeof MinutesVersionView>;

export const MinutesCommentView = z.object({
  id: Id,
  sessionId: Id,
  authorId: Id,
  authorName: z.string(),
  /** The passage commented on, as quoted by the reviewer. */
  quote: z.string(),
  text: z.string(),
  createdAt: z.string(),
  resolved: z.boolean(),
});
export type MinutesCommentView = z.infer<typeof MinutesCommentView>;

export const MinutesInfo = z.object({
  sessionId: Id,
  topic: z.string(),
  roomName: z.string(),
  scheduledAt: z.string(),
  sessionState: z.enum(['scheduled', 'live', 'closed']),
  status: MinutesStatus,
  /** Conveners who approved the version in review. */
  approvals: z.array(Id),
  publishedVersionId: Id.nullable(),
  versions: z.array(MinutesVersionView),
  comments: z.array(MinutesCommentView),
});
export type MinutesInfo = z.infer<typeof MinutesInfo>;

export const MinutesTransitionBody = z
  .object({
    /** `draft` takes minutes in review back (approvals so far are dropped) to be edited again. */
    to: z.enum(['draft', 'inReview', 'approved', 'published']),
    /**
     * Approving or publishing while review comments are still open must say so: the person saw
     * them and goes on anyway. Without it the server refuses and names how many are open.
     */
    openCommentsSeen: z.boolean().optional(),
  })
  .strict();
export type MinutesTransitionBody = z.infer<typeof MinutesTransitionBody>;

export const MinutesCommentBody = z
  .object({ quote: z.string().trim().max(limits.maxSuggestionLength), text: Text(limits.maxSuggestionLength) })
  .strict();
export type MinutesCommentBody = z.infer<typeof MinutesCommentBody>;

export const ManualVersionBody = z.object({ label: z.string().trim().max(80) }).strict();
export type ManualVersionBody = z.infer<typeof ManualVersionBody>;

/** One line of a readable diff between two versions. */
export const DiffLine = z.object({ op: z.enum(['same', 'added', 'removed']), text: z.string() });
export type DiffLine = z.infer<typeof DiffLine>;

export const MinutesDiff = z.object({ from: Id, to: Id, lines: z.array(DiffLine) });
export type MinutesDiff = z.infer<typeof MinutesDiff>;

/**
 * The author the room's own blocks (sections, speeches, suggestions, votes, outcomes) are credited
 * to in 谁写了什么, under this id and these names: not whoever had the editor open.
 */
export const minutesRoomAuthor: { readonly id: string; readonly names: Readonly<Record<'zh-CN' | 'en', string>> } = {
  id: 'yitang',
  names: { 'zh-CN': '会议记录（议事室自动写入）', en: 'Minutes (written by the room)' },
};

/**
 * Who wrote the minutes, and when: edits per author, counted as a reader would (a run of writing
 * in one paragraph is one edit, not one per keystroke). `room` marks the room's own row.
 */
export const MinutesAuthorship = z.array(
  z.object({
    memberId: Id,
    name: z.string(),
    room: z.boolean(),
    edits: z.number().int(),
    first: z.string(),
    last: z.string(),
  }),
);
export type MinutesAuthorship = z.infer<typeof MinutesAuthorship>;

export const ArchiveQuery = z
  .object({
    q: z.string().trim().max(limits.maxSearchLength).optional(),
    from: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    to: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    roomId: Id.optional(),
    status: MinutesStatus.optional(),
  })
  .strict();
export type ArchiveQuery = z.infer<typeof ArchiveQuery>;

export const ArchiveEntry = z.object({
  sessionId: Id,
  topic: z.string(),
  roomId: Id,
  roomName: z.string(),
  scheduledAt: z.string(),
  status: MinutesStatus,
  /** Where the search text was found, with some context. */
  excerpt: z.string().nullable(),
});
export type ArchiveEntry = z.infer<typeof ArchiveEntry>;

export const ArchiveResponse = z.object({
  entries: z.array(ArchiveEntry),
  /**
   * A search without a start date stopped before the earliest years (it reads about a page of
   * sessions an ask): ask again with `to` set to this day for the sessions up to it.
   */
  more: z.object({ to: z.string() }).nullable().default(null),
});
export type ArchiveResponse = z.infer<typeof ArchiveResponse>;

export const ExportFormat = z.enum(['pdf', 'docx', 'md']);
export type ExportFormat = z.infer<typeof ExportFormat>;

/**
 * Close codes of the minutes socket. The stock provider does not retry 4400–4499 (terminal)
 * and retries everything else.
 */
export const MinutesCloseCode = {
  shuttingDown: 1001,
  badMessage: 1003,
  /** Permissions changed (review status); the provider reconnects and gets the new ones. */
  permissionsChanged: 4001,
  /** Signed out, the sign-in session expired, or a guest's invitation was revoked or expired. */
  signedOut: 4401,
  /** Removed from the session by its chair. */
  removed: 4403,
  /** The document reached `limits.maxMinutesDocumentBytes`: the refused update was not applied. */
  documentFull: 4413,
  /** One update above `limits.maxMinutesUpdateBytes`: refused, not applied. */
  updateTooLarge: 4414,
  /**
   * Frames sent faster than the minutes rate limits allow. Not in 4400-4499, which the stock
   * provider takes as permanent: it reconnects (with backoff) and sends what it has in one frame.
   */
  rateLimited: 4029,
  storageFailed: 4500,
} as const;

/** Room events the server writes into the minutes, as blocks in the section of their agenda item. */
export const RoomEventKind = z.enum(['speech', 'suggestion', 'poll', 'outcome']);
export type RoomEventKind = z.infer<typeof RoomEventKind>;
/** Each kind's name: the editor's cards and the exports label a block whose text carries none with it. */
export const roomEventKindNames: Vocabulary<RoomEventKind> = {
  'zh-CN': { speech: '发言', suggestion: '意见建议', poll: '表决', outcome: '协商成果' },
  en: { speech: 'Speech', suggestion: 'Suggestion', poll: 'Poll', outcome: 'Outcome' },
};

/** The labels the server starts a room event's text with ("发言：周敏（3分钟）"). */
export const roomEventLabels: readonly string[] = [
  roomEventKindNames['zh-CN'].speech,
  '程序动议',
  roomEventKindNames['zh-CN'].suggestion,
  roomEventKindNames['zh-CN'].poll,
  roomEventKindNames['zh-CN'].outcome,
];

/**
 * A room event's text as its label and the rest, so the label is shown once whether the stored
 * text carries it ("发言：周敏（3分钟）", or "发言:周敏(3秒)" as older minutes hold it) or not
 * (label null). A label's aside stays with it: "意见建议（孙建华）：…" gives "意见建议（孙建华）".
 */
export function splitRoomEventText(text: string): { label: string | null; text: string } {
  for (const label of roomEventLabels) {
    if (!text.startsWith(label)) continue;
    const m = /^(\s*(?:[（(][^（）()]*[）)])?)\s*[：:]\s*/.exec(text.slice(label.length));
    if (m) return { label: `${label}${(m[1] ?? '').trim()}`, text: text.slice(label.length + m[0].length) };
  }
  return { label: null, text };
}

/** Names of the minutes document's structure, shared by the server (writer) and the editor. */
export const minutesSchema = {
  /** The Y.XmlFragment TipTap's Collaboration extension binds to. */
  fragment: 'default',
  section: 'agendaSection',
  event: 'roomEvent',
} as const;
