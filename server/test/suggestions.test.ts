import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demo, joinAs, must, next, request, startTestServer, type TestServer } from '../src/testing';

let server: TestServer;
const join = (memberId: string) => joinAs(server, memberId);

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
  await must(await join(demo.firstConvenerId), 'session:start', {});
});
afterAll(async () => {
  await server.close();
});

describe('suggestions and outcomes', () => {
  it('attaches suggestions to the current item and turns one into an outcome', async () => {
    const convener = await join(demo.firstConvenerId);
    const member = await join('m-sun-jianhua');
    await must(convener, 'agenda:goto', { itemId: 'a2' });
    const seen = next(convener, 'suggestion:updated');
    const s = await must(member, 'suggestion:submit', { text: '建议在南门外划定夜间临时摊位区,统一垃圾收集。' });
    expect(s).toMatchObject({ itemId: 'a2', authorId: 'm-sun-jianhua', authorName: '孙建华', mark: 'none' });
    expect((await seen).suggestion.id).toBe(s.id);

    expect(await request(member, 'suggestion:mark', { suggestionId: s.id, mark: 'adopted' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect((await must(convener, 'suggestion:mark', { suggestionId: s.id, mark: 'highlighted' })).mark).toBe(
      'highlighted',
    );

    const draft = await must(convener, 'outcome:draft', { suggestionId: s.id });
    expect(draft).toMatchObject({ status: 'draft', text: s.text, suggestionIds: [s.id] });
    // A draft may be saved again before its department is known.
    const redrafted = await must(convener, 'outcome:save', {
      outcomeId: draft.id,
      text: `${draft.text}(待定)`,
      department: '',
      deadline: null,
      pollId: null,
      suggestionIds: [s.id],
      record: false,
    });
    expect(redrafted).toMatchObject({ id: draft.id, status: 'draft', department: '' });
    // A recorded outcome needs its responsible department.
    expect(
      await request(convener, 'outcome:save', {
        outcomeId: draft.id,
        text: draft.text,
        department: '',
        deadline: null,
        pollId: null,
        suggestionIds: [s.id],
        record: true,
      }),
    ).toMatchObject({ ok: false });
    const recorded = await must(convener, 'outcome:save', {
      outcomeId: draft.id,
      text: '在南门外划定夜间临时摊位区,由市场监管局牵头,七月底前完成。',
      department: '市市场监督管理局',
      deadline: '2027-07-31',
      pollId: null,
      suggestionIds: [s.id],
      record: true,
    });
    expect(recorded).toMatchObject({ id: draft.id, status: 'recorded', department: '市市场监督管理局' });
    const stored = await server.app.models.Outcome.findById(draft.id).lean();
    expect(stored).toMatchObject({ status: 'recorded', deadline: '2027-07-31', suggestionIds: [s.id] });
    expect(await server.app.models.Outcome.countDocuments({ sessionId: demo.sessionId })).toBe(1);

    // Observers and recorders do not suggest.
    const recorder = await join(demo.recorderId);
    expect(await request(recorder, 'suggestion:submit', { text: '记录员的意见' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});
