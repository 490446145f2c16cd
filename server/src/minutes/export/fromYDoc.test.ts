import { getSchema, Node } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { prosemirrorJSONToYDoc } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fromYDoc } from './fromYDoc';
import { buildDoc, el, p, t } from './test-fixtures';
import type { BlockNode } from './types';

const read = (...specs: Parameters<typeof buildDoc>[0]): BlockNode[] => fromYDoc(buildDoc(specs));
const text = (value: string, marks: object[] = []) => ({
  type: 'text',
  text: value,
  marks,
});

describe('fromYDoc: block nodes', () => {
  it('reads an empty document as no blocks', () => {
    expect(fromYDoc(new Y.Doc())).toEqual([]);
  });

  it('reads paragraphs', () => {
    expect(read(p(t('第一段')), p())).toEqual([
      { type: 'paragraph', content: [text('第一段')] },
      { type: 'paragraph', content: [] },
    ]);
  });

  it('reads headings with their level, as a number or a string, clamped to 1..6', () => {
    expect(
      read(
        el('heading', { level: 2 }, t('二级')),
        el('heading', { level: '3' }, t('三级')),
        el('heading', {}, t('无级别')),
        el('heading', { level: 9 }, t('越界')),
      ),
    ).toEqual([
      { type: 'heading', level: 2, content: [text('二级')] },
      { type: 'heading', level: 3, content: [text('三级')] },
      { type: 'heading', level: 1, content: [text('无级别')] },
      { type: 'heading', level: 1, content: [text('越界')] },
    ]);
  });

  it('reads bullet and ordered lists with list items, nested, and the ordered start', () => {
    expect(
      read(
        el(
          'bulletList',
          {},
          el('listItem', {}, p(t('甲')), el('orderedList', { start: 3 }, el('listItem', {}, p(t('甲一'))))),
          el('listItem', {}, p(t('乙'))),
        ),
        el('orderedList', {}, el('listItem', {}, p(t('一')))),
      ),
    ).toEqual([
      {
        type: 'bulletList',
        content: [
          {
            type: 'listItem',
            content: [
              { type: 'paragraph', content: [text('甲')] },
              {
                type: 'orderedList',
                start: 3,
                content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [text('甲一')] }] }],
              },
            ],
          },
          { type: 'listItem', content: [{ type: 'paragraph', content: [text('乙')] }] },
        ],
      },
      {
        type: 'orderedList',
        start: 1,
        content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [text('一')] }] }],
      },
    ]);
  });

  it('keeps a list item outside a list, and a non-item inside a list, by wrapping them', () => {
    expect(read(el('listItem', {}, p(t('孤项'))), el('bulletList', {}, p(t('裸段'))))).toEqual([
      {
        type: 'bulletList',
        content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [text('孤项')] }] }],
      },
      {
        type: 'bulletList',
        content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [text('裸段')] }] }],
      },
    ]);
  });

  it('reads blockquotes, code blocks (language and line breaks) and horizontal rules', () => {
    expect(
      read(
        el('blockquote', {}, p(t('引文'))),
        el('codeBlock', { language: 'ts' }, t('const a = 1;\nconst b = 2;')),
        el('codeBlock', {}, t('plain')),
        el('horizontalRule', {}),
      ),
    ).toEqual([
      { type: 'blockquote', content: [{ type: 'paragraph', content: [text('引文')] }] },
      { type: 'codeBlock', language: 'ts', text: 'const a = 1;\nconst b = 2;' },
      { type: 'codeBlock', language: null, text: 'plain' },
      { type: 'horizontalRule' },
    ]);
  });

  it('reads hard breaks inside a paragraph', () => {
    expect(read(p(t('上一行'), el('hardBreak', {}), t('下一行')))).toEqual([
      { type: 'paragraph', content: [text('上一行'), { type: 'hardBreak' }, text('下一行')] },
    ]);
  });

  it('gathers text met at block level into a paragraph', () => {
    expect(read(el('blockquote', {}, t('直接的文字')))).toEqual([
      { type: 'blockquote', content: [{ type: 'paragraph', content: [text('直接的文字')] }] },
    ]);
  });

  it('reads agenda sections with their attributes and block content', () => {
    expect(read(el('agendaSection', { itemId: 'a1', title: '一、现状通报' }, p(t('内容'))))).toEqual([
      {
        type: 'agendaSection',
        itemId: 'a1',
        title: '一、现状通报',
        content: [{ type: 'paragraph', content: [text('内容')] }],
      },
    ]);
  });

  it('reads room events of every kind', () => {
    const kinds = ['speech', 'suggestion', 'poll', 'outcome'] as const;
    expect(read(...kinds.map((kind) => el('roomEvent', { kind, refId: `r-${kind}`, text: `${kind} 的文字` })))).toEqual(
      kinds.map((kind) => ({ type: 'roomEvent', kind, refId: `r-${kind}`, text: `${kind} 的文字` })),
    );
  });
});

describe('fromYDoc: marks', () => {
  const marked = (attributes: Parameters<typeof t>[1]) => read(p(t('字', attributes)));

  it.each([
    ['bold', { bold: {} }, [{ type: 'bold' }]],
    ['bold as true', { bold: true }, [{ type: 'bold' }]],
    ['italic', { italic: {} }, [{ type: 'italic' }]],
    ['strike', { strike: {} }, [{ type: 'strike' }]],
    ['code', { code: {} }, [{ type: 'code' }]],
    ['underline', { underline: {} }, [{ type: 'underline' }]],
    [
      'link',
      { link: { href: 'https://example.org', target: '_blank' } },
      [{ type: 'link', href: 'https://example.org' }],
    ],
    ['an overlapping mark stored as name--hash', { 'bold--x1y2': {} }, [{ type: 'bold' }]],
    ['a removed mark (null)', { bold: null }, []],
    ['a link without href', { link: {} }, []],
    ['an unknown mark (the text stays)', { highlight: { color: 'yellow' } }, []],
  ])('reads %s', (_name, attributes, marks) => {
    expect(marked(attributes)).toEqual([{ type: 'paragraph', content: [text('字', marks)] }]);
  });

  it('puts several marks in canonical order', () => {
    expect(marked({ code: {}, italic: {}, link: { href: '/x' }, bold: {}, strike: {} })).toEqual([
      {
        type: 'paragraph',
        content: [
          text('字', [
            { type: 'link', href: '/x' },
            { type: 'bold' },
            { type: 'italic' },
            { type: 'strike' },
            { type: 'code' },
          ]),
        ],
      },
    ]);
  });

  it('splits a formatted XmlText into runs', () => {
    const doc = new Y.Doc();
    const para = new Y.XmlElement('paragraph');
    doc.getXmlFragment('default').insert(0, [para]);
    const xt = new Y.XmlText();
    para.insert(0, [xt]);
    xt.insert(0, '普通加粗普通');
    xt.format(2, 2, { bold: {} });
    expect(fromYDoc(doc)).toEqual([
      { type: 'paragraph', content: [text('普通'), text('加粗', [{ type: 'bold' }]), text('普通')] },
    ]);
  });
});

describe('fromYDoc: unknown nodes are kept as text', () => {
  it('keeps an unknown block with its text, block children one per line', () => {
    expect(read(el('callout', { tone: 'info' }, p(t('第一行')), p(t('第二'), t('行', { bold: {} }))))).toEqual([
      { type: 'unknown', name: 'callout', text: '第一行\n第二行' },
    ]);
  });

  it('keeps an unknown inline atom by a telling attribute, else its name', () => {
    expect(read(p(t('请 '), el('mention', { id: 'm1', label: '王建国' }), t(' 回应'), el('emoji', {})))).toEqual([
      {
        type: 'paragraph',
        content: [
          text('请 '),
          { type: 'unknown', name: 'mention', text: '王建国' },
          text(' 回应'),
          { type: 'unknown', name: 'emoji', text: '[emoji]' },
        ],
      },
    ]);
  });

  it('keeps a room event of an unknown kind as its text', () => {
    expect(read(el('roomEvent', { kind: 'applause', refId: 'x', text: '全场鼓掌' }))).toEqual([
      { type: 'unknown', name: 'roomEvent', text: '全场鼓掌' },
    ]);
  });

  it('keeps a block node misplaced inside a paragraph as inline text', () => {
    expect(read(p(t('前'), el('heading', { level: 2 }, t('标题'))))).toEqual([
      { type: 'paragraph', content: [text('前'), { type: 'unknown', name: 'heading', text: '标题' }] },
    ]);
  });

  it('reads another fragment when asked', () => {
    expect(fromYDoc(buildDoc([p(t('别处'))], 'other'), 'other')).toEqual([
      { type: 'paragraph', content: [text('别处')] },
    ]);
  });
});

describe('fromYDoc: a document written by the real TipTap binding', () => {
  // The custom nodes as the client will declare them; only their schema matters here.
  const AgendaSection = Node.create({
    name: 'agendaSection',
    group: 'block',
    content: 'block+',
    addAttributes: () => ({ itemId: { default: '' }, title: { default: '' } }),
  });
  const RoomEvent = Node.create({
    name: 'roomEvent',
    group: 'block',
    atom: true,
    addAttributes: () => ({ kind: { default: 'speech' }, refId: { default: '' }, text: { default: '' } }),
  });
  const schema = getSchema([StarterKit, AgendaSection, RoomEvent]);

  it('reads what @tiptap/y-tiptap writes for StarterKit and the custom nodes', () => {
    const doc = prosemirrorJSONToYDoc(
      schema,
      {
        type: 'doc',
        content: [
          { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: '概况' }] },
          {
            type: 'paragraph',
            content: [
              { type: 'text', text: '粗', marks: [{ type: 'bold' }] },
              { type: 'text', text: '斜', marks: [{ type: 'italic' }] },
              { type: 'text', text: '删', marks: [{ type: 'strike' }] },
              { type: 'text', text: '码', marks: [{ type: 'code' }] },
              { type: 'hardBreak' },
              { type: 'text', text: '链', marks: [{ type: 'link', attrs: { href: 'https://example.org' } }] },
            ],
          },
          {
            type: 'agendaSection',
            attrs: { itemId: 'i1', title: '议程一' },
            content: [
              {
                type: 'orderedList',
                attrs: { start: 2 },
                content: [
                  { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: '项' }] }] },
                ],
              },
              { type: 'roomEvent', attrs: { kind: 'outcome', refId: 'o1', text: '成果' } },
            ],
          },
          { type: 'blockquote', content: [{ type: 'paragraph', content: [{ type: 'text', text: '引' }] }] },
          { type: 'codeBlock', attrs: { language: 'js' }, content: [{ type: 'text', text: 'a\nb' }] },
          { type: 'horizontalRule' },
          { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph' }] }] },
        ],
      },
      'default',
    );
    expect(fromYDoc(doc)).toEqual([
      { type: 'heading', level: 2, content: [text('概况')] },
      {
        type: 'paragraph',
        content: [
          text('粗', [{ type: 'bold' }]),
          text('斜', [{ type: 'italic' }]),
          text('删', [{ type: 'strike' }]),
          text('码', [{ type: 'code' }]),
          { type: 'hardBreak' },
          text('链', [{ type: 'link', href: 'https://example.org' }]),
        ],
      },
      {
        type: 'agendaSection',
        itemId: 'i1',
        title: '议程一',
        content: [
          {
            type: 'orderedList',
            start: 2,
            content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [text('项')] }] }],
          },
          { type: 'roomEvent', kind: 'outcome', refId: 'o1', text: '成果' },
        ],
      },
      { type: 'blockquote', content: [{ type: 'paragraph', content: [text('引')] }] },
      { type: 'codeBlock', language: 'js', text: 'a\nb' },
      { type: 'horizontalRule' },
      { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [] }] }] },
    ]);
  });
});
