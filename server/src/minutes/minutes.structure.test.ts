import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendEvent, ensureSections, listEvents } from './minutes.structure';

const agenda = [
  { id: 'a1', title: '情况通报', plannedMinutes: 15 },
  { id: 'a2', title: '协商讨论', plannedMinutes: 45 },
];

const sectionIds = (doc: Y.Doc) =>
  doc
    .getXmlFragment('default')
    .toArray()
    .filter((n): n is Y.XmlElement => n instanceof Y.XmlElement)
    .map((n) => `${n.nodeName}:${n.getAttribute('itemId') ?? ''}`);

describe('minutes structure', () => {
  it('creates one section per agenda item, in order, keeping what is there', () => {
    const doc = new Y.Doc();
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText('会前说明')]);
    doc.getXmlFragment('default').insert(0, [p]);
    doc.transact(() => ensureSections(doc, agenda));
    expect(sectionIds(doc)).toEqual(['paragraph:', 'agendaSection:a1', 'agendaSection:a2']);
    // A new item between two, a renamed one; running again changes nothing else.
    const next = [
      { id: 'a1', title: '情况通报', plannedMinutes: 15 },
      { id: 'a9', title: '补充', plannedMinutes: 5 },
      { id: 'a2', title: '讨论(改)', plannedMinutes: 45 },
    ];
    doc.transact(() => ensureSections(doc, next));
    doc.transact(() => ensureSections(doc, next));
    expect(sectionIds(doc)).toEqual(['paragraph:', 'agendaSection:a1', 'agendaSection:a9', 'agendaSection:a2']);
    const a2 = doc.getXmlFragment('default').get(3);
    expect(a2 instanceof Y.XmlElement && a2.getAttribute('title')).toBe('讨论(改)');
  });

  it('puts events into the section of their item, once each', () => {
    const doc = new Y.Doc();
    doc.transact(() => ensureSections(doc, agenda));
    doc.transact(() => appendEvent(doc, 'a2', { kind: 'suggestion', refId: 's1', text: '建议设置临时摊位区' }));
    doc.transact(() => appendEvent(doc, 'a2', { kind: 'suggestion', refId: 's1', text: '建议设置临时摊位区' }));
    doc.transact(() => appendEvent(doc, 'a1', { kind: 'speech', refId: 't1', text: '发言:周敏' }));
    doc.transact(() => appendEvent(doc, null, { kind: 'outcome', refId: 'o1', text: '成果' }));
    expect(listEvents(doc)).toEqual([
      { itemId: 'a1', kind: 'speech', refId: 't1', text: '发言:周敏' },
      { itemId: 'a2', kind: 'suggestion', refId: 's1', text: '建议设置临时摊位区' },
      { itemId: null, kind: 'outcome', refId: 'o1', text: '成果' },
    ]);
    // Each section still ends with an empty paragraph to write in.
    const a2 = doc.getXmlFragment('default').get(1);
    expect(
      a2 instanceof Y.XmlElement && a2.toArray().map((n) => (n instanceof Y.XmlElement ? n.nodeName : 'text')),
    ).toEqual(['roomEvent', 'paragraph']);
  });
});
