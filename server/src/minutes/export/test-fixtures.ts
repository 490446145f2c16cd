import * as Y from 'yjs';
import { fromYDoc } from './fromYDoc';
import type { ExportInput } from './types';

type AttrValue = string | number | boolean | null | { [key: string]: string | null };

/** A node as y-prosemirror writes it: an element with attributes and children, or a text with a delta. */
export type Spec =
  | string
  | { el: string; attrs?: Record<string, AttrValue>; children?: Spec[] }
  | { text: Array<{ insert: string; attributes?: Record<string, AttrValue> }> };

/** A Y.Doc whose 'default' XmlFragment holds the given nodes, built with Y.XmlElement/Y.XmlText. */
export function buildDoc(specs: Spec[], fragment = 'default'): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => fill(doc.getXmlFragment(fragment), specs));
  return doc;
}

function fill(parent: Y.XmlFragment, specs: Spec[]): void {
  for (const raw of specs) {
    const spec = typeof raw === 'string' ? { text: [{ insert: raw }] } : raw;
    if ('text' in spec) {
      const text = new Y.XmlText();
      parent.insert(parent.length, [text]);
      text.applyDelta(spec.text);
    } else {
      const el = new Y.XmlElement(spec.el);
      parent.insert(parent.length, [el]);
      // Yjs types attribute values as strings by default, but y-prosemirror stores the ProseMirror attrs as
      // they are (a heading's level is a number, a link's attrs an object), which setAttribute accepts.
      for (const [key, value] of Object.entries(spec.attrs ?? {})) Reflect.apply(el.setAttribute, el, [key, value]);
      fill(el, spec.children ?? []);
    }
  }
}

export const el = (name: string, attrs: Record<string, AttrValue>, ...children: Spec[]): Spec => ({
  el: name,
  attrs,
  children,
});
export const p = (...children: Spec[]): Spec => el('paragraph', {}, ...children);
export const t = (insert: string, attributes?: Record<string, AttrValue>): Spec => ({
  text: [attributes ? { insert, attributes } : { insert }],
});

/** A small but complete set of minutes: headings, lists, marks, a link, an agenda section, a room event. */
export function sampleDoc(): Y.Doc {
  return buildDoc([
    el('heading', { level: 1 }, t('会议概况')),
    p(
      t('本次会议围绕'),
      t('南门小吃一条街', { bold: {} }),
      t('的油烟与占道问题进行协商，详见'),
      t('通报', { link: { href: 'https://example.org/notice?id=1' } }),
      t('。'),
    ),
    el(
      'agendaSection',
      { itemId: 'item-1', title: '一、现状通报' },
      el(
        'bulletList',
        {},
        el('listItem', {}, p(t('商户 '), t('42', { italic: {} }), t(' 家'))),
        el('listItem', {}, p(t('投诉 17 件'))),
      ),
      el('roomEvent', { kind: 'speech', refId: 'sp-1', text: '王建国：建议设置夜间限时经营。' }),
    ),
    el('orderedList', { start: 1 }, el('listItem', {}, p(t('统一油烟净化'))), el('listItem', {}, p(t('划定临时摊位')))),
  ]);
}

export function sampleInput(overrides: Partial<ExportInput> = {}): ExportInput {
  return {
    title: '南门小吃一条街整治',
    sessionMeta: {
      roomName: '南门街道协商议事室',
      scheduledAt: '2026-05-12T06:30:00.000Z',
      mode: 'hybrid',
      conveners: ['王建国', '李红梅'],
    },
    version: { label: '定稿', createdAt: '2026-05-13T01:00:00.000Z' },
    documentNumber: { year: 2026, number: 3 },
    attendance: [
      { name: '王建国', role: '第一召集人', group: 'presiding', inHall: true, online: false },
      // In the hall with a phone online too: counted once, in the hall.
      { name: '李红梅', role: '第二召集人', group: 'presiding', inHall: true, online: true },
      { name: '周敏', role: '委员', group: 'attending', inHall: true, online: false },
      { name: '陈晓东', role: '委员', group: 'attending', inHall: false, online: true },
      { name: '刘洋', role: '部门代表', group: 'sittingIn', inHall: true, online: false },
      { name: '孙丽', role: '记录员', group: 'recording', inHall: true, online: false },
      { name: '赵敏', role: '群众代表', group: 'sittingIn', inHall: false, online: false },
    ],
    votes: [
      { question: '是否同意实施夜间限时经营方案', kind: 'yesno', resultText: '通过：同意 12，反对 3，弃权 1' },
      {
        question: '摊位区选址',
        kind: 'single',
        resultText: '选出：南门东侧（南门东侧 8 票，南门西侧 4 票）',
        published: false,
      },
    ],
    outcomes: [{ text: '七月底前划定夜间临时摊位区', department: '市市场监督管理局', deadline: '2026-07-31' }],
    body: fromYDoc(sampleDoc()),
    ...overrides,
  };
}
