import { splitRoomEventText } from '@yitang/shared';
import { resolveLabels } from './labels';
import type {
  AttendanceEntry,
  BlockNode,
  ExportInput,
  ExportLabels,
  HeadingLevel,
  InlineNode,
  MinutesNode,
  RoomEventNode,
} from './types';

/** What every renderer needs, worked out once from the input, in the order a 协商议事活动纪要 prints it. */
export interface Prepared {
  input: ExportInput;
  labels: ExportLabels;
  /** The document's title (关于……的协商议事活动纪要). */
  title: string;
  /** The document number line (〔2026〕第3号); null for a draft. */
  number: string | null;
  /** The header lines, label and value, in print order: time, place, mode, presiding, attending, sitting in. */
  meta: Array<{ label: string; value: string }>;
  /** Everyone present counted once; empty when no attendance was recorded. */
  attendanceSummary: string;
  /** "版本：…" when the input names a version. */
  version: string;
  body: BlockNode[];
  /** The decided items: the outcomes, then the published poll results. */
  decisions: string[];
  /** One signature line per convener. */
  signatures: string[];
}

export function prepare(input: ExportInput): Prepared {
  const labels = resolveLabels(input.labels);
  const zh = isChinese(labels);
  const timeZone = input.timeZone ?? 'Asia/Shanghai';
  const { sessionMeta: s, version } = input;
  const [open, close] = labels.brackets;
  const present = input.attendance.filter((a) => a.inHall || a.online);
  const absent = input.attendance.filter((a) => !a.inHall && !a.online);
  const groupOf = (a: AttendanceEntry) => a.group ?? 'attending';
  const nameOf = (a: AttendanceEntry, withRole: boolean) =>
    `${a.name}${withRole && a.role.trim() !== '' ? `${open}${a.role}${close}` : ''}${a.online && !a.inHall ? labels.onlineMark : ''}`;
  const names = (group: AttendanceEntry['group'], withRole: boolean) =>
    present
      .filter((a) => groupOf(a) === group)
      .map((a) => nameOf(a, withRole))
      .join(labels.listSeparator);
  const recording = names('recording', false);
  const versionText = [version.label, formatDateTime(version.createdAt, timeZone)]
    .filter((v) => v.trim() !== '')
    .join(' · ');
  const meta = [
    { label: labels.scheduledAt, value: formatDateTime(s.scheduledAt, timeZone) },
    { label: labels.place, value: s.roomName },
    { label: labels.mode, value: labels.modes[s.mode] ?? s.mode },
    { label: labels.presiding, value: s.conveners.join(labels.listSeparator) || labels.nobody },
    { label: labels.attending, value: names('attending', false) || labels.nobody },
    { label: labels.sittingIn, value: names('sittingIn', true) || labels.nobody },
    ...(recording === '' ? [] : [{ label: labels.recording, value: recording }]),
    ...(absent.length === 0
      ? []
      : [{ label: labels.absentees, value: absent.map((a) => nameOf(a, false)).join(labels.listSeparator) }]),
  ]
    .map((m) => ({ label: clean(m.label), value: clean(m.value) }))
    .filter((m) => m.value.trim() !== '');
  // Someone in the hall who also joined with a phone counts once, in the hall: the two parts add up.
  const inHall = present.filter((a) => a.inHall).length;
  const online = present.length - inHall;
  const polished = (text: string) => clean(zh ? chinesePunctuation(text) : text);
  const outcomes = (input.outcomes ?? []).map((o) => {
    const parts = [
      o.department ? `${labels.department}${labels.colon}${o.department}` : '',
      o.deadline ? `${labels.deadline}${labels.colon}${o.deadline}` : '',
    ].filter((x) => x !== '');
    return clean(`${o.text}${parts.length > 0 ? `${open}${parts.join(labels.comma)}${close}` : ''}`);
  });
  const results = input.votes
    .filter((v) => v.published !== false)
    .map((v) => `${clean(v.question)}${labels.dash}${polished(v.resultText)}`);
  const conveners = s.conveners.map(clean).filter((n) => n.trim() !== '');
  return {
    input,
    labels,
    title: clean(labels.documentTitle(input.title)),
    number: input.documentNumber ? labels.documentNumber(input.documentNumber.year, input.documentNumber.number) : null,
    meta,
    attendanceSummary:
      input.attendance.length === 0
        ? ''
        : clean(labels.attendanceSummary({ total: present.length, inHall, online, absent: absent.length })),
    version: versionText === '' ? '' : clean(`${labels.version}${labels.colon}${versionText}`),
    body: normalizeBody(input.body).map((b) => polishEvents(b, polished)),
    decisions: [...outcomes, ...results],
    signatures: (conveners.length > 0 ? conveners : ['']).map((n) => labels.signature(n)),
  };
}

export function isChinese(labels: ExportLabels): boolean {
  return labels.lang.toLowerCase().startsWith('zh');
}

/** Room events (texts the system wrote, possibly before it wrote Chinese punctuation) polished. */
function polishEvents(node: BlockNode, polish: (text: string) => string): BlockNode {
  switch (node.type) {
    case 'roomEvent':
      return { ...node, text: polish(node.text) };
    case 'agendaSection':
    case 'blockquote':
      return { ...node, content: node.content.map((b) => polishEvents(b, polish)) };
    default:
      return node;
  }
}

const han = /\p{Script=Han}/u;
const fullWidth: Record<string, string> = { ':': '：', ',': '，', ';': '；', '?': '？', '!': '！' };

/**
 * ASCII punctuation next to Chinese made Chinese: "发言:周敏(3秒)" becomes "发言：周敏（3秒）".
 * Only where a Chinese character touches the mark (or is inside the brackets), so times (14:30),
 * dates and English stay as they are.
 */
export function chinesePunctuation(text: string): string {
  let out = text.replace(/\(([^()\n]*)\)/g, (m, inner: string, at: number, all: string) => {
    const before = all.slice(0, at);
    const after = all.slice(at + m.length);
    const touches = han.test(inner) || cjk(before.slice(-1)) || cjk(after.slice(0, 1));
    return touches ? `（${inner.trim()}）` : m;
  });
  out = out.replace(/([:,;?!])[ \t]*/g, (m, mark: string, at: number, all: string) => {
    const prev = all.slice(0, at).slice(-1);
    const next = all.slice(at + m.length, at + m.length + 1);
    return cjk(prev) || cjk(next) ? (fullWidth[mark] ?? mark) : m;
  });
  return out;
}

/** A Chinese character or Chinese punctuation. */
const cjk = (ch: string) => ch !== '' && (han.test(ch) || '（）：，；、。？！'.includes(ch));

/**
 * A room event as label and text: the label once, whether the stored text starts with it
 * ("发言：周敏（3分钟）", as the room writes it) or not (then the kind's label).
 */
export function eventParts(node: RoomEventNode, labels: ExportLabels): { label: string; text: string } {
  const parts = splitRoomEventText(node.text);
  return { label: parts.label ?? labels.eventKinds[node.kind], text: parts.text };
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
