import { z } from 'zod';
import { Id } from '../domain';

export const consultationLimits = {
  maxTextLength: 500,
  maxNameLength: 40,
  /** Days a consultation stays open after its session closes, by default and at most. */
  defaultCloseAfterDays: 7,
  maxCloseAfterDays: 90,
  /** Citizens through the public link: posts per address and per link within the window. */
  publicPostsPerAddress: 5,
  publicPostsPerLink: 200,
  /** +1s per address within the window: each writes one small document. */
  publicSupportsPerAddress: 60,
  publicWindowSeconds: 600,
} as const;

/**
 * Who wrote or supported: committee members (and staff), officials of departments, citizens
 * (through the public link, or recorded by staff from paper and phone) and invited guests.
 */
export const ConsultationRole = z.enum(['member', 'department', 'guest', 'citizen']);
export type ConsultationRole = z.infer<typeof ConsultationRole>;

/** Support shown by role: guests are counted with citizens (the public's side of the table). */
export const SupportByRole = z.object({
  member: z.number().int().nonnegative(),
  department: z.number().int().nonnegative(),
  citizen: z.number().int().nonnegative(),
});
export type SupportByRole = z.infer<typeof SupportByRole>;

/** notYet: the topic is not accepted; open: comments welcome; closed: the set time after the session passed. */
export const ConsultationState = z.enum(['notYet', 'open', 'closed']);
export type ConsultationState = z.infer<typeof ConsultationState>;

export const ConsultationSuggestionView = z.object({
  id: Id,
  topicId: Id,
  /** The group of a suggestion; null for a reply. */
  groupId: Id.nullable(),
  /** The suggestion a reply answers. */
  parentId: Id.nullable(),
  authorRole: ConsultationRole,
  authorName: z.string(),
  text: z.string(),
  hidden: z.boolean(),
  createdAt: z.string(),
  support: SupportByRole,
  supportedByMe: z.boolean(),
});
export type ConsultationSuggestionView = z.infer<typeof ConsultationSuggestionView>;

export const ConsultationGroupView = z.object({
  id: Id,
  topicId: Id,
  /** 1, 2, 3… in the order groups began: "第 3 组". */
  number: z.number().int().positive(),
  /** Lexicon concept ids its suggestions name most (lexicon.ts). */
  concepts: z.array(z.string()),
  /** Its suggestions' ids, oldest first (hidden ones left out for whoever may not moderate). */
  suggestionIds: z.array(Id),
  support: SupportByRole,
  /** Where a convener brought it: the live session and the room's suggestion that carries it. */
  broughtTo: z.object({ sessionId: Id, suggestionId: Id, at: z.string(), byName: z.string() }).nullable(),
  /** The live session's outcomes drawn from the suggestion that carried the group. */
  outcomes: z.array(z.object({ id: Id, text: z.string(), status: z.string() })),
});
export type ConsultationGroupView = z.infer<typeof ConsultationGroupView>;

export const ConsultationView = z.object({
  topicId: Id,
  topicTitle: z.string(),
  state: ConsultationState,
  opensAt: z.string().nullable(),
  /** Null while the session has not closed (it then stays open until closeAfterDays after). */
  closesAt: z.string().nullable(),
  closeAfterDays: z.number().int().nonnegative(),
  /** The short public link's code (`/c/<code>`); null on the public page. */
  publicCode: z.string().nullable(),
  sessionId: Id.nullable(),
  sessionLive: z.boolean(),
  mayPost: z.boolean(),
  mayModerate: z.boolean(),
  /** Staff and the topic's conveners set how many days it stays open after the session. */
  maySetDays: z.boolean(),
  mayBring: z.boolean(),
  groups: z.array(ConsultationGroupView),
  suggestions: z.array(ConsultationSuggestionView),
});
export type ConsultationView = z.infer<typeof ConsultationView>;

const SuggestionText = z.string().trim().min(1).max(consultationLimits.maxTextLength);
const OptionalName = z.string().trim().max(consultationLimits.maxNameLength).optional();

/**
 * A signed-in person's suggestion or reply. Staff may record one received on paper or by phone
 * for a citizen: `onBehalf` with the citizen's name (optional) and the day it was received.
 */
export const ConsultationPostBody = z
  .object({
    text: SuggestionText,
    parentId: Id.nullable().optional(),
    onBehalf: z
      .object({ name: OptionalName, receivedAt: z.string().datetime({ offset: true }) })
      .strict()
      .optional(),
  })
  .strict();
export type ConsultationPostBody = z.infer<typeof ConsultationPostBody>;

/** A browser's own random key, kept in its storage: one +1 per visitor on the public page. */
export const Visitor = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'a random key of 16-64 letters');

export const PublicPostBody = z
  .object({ text: SuggestionText, name: OptionalName, parentId: Id.nullable().optional(), visitor: Visitor })
  .strict();
export type PublicPostBody = z.infer<typeof PublicPostBody>;

export const PublicSupportBody = z.object({ visitor: Visitor }).strict();
export const ConsultationHideBody = z.object({ hidden: z.boolean() }).strict();
export const ConsultationSettingsBody = z
  .object({ closeAfterDays: z.number().int().min(0).max(consultationLimits.maxCloseAfterDays) })
  .strict();

/** The topic page's consultation tab: the link a group carries into the room, the minutes and outcomes. */
export const consultationPath = (topicId: string) => `/topics/${topicId}#consultation`;

/** A text cut around those links (a room suggestion, an outcome), for showing them as links. */
export function splitConsultationLinks(text: string): Array<{ text: string; link: string | null }> {
  const parts: Array<{ text: string; link: string | null }> = [];
  let at = 0;
  for (const m of text.matchAll(/\/topics\/[A-Za-z0-9:_-]+#consultation/g)) {
    const start = m.index ?? 0;
    if (start > at) parts.push({ text: text.slice(at, start), link: null });
    parts.push({ text: m[0], link: m[0] });
    at = start + m[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), link: null });
  return parts;
}
