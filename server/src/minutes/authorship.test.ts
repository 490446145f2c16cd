import { limits, minutesSchema } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { EditCounter, type EditTally, tally, writtenBlocks } from './authorship';
import { appendEvent, ensureSections } from './minutes.structure';

/**
 * A server document and one writer's document, joined as the minutes server joins them: each
 * of the writer's transactions reaches the server as one update, applied with the writer as
 * origin; the server counts edits the way LiveDoc does.
 */
function setup() {
  const server = new Y.Doc();
  const writer = new Y.Doc();
  const counter = new EditCounter();
  const tallies = new Map<string, EditTally>();
  let now = 1_000_000;
  server.on('afterTransaction', (tr: Y.Transaction) => {
    if (tr.origin === 'writer') tally(tallies, 'writer', counter.record('writer', writtenBlocks(tr), now) ? 1 : 0, now);
  });
  writer.on('update', (u: Uint8Array, origin: unknown) => {
    if (origin !== 'server') Y.applyUpdate(server, u, 'writer');
  });
  server.on('update', (u: Uint8Array, origin: unknown) => {
    if (origin !== 'writer') Y.applyUpdate(writer, u, 'server');
  });
  const fragment = () => writer.getXmlFragment(minutesSchema.fragment);
  return {
    server,
    writer,
    edits: () => tallies.get('writer')?.edits ?? 0,
    later: (ms: number) => {
      now += ms;
    },
    /** Enter: a new empty paragraph at the end, as the editor makes it. */
    enter(): Y.XmlElement {
      const p = new Y.XmlElement('paragraph');
      writer.transact(() => fragment().insert(fragment().length, [p]));
      return p;
    },
    /** Types `text` into a paragraph one key at a time: one transaction (one update) per key. */
    type(p: Y.XmlElement, text: string): void {
      for (const ch of text) {
        writer.transact(() => {
          let t = p.get(0);
          if (!(t instanceof Y.XmlText)) {
            t = new Y.XmlText();
            p.insert(0, [t]);
          }
          if (t instanceof Y.XmlText) t.insert(t.length, ch);
        });
      }
    },
    backspace(p: Y.XmlElement, times: number): void {
      for (let i = 0; i < times; i++) {
        writer.transact(() => {
          const t = p.get(0);
          if (t instanceof Y.XmlText) t.delete(t.length - 1, 1);
        });
      }
    },
  };
}

describe('谁写了什么 counts edits as a reader would', () => {
  it('two sentences typed key by key in two paragraphs are two edits, not one per key', () => {
    const s = setup();
    const first = s.enter();
    s.type(first, '经济组建议由科技局牵头建设共享平台。');
    s.enter();
    const second = s.writer.getXmlFragment(minutesSchema.fragment).get(1);
    if (!(second instanceof Y.XmlElement)) throw new Error('no second paragraph');
    s.type(second, '与会委员一致赞同，请街道做好日常管理。');
    expect(s.edits()).toBe(2);
  });

  it('correcting a typo in the same run is the same edit; writing again after a pause is a new one', () => {
    const s = setup();
    const p = s.enter();
    s.type(p, '临时摊位区设在南门西侧');
    s.backspace(p, 3);
    s.type(p, '东侧空地。');
    expect(s.edits()).toBe(1);
    s.later(limits.minutesEditPauseMs + 1);
    s.type(p, '由街道负责。');
    expect(s.edits()).toBe(2);
  });

  it('going back to an earlier paragraph is a new edit', () => {
    const s = setup();
    const a = s.enter();
    s.type(a, '第一段。');
    const b = s.enter();
    s.type(b, '第二段。');
    s.type(a, '补一句。');
    expect(s.edits()).toBe(3);
  });

  it('removing a paragraph is writing; adding an empty one, or touching the room’s blocks, is not', () => {
    const s = setup();
    // The room writes a section and an event; the writer's editor adds its trailing paragraph.
    s.server.transact(() => {
      ensureSections(s.server, [{ id: 'i1', title: '情况通报', plannedMinutes: 10 }]);
      appendEvent(s.server, 'i1', { kind: 'speech', refId: 'm-1:1', text: '发言：周敏（3分钟）' });
    }, 'room');
    s.enter();
    expect(s.edits()).toBe(0);

    const p = s.enter();
    s.type(p, '要删除的一句。');
    expect(s.edits()).toBe(1);
    const fragment = s.writer.getXmlFragment(minutesSchema.fragment);
    s.writer.transact(() => fragment.delete(fragment.length - 1, 1));
    // The same block, at once: the removal continues that edit.
    expect(s.edits()).toBe(1);
    s.writer.transact(() => fragment.delete(fragment.length - 1, 1));
    // An empty paragraph removed: its own block, a new edit.
    expect(s.edits()).toBe(2);
  });
});

describe('writtenBlocks', () => {
  it('names the paragraph whose text changed, and nothing for a new empty paragraph', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment(minutesSchema.fragment);
    const seen: Array<Set<string>> = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => seen.push(writtenBlocks(tr)));
    const p = new Y.XmlElement('paragraph');
    doc.transact(() => fragment.insert(0, [p]));
    doc.transact(() => {
      const t = new Y.XmlText();
      p.insert(0, [t]);
      t.insert(0, '一句话。');
    });
    expect(seen.map((b) => b.size)).toEqual([0, 1]);
    const item = p._item;
    expect([...(seen[1] ?? [])]).toEqual([item ? `${item.id.client}:${item.id.clock}` : '?']);
  });
});
