import { resolveLabels } from './labels';
import type {
  AttendanceEntry,
  BlockNode,
  ExportInput,
  ExportLabels,
  HeadingLevel,
  InlineNode,
  MinutesNode,
} from './types';

/** What every renderer needs, worked out once from the input. */
export interface Prepared {
  input: ExportInput;
  labels: ExportLabels;
  body: BlockNode[];
  /** The session-meta lines, label and value, in print order. */
  meta: Array<{ label: string; value: string }>;
  attendanceRows: Array<{ name: string; role: string; presence: string }>;
  attendanceSummary: string;
  voteRows: Array<{ question: string; kind: string; result: string }>;
}

export function prepare(input: ExportInput): Prepared {
  const labels = resolveLabels(input.labels);
  const timeZone = input.timeZone ?? 'Asia/Shanghai';
  const { sessionMeta: s, version } = input;
  const meta = [
    { label: labels.room, value: s.roomName },
    { label: labels.scheduledAt, value: formatDateTime(s.scheduledAt, timeZone) },
    { label: labels.mode, value: labels.modes[s.mode] ?? s.mode },
    { label: labels.conveners, value: s.conveners.join(labels.listSeparator) },
    {
      label: labels.version,
      value: [version.label, formatDateTime(version.createdAt, timeZone)].filter((v) => v.trim() !== '').join(' · '),
    },
  ]
    .map((m) => ({ label: clean(m.label), value: clean(m.value) }))
    .filter((m) => m.value.trim() !== '');
  const inHall = input.attendance.filter((a) => a.inHall).length;
  const online = input.attendance.filter((a) => a.online).length;
  const absent = input.attendance.filter((a) => !a.inHall && !a.online).length;
  return {
    input,
    labels,
    body: normalizeBody(input.body),
    meta,
    attendanceRows: input.attendance.map((a) => ({
      name: clean(a.name),
      role: clean(a.role),
      presence: presenceOf(a, labels),
    })),
    attendanceSummary: clean(labels.attendanceSummary({ total: input.attendance.length, inHall, online, absent })),
    voteRows: input.votes.map((v) => ({
      question: clean(v.question),
      kind: clean(labels.pollKinds[v.kind] ?? v.kind),
      result: clean(v.resultText),
    })),
  };
}

function presenceOf(a: AttendanceEntry, labels: ExportLabels): string {
  if (a.inHall && a.online) return labels.inHallAndOnline;
  if (a.inHall) return labels.inHall;
  if (a.online) return labels.online;
  return labels.absent;
}

/**
 * Groups a node list as the renderers want it: runs of inline nodes at block level become paragraphs and
 * a stray list item becomes a one-item list. Text is cleaned of characters no output format can carry.
 */
export function normalizeBody(nodes: MinutesNode[]): BlockNode[] {
  const out: BlockNode[] = [];
  let inline: InlineNode[] = [];
  const flush = () => {
    if (inline.length > 0) out.push({ type: 'paragraph', content: inline });
    inline = [];
  };
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
      case 'hardBreak':
        inline.push(cleanInline(node));
        break;
      case 'listItem':
        flush();
        out.push({ type: 'bulletList', content: [{ type: 'listItem', content: normalizeBody(node.content) }] });
        break;
      default:
        flush();
        out.push(cleanBlock(node));
    }
  }
  flush();
  return out;
}

function cleanBlock(node: BlockNode): BlockNode {
  switch (node.type) {
    case 'heading':
    case 'paragraph':
      return { ...node, content: node.content.map(cleanInline) };
    case 'bulletList':
    case 'orderedList':
      return { ...node, content: node.content.map((item) => ({ ...item, content: normalizeBody(item.content) })) };
    case 'blockquote':
      return { ...node, content: normalizeBody(node.content) };
    case 'agendaSection':
      return { ...node, title: clean(node.title), content: normalizeBody(node.content) };
    case 'codeBlock':
      return { ...node, text: clean(node.text) };
    case 'roomEvent':
      return { ...node, text: clean(node.text) };
    case 'unknown':
      return { ...node, text: clean(node.text) };
    case 'horizontalRule':
      return node;
  }
}

function cleanInline(node: InlineNode): InlineNode {
  switch (node.type) {
    case 'text':
      return {
        ...node,
        text: clean(node.text),
        marks: node.marks.map((m) => (m.type === 'link' ? { ...m, href: clean(m.href) } : m)),
      };
    case 'unknown':
      return { ...node, text: clean(node.text) };
    case 'hardBreak':
      return node;
  }
}

/**
 * Text without what no output format can carry: C0 controls other than tab and newline, the
 * noncharacters U+FFFE/U+FFFF and lone surrogates (XML, hence DOCX, rejects them; they print as nothing).
 * Line endings become '\n'.
 */
export function clean(text: string): string {
  let out = '';
  // for...of walks code points: a surrogate pair comes whole, a lone surrogate alone.
  for (const ch of text.replace(/\r\n?/g, '\n')) {
    const c = ch.codePointAt(0) ?? 0;
    const control = c < 0x20 && c !== 0x09 && c !== 0x0a;
    if (control || c === 0xfffe || c === 0xffff || (c >= 0xd800 && c <= 0xdfff)) continue;
    out += ch;
  }
  return out;
}

/**
 * The href to link to, or null when it must not be a link: only http(s), mailto and tel, and relative
 * references. `javascript:` and the like are dropped (the text stays).
 */
export function safeHref(href: string): string | null {
  const trimmed = href.trim();
  if (trimmed === '') return null;
  // Browsers ignore tabs/newlines inside a scheme; so must the check.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed.replace(/[\t\n\r]/g, ''));
  if (!scheme) return trimmed;
  const name = scheme[1]?.toLowerCase();
  return name === 'http' || name === 'https' || name === 'mailto' || name === 'tel' ? trimmed : null;
}

/** A body heading's level once shifted under the export's own headings, capped at 6. */
export function shiftLevel(level: number, offset: number): HeadingLevel {
  const n = Math.min(6, Math.max(1, level + offset));
  return n === 1 ? 1 : n === 2 ? 2 : n === 3 ? 3 : n === 4 ? 4 : n === 5 ? 5 : 6;
}

/** "2026-05-12 14:30" in the given zone; anything that is not a date is shown as given. */
export function formatDateTime(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (iso.trim() === '' || Number.isNaN(date.getTime())) return iso;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(date);
  } catch {
    return iso;
  }
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** The plain text of inline content (hard breaks as '\n'). */
export function inlineText(content: InlineNode[]): string {
  return content.map((n) => (n.type === 'hardBreak' ? '\n' : n.text)).join('');
}
