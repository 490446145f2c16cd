import { type AgendaItem, minutesSchema, type RoomEventKind } from '@yitang/shared';
import * as Y from 'yjs';

/**
 * The shape the room writes into a minutes document, as y-prosemirror stores TipTap nodes:
 * one `agendaSection` element per agenda item (attrs itemId, title; at least one block inside),
 * and `roomEvent` atoms (attrs kind, refId, text) inside the section of their item.
 * Editors annotate by writing paragraphs around the events.
 */

const fragment = (doc: Y.Doc) => doc.getXmlFragment(minutesSchema.fragment);

function sections(doc: Y.Doc): Y.XmlElement[] {
  return fragment(doc)
    .toArray()
    .filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === minutesSchema.section);
}

function findSection(doc: Y.Doc, itemId: string): Y.XmlElement | undefined {
  return sections(doc).find((s) => s.getAttribute('itemId') === itemId);
}

const emptyParagraph = () => new Y.XmlElement('paragraph');

function newSection(item: AgendaItem): Y.XmlElement {
  const section = new Y.XmlElement(minutesSchema.section);
  section.setAttribute('itemId', item.id);
  section.setAttribute('title', item.title);
  section.insert(0, [emptyParagraph()]);
  return section;
}

/**
 * Makes sure every agenda item has its section, in agenda order, and that titles follow the
 * agenda. Existing sections and everything written in them are kept; nothing is ever removed
 * (a dropped item's notes stay in the minutes). Call inside a transaction.
 */
export function ensureSections(doc: Y.Doc, agenda: AgendaItem[]): void {
  const frag = fragment(doc);
  let previous: Y.XmlElement | null = null;
  for (const item of agenda) {
    const existing = findSection(doc, item.id);
    if (existing) {
      if (existing.getAttribute('title') !== item.title) existing.setAttribute('title', item.title);
      previous = existing;
      continue;
    }
    const section = newSection(item);
    // Insert after the previous item's section, or at the start before any other section.
    const nodes = frag.toArray();
    const at = previous ? nodes.indexOf(previous) + 1 : firstSectionIndex(nodes);
    frag.insert(at, [section]);
    previous = section;
  }
}

function firstSectionIndex(nodes: unknown[]): number {
  const i = nodes.findIndex((n) => n instanceof Y.XmlElement && n.nodeName === minutesSchema.section);
  return i === -1 ? nodes.length : i;
}

export interface MinutesEvent {
  kind: RoomEventKind;
  /** The record this block stands for (suggestion id, poll id, …); a second write is skipped. */
  refId: string;
  text: string;
}

const isEmptyParagraph = (n: unknown) => n instanceof Y.XmlElement && n.nodeName === 'paragraph' && n.length === 0;

/**
 * Inserts a room event into the section of `itemId` (the agenda item current when it happened),
 * before the section's trailing empty paragraph, so editors can keep writing after it. Events
 * without an item, or whose item has no section, go to the end of the document. Idempotent by
 * `kind` + `refId`. Call inside a transaction.
 */
export function appendEvent(doc: Y.Doc, itemId: string | null, event: MinutesEvent): void {
  const existing = findEvent(doc, event);
  if (existing) {
    // The record changed (an outcome edited, say): the block follows, where it is.
    if (existing.getAttribute('text') !== event.text) existing.setAttribute('text', event.text);
    return;
  }
  const block = new Y.XmlElement(minutesSchema.event);
  block.setAttribute('kind', event.kind);
  block.setAttribute('refId', event.refId);
  block.setAttribute('text', event.text);
  const target: Y.XmlElement | Y.XmlFragment = (itemId && findSection(doc, itemId)) || fragment(doc);
  const children = target.toArray();
  if (isEmptyParagraph(children.at(-1))) {
    target.insert(children.length - 1, [block]);
  } else {
    target.insert(children.length, [block, emptyParagraph()]);
  }
}

function findEvent(doc: Y.Doc, event: MinutesEvent): Y.XmlElement | undefined {
  const walk = (node: Y.XmlElement | Y.XmlFragment): Y.XmlElement | undefined => {
    for (const n of node.toArray()) {
      if (!(n instanceof Y.XmlElement)) continue;
      if (n.nodeName === minutesSchema.event) {
        if (n.getAttribute('kind') === event.kind && n.getAttribute('refId') === event.refId) return n;
      } else {
        const found = walk(n);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(fragment(doc));
}

/** The events of a document, in order, with the section they are in (for tests and export). */
export function listEvents(doc: Y.Doc): Array<{ itemId: string | null; kind: string; refId: string; text: string }> {
  const out: Array<{ itemId: string | null; kind: string; refId: string; text: string }> = [];
  const walk = (node: Y.XmlElement | Y.XmlFragment, itemId: string | null) => {
    for (const n of node.toArray()) {
      if (!(n instanceof Y.XmlElement)) continue;
      if (n.nodeName === minutesSchema.event) {
        out.push({
          itemId,
          kind: n.getAttribute('kind') ?? '',
          refId: n.getAttribute('refId') ?? '',
          text: n.getAttribute('text') ?? '',
        });
      } else {
        walk(n, n.nodeName === minutesSchema.section ? (n.getAttribute('itemId') ?? null) : itemId);
      }
    }
  };
  walk(fragment(doc), null);
  return out;
}
