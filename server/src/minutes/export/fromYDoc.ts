import * as Y from 'yjs';
import {
  type BlockNode,
  type HeadingLevel,
  type InlineNode,
  type ListItemNode,
  type Mark,
  type MarkType,
  type RoomEventKind,
  roomEventKinds,
  type TextNode,
  type UnknownNode,
} from './types';

/** The XmlFragment TipTap's Collaboration extension binds by default. */
export const MINUTES_FRAGMENT = 'default';

type YChild = Y.XmlElement | Y.XmlText | Y.XmlHook;

/**
 * Reads the minutes out of a Y.Doc as y-prosemirror (TipTap Collaboration) writes them: elements named
 * after ProseMirror nodes with the node attrs as attributes, text as Y.XmlText whose format attributes
 * are the marks (`{ bold: {} }`, `{ link: { href } }`). Nothing is dropped: an unknown node becomes an
 * `unknown` node carrying its text.
 */
export function fromYDoc(doc: Y.Doc, fragmentName: string = MINUTES_FRAGMENT): BlockNode[] {
  return toBlocks(doc.getXmlFragment(fragmentName).toArray());
}

function toBlocks(children: YChild[]): BlockNode[] {
  const blocks: BlockNode[] = [];
  // Inline content met at block level (text directly in a blockquote, a stray hardBreak) is
  // gathered into a paragraph rather than lost.
  let loose: YChild[] = [];
  const flush = () => {
    if (loose.length > 0) {
      const content = toInlines(loose);
      if (content.length > 0) blocks.push({ type: 'paragraph', content });
      loose = [];
    }
  };
  for (const child of children) {
    if (child instanceof Y.XmlText || (child instanceof Y.XmlElement && child.nodeName === 'hardBreak')) {
      loose.push(child);
      continue;
    }
    flush();
    blocks.push(toBlock(child));
  }
  flush();
  return blocks;
}

function toBlock(node: Y.XmlElement | Y.XmlHook): BlockNode {
  if (!(node instanceof Y.XmlElement)) return unknownOf(node);
  const attrs = node.getAttributes();
  const children = node.toArray();
  switch (node.nodeName) {
    case 'paragraph':
      return { type: 'paragraph', content: toInlines(children) };
    case 'heading':
      return { type: 'heading', level: headingLevel(attrs.level), content: toInlines(children) };
    case 'bulletList':
      return { type: 'bulletList', content: toItems(children) };
    case 'orderedList':
      return { type: 'orderedList', start: listStart(attrs.start), content: toItems(children) };
    case 'listItem':
      // A list item outside a list: keep it, in a list of its own.
      return { type: 'bulletList', content: toItems([node]) };
    case 'blockquote':
      return { type: 'blockquote', content: toBlocks(children) };
    case 'codeBlock':
      return { type: 'codeBlock', language: nonEmptyString(attrs.language), text: plainText(children) };
    case 'horizontalRule':
      return { type: 'horizontalRule' };
    case 'agendaSection':
      return {
        type: 'agendaSection',
        itemId: stringAttr(attrs.itemId),
        title: stringAttr(attrs.title),
        content: toBlocks(children),
      };
    case 'roomEvent': {
      const kind = roomEventKind(attrs.kind);
      if (kind === null) return unknownOf(node);
      return { type: 'roomEvent', kind, refId: stringAttr(attrs.refId), text: stringAttr(attrs.text) };
    }
    default:
      return unknownOf(node);
  }
}

function toItems(children: YChild[]): ListItemNode[] {
  return children.map((child) =>
    child instanceof Y.XmlElement && child.nodeName === 'listItem'
      ? { type: 'listItem', content: toBlocks(child.toArray()) }
      : { type: 'listItem', content: toBlocks([child]) },
  );
}

function toInlines(children: YChild[]): InlineNode[] {
  const out: InlineNode[] = [];
  for (const child of children) {
    if (child instanceof Y.XmlText) {
      for (const op of deltaOf(child)) {
        if (typeof op.insert === 'string') {
          if (op.insert.length > 0) pushText(out, { type: 'text', text: op.insert, marks: marksOf(op.attributes) });
        } else {
          out.push({ type: 'unknown', name: 'embed', text: fallbackText('embed', op.insert) });
        }
      }
    } else if (child instanceof Y.XmlElement && child.nodeName === 'hardBreak') {
      out.push({ type: 'hardBreak' });
    } else {
      out.push(unknownOf(child));
    }
  }
  return out;
}

/** Appends a text node, merging it into the previous one when their marks are equal. */
function pushText(out: InlineNode[], node: TextNode): void {
  const last = out[out.length - 1];
  if (last?.type === 'text' && sameMarks(last.marks, node.marks)) {
    last.text += node.text;
  } else {
    out.push(node);
  }
}

function sameMarks(a: Mark[], b: Mark[]): boolean {
  return a.length === b.length && a.every((m, i) => JSON.stringify(m) === JSON.stringify(b[i]));
}

interface DeltaOp {
  insert: unknown;
  attributes: Record<string, unknown>;
}

function deltaOf(text: Y.XmlText): DeltaOp[] {
  const delta: unknown = text.toDelta();
  if (!Array.isArray(delta)) return [];
  const ops: DeltaOp[] = [];
  for (const op of delta) {
    if (isRecord(op) && 'insert' in op) {
      ops.push({ insert: op.insert, attributes: isRecord(op.attributes) ? op.attributes : {} });
    }
  }
  return ops;
}

const markOrder: readonly MarkType[] = ['link', 'bold', 'italic', 'underline', 'strike', 'code'];

/**
 * Marks from XmlText format attributes. y-prosemirror stores a mark's attrs as the value (`{}` for bold),
 * older or hand-made docs may use `true`; `null`/`false` means the mark was removed. Marks that may
 * overlap are stored as `name--hash`. Unknown marks (highlight, textStyle, ...) keep their text, unstyled.
 */
function marksOf(attributes: Record<string, unknown>): Mark[] {
  const marks = new Map<MarkType, Mark>();
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    const name = key.split('--')[0];
    switch (name) {
      case 'bold':
      case 'italic':
      case 'underline':
      case 'strike':
      case 'code':
        marks.set(name, { type: name });
        break;
      case 'link': {
        const href = isRecord(value) ? nonEmptyString(value.href) : nonEmptyString(value);
        if (href !== null) marks.set('link', { type: 'link', href });
        break;
      }
    }
  }
  return markOrder.flatMap((type) => {
    const mark = marks.get(type);
    return mark ? [mark] : [];
  });
}

function unknownOf(node: YChild): UnknownNode {
  const name = node instanceof Y.XmlElement ? node.nodeName : node instanceof Y.XmlHook ? node.hookName : 'text';
  const text = node instanceof Y.XmlElement ? textOf(node) : node instanceof Y.XmlText ? plainText([node]) : '';
  if (text.trim() !== '') return { type: 'unknown', name, text };
  const attrs = node instanceof Y.XmlElement ? node.getAttributes() : {};
  return { type: 'unknown', name, text: fallbackText(name, attrs) };
}

/** The text of an element: inline children concatenated, block children one per line. */
function textOf(el: Y.XmlElement): string {
  const children = el.toArray();
  const inline = children.every((c) => c instanceof Y.XmlText || isHardBreak(c));
  if (inline) return plainText(children);
  return children
    .map((c) => (c instanceof Y.XmlElement ? textOf(c) : c instanceof Y.XmlText ? plainText([c]) : ''))
    .filter((t) => t !== '')
    .join('\n');
}

function plainText(children: YChild[]): string {
  let s = '';
  for (const c of children) {
    if (c instanceof Y.XmlText) {
      for (const op of deltaOf(c)) if (typeof op.insert === 'string') s += op.insert;
    } else if (isHardBreak(c)) {
      s += '\n';
    } else if (c instanceof Y.XmlElement) {
      s += textOf(c);
    }
  }
  return s;
}

const fallbackAttrs = ['text', 'label', 'title', 'alt', 'name', 'href', 'src'];

/** Text for a node without text content: a telling attribute, else its name in brackets. */
function fallbackText(name: string, attrs: unknown): string {
  if (isRecord(attrs)) {
    for (const key of fallbackAttrs) {
      const value = nonEmptyString(attrs[key]);
      if (value !== null) return value;
    }
  }
  return `[${name}]`;
}

function isHardBreak(node: YChild): boolean {
  return node instanceof Y.XmlElement && node.nodeName === 'hardBreak';
}

function headingLevel(value: unknown): HeadingLevel {
  const n = typeof value === 'string' ? Number.parseInt(value, 10) : value;
  switch (n) {
    case 2:
      return 2;
    case 3:
      return 3;
    case 4:
      return 4;
    case 5:
      return 5;
    case 6:
      return 6;
    default:
      return 1;
  }
}

function listStart(value: unknown): number {
  const n = typeof value === 'string' ? Number.parseInt(value, 10) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : 1;
}

function roomEventKind(value: unknown): RoomEventKind | null {
  return roomEventKinds.find((k) => k === value) ?? null;
}

function stringAttr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
