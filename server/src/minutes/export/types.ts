/**
 * The minutes as a small typed tree, independent of Yjs and ProseMirror. `fromYDoc` builds it from the
 * collaborative document; the renderers (Markdown, HTML, DOCX, PDF) read only this tree.
 */

export type Mark =
  | { type: 'bold' }
  | { type: 'italic' }
  | { type: 'underline' }
  | { type: 'strike' }
  | { type: 'code' }
  | { type: 'link'; href: string };

export type MarkType = Mark['type'];

export interface TextNode {
  type: 'text';
  text: string;
  /** In canonical order (link, bold, italic, underline, strike, code); each type at most once. */
  marks: Mark[];
}

export interface HardBreakNode {
  type: 'hardBreak';
}

/**
 * A node this exporter does not know (a future TipTap extension, a misplaced node). It is kept as its
 * text so nothing vanishes from the printed minutes; `text` is never empty (falls back to `[name]`).
 * May stand at block level (rendered as a paragraph) or inline (rendered as plain text).
 */
export interface UnknownNode {
  type: 'unknown';
  /** The Yjs nodeName, e.g. 'mention'. */
  name: string;
  /** Plain text; block boundaries and hard breaks become '\n'. */
  text: string;
}

export type InlineNode = TextNode | HardBreakNode | UnknownNode;

export type HeadingLevel = 1 | 2 | 3 | 4 | 5 | 6;

export interface HeadingNode {
  type: 'heading';
  level: HeadingLevel;
  content: InlineNode[];
}

export interface ParagraphNode {
  type: 'paragraph';
  content: InlineNode[];
}

export interface ListItemNode {
  type: 'listItem';
  content: BlockNode[];
}

export interface BulletListNode {
  type: 'bulletList';
  content: ListItemNode[];
}

export interface OrderedListNode {
  type: 'orderedList';
  /** The first item's number (ProseMirror's `start` attribute), 1 by default. */
  start: number;
  content: ListItemNode[];
}

export interface BlockquoteNode {
  type: 'blockquote';
  content: BlockNode[];
}

export interface CodeBlockNode {
  type: 'codeBlock';
  language: string | null;
  text: string;
}

export interface HorizontalRuleNode {
  type: 'horizontalRule';
}

/** The minutes of one agenda item. */
export interface AgendaSectionNode {
  type: 'agendaSection';
  itemId: string;
  title: string;
  content: BlockNode[];
}

export const roomEventKinds = ['speech', 'suggestion', 'poll', 'outcome'] as const;
export type RoomEventKind = (typeof roomEventKinds)[number];

/** Something that happened in the room, inserted into the minutes as an atom. */
export interface RoomEventNode {
  type: 'roomEvent';
  kind: RoomEventKind;
  refId: string;
  text: string;
}

export type BlockNode =
  | HeadingNode
  | ParagraphNode
  | BulletListNode
  | OrderedListNode
  | BlockquoteNode
  | CodeBlockNode
  | HorizontalRuleNode
  | AgendaSectionNode
  | RoomEventNode
  | UnknownNode;

export type MinutesNode = BlockNode | InlineNode | ListItemNode;

/**
 * Where a person stands in the printed minutes: 主持 (the conveners), 出席 (members), 列席
 * (officials, guests, observers), 记录 (the recorder and staff).
 */
export type AttendanceGroup = 'presiding' | 'attending' | 'sittingIn' | 'recording';

export interface AttendanceEntry {
  name: string;
  /** Already localised, e.g. 第一召集人. */
  role: string;
  /** 'attending' when not given. */
  group?: AttendanceGroup;
  inHall: boolean;
  online: boolean;
}

export interface VoteEntry {
  question: string;
  /** A poll kind ('yesno', 'single', ...); translated through the labels when known, else shown as is. */
  kind: string;
  /** Already localised, e.g. "通过：同意 12，反对 3，弃权 1". */
  resultText: string;
  /** A published result is one of the decided items; an unpublished one is only in the body. True when not given. */
  published?: boolean;
}

/** An outcome the session recorded (协商成果): one of the decided items. */
export interface OutcomeEntry {
  text: string;
  department?: string | null;
  deadline?: string | null;
}

export interface ExportLabels {
  /** BCP 47 tag for `<html lang>` and the DOCX language. */
  lang: string;
  /** The document's title from the topic, e.g. 关于……的协商议事活动纪要. */
  documentTitle: (topic: string) => string;
  /** The document number line, e.g. 〔2026〕第3号. */
  documentNumber: (year: number, number: number) => string;
  scheduledAt: string;
  place: string;
  mode: string;
  presiding: string;
  attending: string;
  sittingIn: string;
  recording: string;
  absentees: string;
  version: string;
  /** After a name of someone who took part online, e.g. （线上）. */
  onlineMark: string;
  /** A line with nobody on it. */
  nobody: string;
  /** Heading of the main content (by agenda item). */
  content: string;
  /** Heading of the decided items (outcomes and published results). */
  decisions: string;
  noDecisions: string;
  department: string;
  deadline: string;
  emptyMinutes: string;
  /** Heading of an agenda section whose title is empty. */
  untitledAgendaItem: string;
  /** Between a label and its value, e.g. '：' or ': '. */
  colon: string;
  /** Between names in a list, e.g. '、' or ', '. */
  listSeparator: string;
  /** Between the parts of a value, e.g. '，' or ', '. */
  comma: string;
  /** Brackets around an aside, e.g. ['（', '）']. */
  brackets: [string, string];
  /** Between a poll's question and its result. */
  dash: string;
  /**
   * One line under the attendance: everyone present counted once (in the hall if they were in the
   * hall, even with a phone online too), so inHall + online = total.
   */
  attendanceSummary: (counts: { total: number; inHall: number; online: number; absent: number }) => string;
  /** A convener's signature line, e.g. 召集人签字：________　日期：________. */
  signature: (name: string) => string;
  /** Session modes by id (hall/online/hybrid); unknown ids are shown as given. */
  modes: Record<string, string>;
  eventKinds: Record<RoomEventKind, string>;
}

/** Overrides for some labels; the maps are merged key by key into the defaults. */
export type LabelOverrides = Partial<Omit<ExportLabels, 'modes' | 'eventKinds'>> & {
  modes?: Record<string, string>;
  eventKinds?: Partial<Record<RoomEventKind, string>>;
};

export interface ExportInput {
  /** The topic. */
  title: string;
  sessionMeta: {
    roomName: string;
    /** ISO 8601. */
    scheduledAt: string;
    mode: string;
    conveners: string[];
  };
  version: { label: string; createdAt: string };
  /** The published minutes' number within their year; none for a draft. */
  documentNumber?: { year: number; number: number } | null;
  attendance: AttendanceEntry[];
  votes: VoteEntry[];
  /** The session's outcomes, decided items before the published poll results. */
  outcomes?: OutcomeEntry[];
  body: MinutesNode[];
  /** Chinese by default; pass `enLabels` (or any part of a label set) for English. */
  labels?: LabelOverrides;
  /** IANA zone the times are shown in; 'Asia/Shanghai' by default. */
  timeZone?: string;
}
