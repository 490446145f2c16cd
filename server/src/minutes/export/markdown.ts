import { eventParts, type Prepared, prepare, safeHref, shiftLevel } from './common';
import type { BlockNode, ExportInput, InlineNode, ListItemNode, Mark } from './types';

/** The minutes as CommonMark, laid out as a 协商议事活动纪要. Ends with one newline. */
export function toMarkdown(input: ExportInput): string {
  const p = prepare(input);
  const { labels } = p;
  const parts: string[] = [`# ${escapeText(p.title, true)}`.trimEnd()];
  if (p.number !== null) parts.push(escapeText(p.number, true));
  if (p.meta.length > 0) {
    parts.push(
      p.meta.map((m) => `- **${escapeText(m.label)}**${escapeText(labels.colon)}${escapeText(m.value)}`).join('\n'),
    );
  }
  if (p.attendanceSummary !== '') parts.push(escapeText(p.attendanceSummary, true));
  if (p.version !== '') parts.push(escapeText(p.version, true));

  parts.push(`## ${escapeText(labels.content)}`);
  const body = blocks(p.body, 2, p);
  parts.push(body === '' ? escapeText(labels.emptyMinutes, true) : body);

  parts.push(`## ${escapeText(labels.decisions)}`);
  parts.push(
    p.decisions.length === 0
      ? escapeText(labels.noDecisions, true)
      : p.decisions.map((d, i) => `${i + 1}. ${plain(d).split('\\\n').join('\\\n   ')}`).join('\n'),
  );
  parts.push(...p.signatures.map((line) => escapeText(line, true)));
  return `${parts.join('\n\n')}\n`;
}

/**
 * Only the body of the minutes as Markdown (agenda sections, room events, marks), exactly as the
 * export writes it under its content heading: what versions are compared by.
 */
export function bodyToMarkdown(body: BlockNode[]): string {
  const p = prepare({
    title: '',
    sessionMeta: { roomName: '', scheduledAt: '', mode: '', conveners: [] },
    version: { label: '', createdAt: '' },
    attendance: [],
    votes: [],
    body,
  });
  const md = blocks(p.body, 2, p);
  return `${md === '' ? escapeText(p.labels.emptyMinutes, true) : md}\n`;
}

function blocks(nodes: BlockNode[], offset: number, p: Prepared): string {
  return nodes
    .map((n) => block(n, offset, p))
    .filter((s) => s !== '')
    .join('\n\n');
}

function block(node: BlockNode, offset: number, p: Prepared): string {
  const { labels } = p;
  switch (node.type) {
    case 'heading':
      return `${'#'.repeat(shiftLevel(node.level, offset))} ${inline(node.content, ' ')}`.trimEnd();
    case 'paragraph':
      return inline(node.content, '\\\n');
    case 'bulletList':
      return list(
        node.content.map((item) => ({ marker: '- ', item })),
        offset,
        p,
      );
    case 'orderedList':
      return list(
        node.content.map((item, i) => ({ marker: `${node.start + i}. `, item })),
        offset,
        p,
      );
    case 'blockquote':
      return quote(blocks(node.content, offset, p));
    case 'codeBlock': {
      const longest = Math.max(2, ...Array.from(node.text.matchAll(/`+/g), (m) => m[0].length));
      const fence = '`'.repeat(longest + 1);
      const info = (node.language ?? '').replace(/[`\s]/g, '');
      return `${fence}${info}\n${node.text}${node.text.endsWith('\n') || node.text === '' ? '' : '\n'}${fence}`;
    }
    case 'horizontalRule':
      return '---';
    case 'agendaSection': {
      const title = node.title.trim() === '' ? labels.untitledAgendaItem : node.title;
      const heading = `${'#'.repeat(shiftLevel(1, offset))} ${escapeText(title.replace(/\s*\n\s*/g, ' '), true)}`;
      const body = blocks(node.content, offset + 1, p);
      return body === '' ? heading : `${heading}\n\n${body}`;
    }
    case 'roomEvent': {
      const e = eventParts(node, labels);
      return quote(`**${escapeText(e.label)}**${escapeText(labels.colon)}${plain(e.text)}`);
    }
    case 'unknown':
      return plain(node.text, true);
  }
}

/** Plain text as Markdown: escaped, line breaks kept as hard breaks. */
function plain(text: string, atLineStart = false): string {
  return text
    .split('\n')
    .map((line, i) => escapeText(line, atLineStart || i > 0))
    .join('\\\n')
    .replace(/\\\n$/, '');
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? '>' : `> ${l}`))
    .join('\n');
}

function list(items: Array<{ marker: string; item: ListItemNode }>, offset: number, p: Prepared): string {
  let loose = false;
  const rendered = items.map(({ marker, item }) => {
    const parts = item.content.map((b) => block(b, offset, p));
    let body = '';
    item.content.forEach((b, i) => {
      const s = parts[i] ?? '';
      if (s === '') return;
      if (body !== '') {
        // A nested list hugs the paragraph before it; anything else needs a blank line (and makes the list loose).
        const nested = b.type === 'bulletList' || b.type === 'orderedList';
        if (!nested) loose = true;
        body += nested ? '\n' : '\n\n';
      }
      body += s;
    });
    if (body === '') return marker.trimEnd();
    const pad = ' '.repeat(marker.length);
    return (
      marker +
      body
        .split('\n')
        .map((l, i) => (i === 0 || l === '' ? l : pad + l))
        .join('\n')
    );
  });
  return rendered.join(loose ? '\n\n' : '\n');
}

function sameMark(a: Mark | undefined, b: Mark | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  return a.type === b.type && (a.type !== 'link' || (b.type === 'link' && a.href === b.href));
}

const stackOrder: Mark['type'][] = ['link', 'bold', 'italic', 'strike'];

/** The marks Markdown delimits, outermost first; links only with a safe href. Code is written per run. */
function markdownMarks(marks: Mark[]): Mark[] {
  const out: Mark[] = [];
  for (const type of stackOrder) {
    const mark = marks.find((m) => m.type === type);
    if (mark?.type === 'link') {
      const href = safeHref(mark.href);
      if (href !== null) out.push({ type: 'link', href });
    } else if (mark) {
      out.push(mark);
    }
  }
  return out;
}

function openMark(m: Mark): string {
  switch (m.type) {
    case 'link':
      return '[';
    case 'bold':
      return '**';
    case 'italic':
      return '*';
    case 'strike':
      return '~~';
    default:
      return '';
  }
}

function closeMark(m: Mark): string {
  if (m.type !== 'link') return openMark(m);
  const href = m.href;
  return /^[^\s()<>\\]+$/.test(href) ? `](${href})` : `](<${href.replace(/[\\<>]/g, '\\$&').replace(/\n/g, '')}>)`;
}

/**
 * Inline content with its marks. Marks open and close as a stack across text nodes so adjacent runs share
 * delimiters, and whitespace at the edge of a run is moved outside the delimiters (CommonMark does not
 * let `** x**` be bold). Underline has no Markdown form and is written as plain text.
 */
function inline(content: InlineNode[], hardBreak: string): string {
  let out = '';
  const stack: Mark[] = [];
  let pendingWs = '';
  let lineHasContent = false;
  const closeAll = () => {
    for (let m = stack.pop(); m; m = stack.pop()) out += closeMark(m);
  };
  const lineBreak = () => {
    closeAll();
    pendingWs = '';
    if (lineHasContent) out += hardBreak;
    lineHasContent = false;
  };
  const text = (value: string, marks: Mark[]) => {
    const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(value);
    const lead = m?.[1] ?? '';
    const core = m?.[2] ?? '';
    const trail = m?.[3] ?? '';
    if (core === '') {
      pendingWs += value;
      return;
    }
    const want = markdownMarks(marks);
    let k = 0;
    while (k < stack.length && k < want.length && sameMark(stack[k], want[k])) k++;
    while (stack.length > k) {
      const top = stack.pop();
      if (top) out += closeMark(top);
    }
    if (lineHasContent) out += pendingWs + lead;
    pendingWs = '';
    for (const mk of want.slice(k)) {
      out += openMark(mk);
      stack.push(mk);
    }
    const opened = want.length > k;
    out += marks.some((mk) => mk.type === 'code') ? codeSpan(core) : escapeText(core, !lineHasContent && !opened);
    lineHasContent = true;
    pendingWs = trail;
  };
  for (const node of content) {
    if (node.type === 'hardBreak') {
      lineBreak();
      continue;
    }
    const marks = node.type === 'text' ? node.marks : [];
    node.text.split('\n').forEach((segment, i) => {
      if (i > 0) lineBreak();
      text(segment, marks);
    });
  }
  closeAll();
  return out;
}

function codeSpan(code: string): string {
  const longest = Math.max(0, ...Array.from(code.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^`|`$/.test(code) || (/^ [\s\S]* $/.test(code) && code.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${code}${pad}${fence}`;
}

/**
 * Escapes Markdown syntax in plain text. At the start of a line, also what would start a block there:
 * a heading, a list item, a setext underline.
 */
export function escapeText(text: string, atLineStart = false): string {
  let s = text.replace(/[\\`*_[\]<>~|]/g, '\\$&').replace(/&(?=#?[a-z0-9]+;)/gi, '\\&');
  if (atLineStart) {
    s = s.replace(/^(\s*)([#+=-])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2');
  }
  return s;
}
