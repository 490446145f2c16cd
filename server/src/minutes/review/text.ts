import { type DiffLine, limits } from '@yitang/shared';
import { diffLines } from 'diff';
import * as Y from 'yjs';
import { type BlockNode, bodyToMarkdown, fromYDoc, type InlineNode, type ListItemNode } from '../export';

/** The minutes tree of a stored Yjs state (an empty document for null). */
export function blocksOf(state: Uint8Array | null): BlockNode[] {
  const doc = new Y.Doc();
  try {
    if (state) Y.applyUpdate(doc, state);
    return fromYDoc(doc);
  } finally {
    doc.destroy();
  }
}

/** Plain text of the minutes: one block a line, agenda titles included, no markup. */
export function plainText(blocks: BlockNode[]): string {
  return blocks
    .map(blockText)
    .filter((t) => t !== '')
    .join('\n');
}

function blockText(b: BlockNode): string {
  switch (b.type) {
    case 'heading':
    case 'paragraph':
      return inlineText(b.content);
    case 'bulletList':
    case 'orderedList':
      return b.content
        .map(itemText)
        .filter((t) => t !== '')
        .join('\n');
    case 'blockquote':
      return plainText(b.content);
    case 'agendaSection':
      return [b.title, plainText(b.content)].filter((t) => t !== '').join('\n');
    case 'codeBlock':
    case 'roomEvent':
    case 'unknown':
      return b.text;
    case 'horizontalRule':
      return '';
  }
}

function itemText(item: ListItemNode): string {
  return plainText(item.content);
}

function inlineText(content: InlineNode[]): string {
  return content.map((n) => (n.type === 'hardBreak' ? '\n' : n.text)).join('');
}

/**
 * The body of the minutes as Markdown, exactly as the export writes it under its "主要内容"
 * heading (agenda sections, room events, marks), without the header, decisions and signatures.
 */
export function bodyMarkdown(blocks: BlockNode[]): string {
  return bodyToMarkdown(blocks);
}

/** A line diff of two texts, one entry a line; null when they are too long or differ too much. */
export function lineDiff(from: string, to: string): DiffLine[] | null {
  const lineCount = (s: string) => {
    let n = 1;
    for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n += 1;
    return n;
  };
  if (lineCount(from) > limits.maxMinutesDiffLines || lineCount(to) > limits.maxMinutesDiffLines) return null;
  // Bounded by the edit length and by time: `diff` gives up (undefined) past either.
  const changes = diffLines(from, to, {
    maxEditLength: limits.maxMinutesDiffEditLines,
    timeout: limits.minutesDiffTimeoutMs,
  });
  if (!changes) return null;
  const lines: DiffLine[] = [];
  for (const change of changes) {
    const op: DiffLine['op'] = change.added ? 'added' : change.removed ? 'removed' : 'same';
    const value = change.value.endsWith('\n') ? change.value.slice(0, -1) : change.value;
    for (const text of value.split('\n')) lines.push({ op, text });
  }
  return lines;
}

/** Escapes a user's text for use inside a regular expression. */
export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Some context around the first occurrence of `q` in `text` (case-insensitive), on one line, with
 * an ellipsis where it was cut; null when `q` does not occur. Counts code points, not UTF-16 units.
 */
export function excerpt(text: string, q: string, context = 30): string | null {
  const m = new RegExp(escapeRegExp(q), 'iu').exec(text);
  if (!m) return null;
  const before = Array.from(text.slice(0, m.index));
  const after = Array.from(text.slice(m.index + m[0].length));
  const head = before.slice(-context).join('');
  const tail = after.slice(0, context).join('');
  const flat = (s: string) => s.replace(/\s+/g, ' ');
  return `${before.length > context ? '…' : ''}${flat(head)}${flat(m[0])}${flat(tail)}${after.length > context ? '…' : ''}`.trim();
}

/**
 * A Content-Disposition for a download: an ASCII fallback and the real name in RFC 5987 form
 * (UTF-8, percent-encoded; `'()*` encoded too, as attr-char excludes them).
 */
export function contentDisposition(filename: string, fallback: string): string {
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encoded}`;
}

/** A topic made safe as a file name: no path separators, controls or quotes; at most 80 characters. */
export function fileStem(topic: string): string {
  const unsafe = new Set(['/', '\\', ':', '*', '?', '"', '<', '>', '|']);
  const chars = Array.from(topic, (ch) => {
    const c = ch.codePointAt(0) ?? 0;
    return c < 0x20 || c === 0x7f || unsafe.has(ch) ? ' ' : ch;
  });
  const cleaned = chars.join('').replace(/\s+/g, ' ').trim();
  return Array.from(cleaned).slice(0, 80).join('') || 'minutes';
}
