import { randomUUID } from 'node:crypto';
import { MinutesAuthorship, minutesRoomAuthor, minutesSchema } from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  choice,
  demo,
  joinAs,
  minutesProvider,
  must,
  openPoll,
  signIn,
  startTestServer,
  synced,
  type TestServer,
  whenDoc,
  yesNoPoll,
} from '../src/testing';

/**
 * 谁写了什么 with real clients: a recorder typing key by key (one Yjs update per key, as the
 * editor sends them) and a convener whose editor, like TipTap's trailing node, adds an empty
 * paragraph after a block the room put at the end of the document.
 */

const sessionId = demo.sessionId;
const first = '经济组建议由科技局牵头建设共享平台。';
const second = '与会委员一致赞同，请街道做好日常管理。';

let server: TestServer;
const providers: WebsocketProvider[] = [];

async function openMinutes(memberId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const provider = minutesProvider(server.url, sessionId, doc, await signIn(server.url, memberId));
  providers.push(provider);
  await synced(provider);
  return doc;
}

const fragmentOf = (doc: Y.Doc) => doc.getXmlFragment(minutesSchema.fragment);

function firstSection(doc: Y.Doc): Y.XmlElement {
  const section = fragmentOf(doc)
    .toArray()
    .find((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === minutesSchema.section);
  if (!section) throw new Error('no agenda section');
  return section;
}

/** Types `text` at the end of `paragraph`, one transaction per key. */
function typeKeys(paragraph: Y.XmlElement, text: string): void {
  const doc = paragraph.doc;
  if (!doc) throw new Error('paragraph not in a document');
  for (const ch of text) {
    doc.transact(() => {
      let t = paragraph.get(0);
      if (!(t instanceof Y.XmlText)) {
        t = new Y.XmlText();
        paragraph.insert(0, [t]);
      }
      if (t instanceof Y.XmlText) t.insert(t.length, ch);
    });
  }
}

/** What TipTap's trailing node does in every open editor: a paragraph after a non-paragraph last block. */
function trailingParagraph(doc: Y.Doc): void {
  doc.on('update', (_u: Uint8Array, origin: unknown) => {
    if (origin === null) return;
    const last = fragmentOf(doc).get(fragmentOf(doc).length - 1);
    if (last instanceof Y.XmlElement && last.nodeName !== 'paragraph') {
      doc.transact(() => fragmentOf(doc).insert(fragmentOf(doc).length, [new Y.XmlElement('paragraph')]));
    }
  });
}

const plain = (doc: Y.Doc) => fragmentOf(doc).toString();

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterAll(async () => {
  for (const p of providers.splice(0)) p.destroy();
  await server.close();
});

describe('谁写了什么', () => {
  it('counts two typed sentences as two edits and credits the room, not the convener, with its blocks', async () => {
    const convener = await joinAs(server, demo.firstConvenerId);
    const convenerDoc = await openMinutes(demo.firstConvenerId);
    trailingParagraph(convenerDoc);
    await must(convener, 'session:start', {});
    await server.app.minutesIdle(sessionId);
    await whenDoc(convenerDoc, () =>
      fragmentOf(convenerDoc)
        .toArray()
        .some((n) => n instanceof Y.XmlElement),
    );

    // The recorder writes two sentences in the first section: one paragraph each, key by key.
    const recorderDoc = await openMinutes(demo.recorderId);
    const section = firstSection(recorderDoc);
    const paragraph = section.get(section.length - 1);
    if (!(paragraph instanceof Y.XmlElement)) throw new Error('no paragraph in the section');
    typeKeys(paragraph, first);
    const next = new Y.XmlElement('paragraph');
    recorderDoc.transact(() => section.insert(section.length, [next]));
    typeKeys(next, second);
    await whenDoc(convenerDoc, () => plain(convenerDoc).includes(second));

    // The room writes a vote into the minutes.
    const poll = await openPoll(convener, yesNoPoll('是否同意建设产业创新资源共享平台？'));
    await must(convener, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), content: choice('yes') });
    await must(convener, 'poll:close', { pollId: poll.id });
    await server.app.minutesIdle(sessionId);
    await whenDoc(convenerDoc, () => plain(convenerDoc).includes(poll.id));

    const res = await fetch(`${server.url}/api/sessions/${sessionId}/minutes/authors`, {
      headers: { cookie: await signIn(server.url, demo.staffId) },
    });
    expect(res.status).toBe(200);
    const authors = MinutesAuthorship.parse(await res.json());
    const recorder = authors.find((a) => a.memberId === demo.recorderId);
    expect(recorder).toMatchObject({ name: '李娜', room: false, edits: 2 });
    // The convener's editor only added empty paragraphs after the room's blocks (it did add them:
    // the document ends with one of its paragraphs): nothing written, no row.
    const tail = fragmentOf(convenerDoc).get(fragmentOf(convenerDoc).length - 1);
    expect(tail instanceof Y.XmlElement && tail.nodeName === 'paragraph' && tail._item?.id.client).toBe(
      convenerDoc.clientID,
    );
    expect(authors.find((a) => a.memberId === demo.firstConvenerId)).toBeUndefined();
    // The room's sections and its vote are the room's, listed last under its own name.
    const room = authors.at(-1);
    expect(room).toMatchObject({ memberId: minutesRoomAuthor.id, room: true, name: minutesRoomAuthor.names['zh-CN'] });
    expect(room?.edits).toBeGreaterThanOrEqual(2);
  });
});
