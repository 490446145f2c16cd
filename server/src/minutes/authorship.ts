import { limits, minutesSchema } from '@yitang/shared';
import * as Y from 'yjs';

/**
 * 谁写了什么, counted as a reader would count it: an edit is a run of one person's writing in one
 * block (a paragraph, a heading, a list item's paragraph), not one Yjs update per keystroke. Two
 * sentences typed in two paragraphs are two edits, however many keys it took.
 *
 * Only writing counts: text typed, deleted or formatted, and blocks removed. A client that only
 * reshapes the document (the empty paragraph an editor adds after a section the room inserted,
 * attributes set again on a room's card) has written nothing, so whoever happened to have the
 * editor open is not credited with the room's blocks.
 */

/** The key of a block: the Yjs id of the element holding the text ('' for text outside any element). */
function keyOf(type: { _item: Y.Item | null } | null): string {
  const item = type?._item;
  return item ? `${item.id.client}:${item.id.clock}` : '';
}

const isRoomCard = (type: unknown) => type instanceof Y.XmlElement && type.nodeName === minutesSchema.event;

/** The block a piece of content (text, an embed, a format mark) belongs to, if it is text. */
function blockOfContent(item: Y.Item): string | null {
  const content = item.content;
  if (
    !(content instanceof Y.ContentString || content instanceof Y.ContentEmbed || content instanceof Y.ContentFormat)
  ) {
    return null;
  }
  const text = item.parent;
  if (!(text instanceof Y.XmlText || text instanceof Y.Text)) return null;
  const block = text._item?.parent;
  if (block instanceof Y.AbstractType) return isRoomCard(block) ? null : keyOf(block);
  return `text:${keyOf(text)}`;
}

/** The block a removed element was, unless it was one of the room's cards. */
function removedBlock(item: Y.Item): string | null {
  const content = item.content;
  if (!(content instanceof Y.ContentType)) return null;
  const type = content.type;
  if (!(type instanceof Y.XmlElement) || isRoomCard(type)) return null;
  return keyOf(type);
}

/**
 * The blocks a transaction wrote in: those whose text it inserted, deleted or formatted, and the
 * elements it removed. Read in the document's `afterTransaction`, before deleted content is
 * collected.
 */
export function writtenBlocks(tr: Y.Transaction): Set<string> {
  const blocks = new Set<string>();
  const add = (key: string | null) => {
    if (key !== null) blocks.add(key);
  };
  for (const [client, after] of tr.afterState) {
    const before = tr.beforeState.get(client) ?? 0;
    if (after <= before) continue;
    const structs = tr.doc.store.clients.get(client) ?? [];
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const s = structs[i];
      if (!s || s.id.clock >= after) break;
      if (s instanceof Y.Item && !s.deleted) add(blockOfContent(s));
    }
  }
  Y.iterateDeletedStructs(tr, tr.deleteSet, (s) => {
    if (s instanceof Y.Item) add(blockOfContent(s) ?? removedBlock(s));
  });
  return blocks;
}

/** Edits per author as they are counted; times in ms since the epoch. */
export interface EditTally {
  edits: number;
  first: number;
  last: number;
}

/**
 * Counts edits per author: a transaction that writes only in the blocks of the author's current
 * run, within `minutesEditPauseMs` of their last writing, continues that edit; anything else
 * begins a new one.
 */
export class EditCounter {
  private readonly runs = new Map<string, { blocks: Set<string>; at: number }>();

  /** Records one transaction of `author` writing in `blocks`; true when it begins a new edit. */
  record(author: string, blocks: ReadonlySet<string>, now: number): boolean {
    if (blocks.size === 0) return false;
    const run = this.runs.get(author);
    const continues =
      run !== undefined && now - run.at <= limits.minutesEditPauseMs && [...blocks].every((b) => run.blocks.has(b));
    this.runs.set(author, { blocks: continues ? run.blocks : new Set(blocks), at: now });
    return !continues;
  }
}

/** Adds one edit (or, with `edits` 0, only the time) to an author's tally in `tallies`. */
export function tally(tallies: Map<string, EditTally>, author: string, edits: number, now: number): void {
  const a = tallies.get(author);
  if (a) {
    a.edits += edits;
    a.last = now;
  } else {
    tallies.set(author, { edits, first: now, last: now });
  }
}
