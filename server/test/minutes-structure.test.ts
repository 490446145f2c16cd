import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { listEvents } from '../src/minutes/minutes.structure';
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
  yesNoPoll,
} from '../src/testing';

let server: TestServer;
const join = (memberId: string) => joinAs(server, memberId);

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterAll(async () => {
  await server.close();
});

const sectionsOf = (doc: Y.Doc) =>
  doc
    .getXmlFragment('default')
    .toArray()
    .filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'agendaSection')
    .map((n) => `${n.getAttribute('itemId')}:${n.getAttribute('title')}`);

describe('minutes structured by the agenda', () => {
  it('has one section per item and receives the room events in the right section', async () => {
    const convener = await join(demo.firstConvenerId);
    const member = await join('m-sun-jianhua');
    await must(convener, 'session:start', {});
    const suggestion = await must(member, 'suggestion:submit', { text: '建议先摸清摊位数量' });
    await must(convener, 'agenda:goto', { itemId: 'a2' });
    await must(member, 'hand:raise', { pointOfOrder: false });
    await must(convener, 'speaker:grant', { memberId: null });
    await must(member, 'speaker:end', {});
    const poll = await openPoll(convener, yesNoPoll('是否同意划定夜间临时摊位区?'));
    await must(member, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), content: choice('yes') });
    await must(convener, 'poll:close', { pollId: poll.id });
    const outcome = await must(convener, 'outcome:save', {
      outcomeId: null,
      text: '七月底前划定夜间临时摊位区',
      department: '市市场监督管理局',
      deadline: '2027-07-31',
      pollId: poll.id,
      suggestionIds: [suggestion.id],
      record: true,
    });
    // An item added during the session gets its section too.
    await must(convener, 'agenda:add', { title: '临时动议', plannedMinutes: 10, afterItemId: 'a3' });
    await server.app.minutesIdle(demo.sessionId);

    // A reader opens the minutes with the stock provider and sees the structure.
    const doc = new Y.Doc();
    const provider = minutesProvider(server.url, demo.sessionId, doc, await signIn(server.url, 'm-gao-ya'));
    await synced(provider);
    expect(sectionsOf(doc)).toEqual([
      'a1:情况通报：小吃街现状与群众诉求',
      'a2:协商讨论：占道经营、油烟与卫生整治方案',
      'a3:形成共识：整治措施与责任分工',
      expect.stringMatching(/^a-[\w-]+:临时动议$/),
    ]);
    const events = listEvents(doc);
    expect(events).toEqual([
      { itemId: 'a1', kind: 'suggestion', refId: suggestion.id, text: '意见建议（孙建华）：建议先摸清摊位数量' },
      {
        itemId: 'a2',
        kind: 'speech',
        refId: expect.stringMatching(/^m-sun-jianhua:/),
        text: expect.stringMatching(/^发言：孙建华（\d+秒）$/),
      },
      {
        itemId: 'a2',
        kind: 'poll',
        refId: poll.id,
        text: '表决：是否同意划定夜间临时摊位区?——通过：同意 1，反对 0，弃权 0',
      },
      {
        itemId: null,
        kind: 'outcome',
        refId: outcome.id,
        text: '协商成果：七月底前划定夜间临时摊位区（责任部门：市市场监督管理局，完成时限：2027-07-31）',
      },
    ]);
    provider.destroy();
  });
});
