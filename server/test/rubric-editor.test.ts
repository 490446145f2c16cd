/**
 * The rubric editor (issue 16, part 6): staff start a draft of a year's rubric from the version in
 * force, save it, preview every member's score under it beside the version in force, and publish
 * it as the next version from a day (or discard it). Drafts change nobody's score; members cannot
 * edit; bad rules are refused with a message naming the field. Real server, real database; the
 * preview is checked against a small ledger counted by hand.
 */
import type {
  AssessmentResponse,
  AuditEntryView,
  DutyKind,
  DutyStatus,
  MemberDutyResponse,
  RubricBody,
  RubricDraftResponse,
  RubricPreviewResponse,
  RubricVersionsResponse,
} from '@yitang/shared';
import type { CommandStartedEvent } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createModels } from '../src/db/models';
import { chinaDate } from '../src/scoring/ledger';
import { demo, signIn, startTestServer, type TestServer } from '../src/testing';

let server: TestServer;
/** The reads the server sends (find and aggregate), to count them. */
const commands: CommandStartedEvent[] = [];
let staff = '';
let memberCookie = '';
/** A year after this one (committee time): no demo record falls in it. */
const Y = Number(chinaDate().slice(0, 4)) + 1;
const today = chinaDate();
const [A, B, C] = ['m-chen-liqun', 'm-feng-gang', 'm-tang-li'] as const;

/** Version 1: a point a turn at speaking (cap 5), four a proposal (cap 8); grades at 8, 5 and 2. */
const v1 = (year = Y): RubricBody => ({
  year,
  rules: [
    { id: 'spoke', label: '会上发言', kinds: ['spoke'], points: 1, cap: 5, onlyWithFeedback: false },
    { id: 'proposal', label: '提交提案', kinds: ['proposal'], points: 4, cap: 8, onlyWithFeedback: false },
  ],
  minimums: [],
  allMinimumsBonus: 0,
  missingMinimumDeduction: 0,
  rubricMax: 60,
  evaluationMax: 20,
  panelMax: 20,
  thresholds: { excellent: 8, competent: 5, basicallyCompetent: 2 },
});

/** The draft: two points a turn at speaking, cap 6. */
const draftBody = (year = Y): RubricBody => {
  const body = v1(year);
  return {
    ...body,
    rules: body.rules.map((r) => (r.id === 'spoke' ? { ...r, points: 2, cap: 6 } : r)),
  };
};

async function call(
  method: string,
  path: string,
  cookie: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const errorMessage = (json: Record<string, unknown>) => (json.error as { message: string }).message;

async function totalOf(memberId: string): Promise<{ total: number | null; version: number | null }> {
  const cookie = await signIn(server.url, memberId);
  const { status, json } = await call('GET', `/duty/me?year=${Y}`, cookie);
  expect(status).toBe(200);
  const mine = json as unknown as MemberDutyResponse;
  return { total: mine.assessment?.total ?? null, version: mine.rubric?.version ?? null };
}

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri'), monitorCommands: true });
  server.conn.getClient().on('commandStarted', (e: CommandStartedEvent) => {
    if (e.commandName === 'find' || e.commandName === 'aggregate') commands.push(e);
  });
  staff = await signIn(server.url, demo.staffId);
  memberCookie = await signIn(server.url, A);
  expect((await call('POST', '/duty/rubrics', staff, v1())).status).toBe(201);
  // The ledger, by hand: A three turns and a proposal; B seven turns; C a proposal and a proposal
  // still pending (it does not count).
  const { DutyEntry } = createModels(server.conn);
  const entry = (memberId: string, kind: DutyKind, n: number, status: DutyStatus = 'verified') => ({
    _id: `test:${memberId}:${kind}:${status}:${n}`,
    memberId,
    kind,
    date: `${Y}-03-${String(n + 1).padStart(2, '0')}`,
    title: `${kind} ${n}`,
    source: 'staff' as const,
    status,
    createdAt: new Date(),
  });
  await DutyEntry.create([
    ...[0, 1, 2].map((n) => entry(A, 'spoke', n)),
    entry(A, 'proposal', 0),
    ...[0, 1, 2, 3, 4, 5, 6].map((n) => entry(B, 'spoke', n)),
    entry(C, 'proposal', 0),
    entry(C, 'proposal', 1, 'pending'),
  ]);
});
afterAll(async () => {
  await server?.close();
});

describe('the rubric editor', () => {
  it('is for staff: a member can neither read the versions nor start, preview or publish a draft', async () => {
    expect((await call('GET', `/duty/rubrics/${Y}/versions`, memberCookie)).status).toBe(403);
    const put = await call('POST', `/duty/rubrics/${Y}/draft`, memberCookie, {
      baseVersion: 1,
      revision: 0,
      rubric: draftBody(),
    });
    expect(put.status).toBe(403);
    expect((await call('GET', `/duty/rubrics/${Y}/draft/preview`, memberCookie)).status).toBe(403);
    const publish = await call('POST', `/duty/rubrics/${Y}/draft/publish`, memberCookie, {
      revision: 1,
      effectiveFrom: today,
    });
    expect(publish.status).toBe(403);
    expect((await call('DELETE', `/duty/rubrics/${Y}/draft`, memberCookie)).status).toBe(403);
  });

  it('refuses bad rules with a message that names what is wrong', async () => {
    const put = (rubric: unknown) =>
      call('POST', `/duty/rubrics/${Y}/draft`, staff, { baseVersion: 1, revision: 0, rubric });
    const base = draftBody();
    const tooMany = await put({ ...base, rules: base.rules.map((r) => ({ ...r, points: 500 })) });
    expect(tooMany.status).toBe(400);
    expect(errorMessage(tooMany.json)).toContain('rules.0.points');
    const sum = await put({ ...base, panelMax: 30 });
    expect(sum.status).toBe(400);
    expect(errorMessage(sum.json)).toContain('rubricMax + evaluationMax + panelMax must be 100');
    const twice = await put({ ...base, rules: [...base.rules, { ...base.rules[0] }] });
    expect(twice.status).toBe(400);
    expect(errorMessage(twice.json)).toContain('rule ids must be unique');
    const noKinds = await put({ ...base, rules: [{ ...base.rules[0], kinds: [] }] });
    expect(noKinds.status).toBe(400);
    expect(errorMessage(noKinds.json)).toContain('rules.0.kinds');
    const otherYear = await put(draftBody(Y + 1));
    expect(otherYear.status).toBe(400);
    expect(errorMessage(otherYear.json)).toContain('rubric.year');
    const garbageYear = await call('GET', '/duty/rubrics/next/versions', staff);
    expect(garbageYear.status).toBe(400);
    // Nothing was stored.
    const { json } = await call('GET', `/duty/rubrics/${Y}/versions`, staff);
    expect((json as unknown as RubricVersionsResponse).draft).toBeNull();
  });

  it('starts a draft from the latest version; a second start and a stale save are refused', async () => {
    const stale = await call('POST', `/duty/rubrics/${Y}/draft`, staff, { baseVersion: 2, revision: 0, rubric: v1() });
    expect(stale.status).toBe(409);
    const start = await call('POST', `/duty/rubrics/${Y}/draft`, staff, { baseVersion: 1, revision: 0, rubric: v1() });
    expect(start.status).toBe(200);
    expect((start.json as unknown as RubricDraftResponse).draft).toMatchObject({
      baseVersion: 1,
      revision: 1,
      changes: [],
    });
    const again = await call('POST', `/duty/rubrics/${Y}/draft`, staff, { baseVersion: 1, revision: 0, rubric: v1() });
    expect(again.status).toBe(409);
    const save = await call('POST', `/duty/rubrics/${Y}/draft`, staff, {
      baseVersion: 1,
      revision: 1,
      rubric: draftBody(),
    });
    expect(save.status).toBe(200);
    const draft = (save.json as unknown as RubricDraftResponse).draft;
    expect(draft.revision).toBe(2);
    expect(draft.changes).toEqual([
      { target: 'rule', id: 'spoke', change: 'changed', field: 'points', before: '1', after: '2' },
      { target: 'rule', id: 'spoke', change: 'changed', field: 'cap', before: '5', after: '6' },
    ]);
    expect(draft.history.map((h) => [h.action, h.by.id, h.changes.length])).toEqual([
      ['start', demo.staffId, 0],
      ['save', demo.staffId, 2],
    ]);
    const lost = await call('POST', `/duty/rubrics/${Y}/draft`, staff, { baseVersion: 1, revision: 1, rubric: v1() });
    expect(lost.status).toBe(409);
  });

  it('previews every member under the draft beside the version in force, as counted by hand', async () => {
    const { status, json } = await call('GET', `/duty/rubrics/${Y}/draft/preview`, staff);
    expect(status).toBe(200);
    const preview = json as unknown as RubricPreviewResponse;
    expect(preview).toMatchObject({ year: Y, inForceVersion: 1, draftRevision: 2 });
    const row = (id: string) => preview.rows.find((r) => r.member.id === id);
    // A: 3 turns + 1 proposal = 3 + 4 = 7 (称职) now; 6 + 4 = 10 (优秀) under the draft.
    expect(row(A)).toMatchObject({
      current: { rubricPoints: 7, total: 7, grade: 'competent' },
      draft: { rubricPoints: 10, total: 10, grade: 'excellent' },
      difference: 3,
      gradeChanged: true,
    });
    // B: 7 turns, capped at 5 now and at 6 (three turns of two) under the draft; 称职 both.
    expect(row(B)).toMatchObject({
      current: { total: 5, grade: 'competent' },
      draft: { total: 6, grade: 'competent' },
      difference: 1,
      gradeChanged: false,
    });
    // C: one verified proposal (the pending one does not count): 4 either way.
    expect(row(C)).toMatchObject({ current: { total: 4 }, draft: { total: 4 }, difference: 0, gradeChanged: false });
    // Every committee member is listed; nobody else has a record this year.
    const assessment = (await call('GET', `/duty/assessment?year=${Y}`, staff)).json as unknown as AssessmentResponse;
    expect(preview.rows.map((r) => r.member.id).sort()).toEqual(assessment.rows.map((r) => r.member.id).sort());
    for (const r of preview.rows.filter((x) => ![A, B, C].includes(x.member.id as typeof A))) {
      expect(r).toMatchObject({ current: { total: 0 }, draft: { total: 0 }, difference: 0 });
    }
    expect(preview.changed).toBe(2);
    expect(preview.gradeChanges).toBe(1);
  });

  it('reads the year’s records once for everyone, by an equality on the year, however many members', async () => {
    commands.length = 0;
    expect((await call('GET', `/duty/rubrics/${Y}/draft/preview`, staff)).status).toBe(200);
    const ledgerReads = commands.filter(
      (c) => c.command.find === 'duty_entries' || c.command.aggregate === 'duty_entries',
    );
    expect(ledgerReads).toHaveLength(1);
    expect(ledgerReads[0]?.command.filter).toEqual({ year: Y, status: 'verified' });
    expect(commands.filter((c) => c.command.find === 'duty_ratings')).toHaveLength(1);
  });

  it('changes nobody’s visible score while it is a draft', async () => {
    expect(await totalOf(A)).toEqual({ total: 7, version: 1 });
    const rubric = await call('GET', `/duty/rubrics/${Y}`, staff);
    expect((rubric.json.rubric as { version: number }).version).toBe(1);
    const assessment = (await call('GET', `/duty/assessment?year=${Y}`, staff)).json as unknown as AssessmentResponse;
    expect(assessment.rubricVersion).toBe(1);
    expect(assessment.rows.find((r) => r.member.id === B)?.assessment.total).toBe(5);
  });

  it('refuses a day that has passed, then publishes: the next version is in force, the earlier one kept, the change audited', async () => {
    const yesterday = new Date(Date.parse(`${today}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const past = await call('POST', `/duty/rubrics/${Y}/draft/publish`, staff, {
      revision: 2,
      effectiveFrom: yesterday,
    });
    expect(past.status).toBe(400);
    expect(errorMessage(past.json)).toContain('effectiveFrom');
    const staleRevision = await call('POST', `/duty/rubrics/${Y}/draft/publish`, staff, {
      revision: 1,
      effectiveFrom: today,
    });
    expect(staleRevision.status).toBe(409);

    const published = await call('POST', `/duty/rubrics/${Y}/draft/publish`, staff, {
      revision: 2,
      effectiveFrom: today,
    });
    expect(published.status).toBe(200);
    expect(await totalOf(A)).toEqual({ total: 10, version: 2 });
    expect(await totalOf(B)).toEqual({ total: 6, version: 2 });
    expect(await totalOf(C)).toEqual({ total: 4, version: 2 });

    const versions = (await call('GET', `/duty/rubrics/${Y}/versions`, staff))
      .json as unknown as RubricVersionsResponse;
    expect(versions.draft).toBeNull();
    expect(versions.inForce).toBe(2);
    expect(versions.versions.map((v) => [v.version, v.state, v.effectiveFrom])).toEqual([
      [2, 'inForce', today],
      [1, 'earlier', null],
    ]);
    expect(versions.versions[0]?.draftedBy?.id).toBe(demo.staffId);
    expect(versions.versions[0]?.createdBy.id).toBe(demo.staffId);
    expect(versions.versions[0]?.changes.map((c) => `${c.id}.${c.field}`)).toEqual(['spoke.points', 'spoke.cap']);
    expect(versions.versions[1]?.rubric.rules.find((r) => r.id === 'spoke')?.points).toBe(1);

    const log = await call('GET', '/audit?action=duty.rubricPublish', staff);
    const entries = log.json.entries as AuditEntryView[];
    const entry = entries.find((e) => e.target === String(Y));
    expect(entry?.actor?.id).toBe(demo.staffId);
    expect(entry?.details).toMatchObject({
      version: 2,
      effectiveFrom: today,
      changes: ['rule:spoke.points 1→2', 'rule:spoke.cap 5→6'],
    });
    // Publishing again finds no draft.
    const again = await call('POST', `/duty/rubrics/${Y}/draft/publish`, staff, { revision: 2, effectiveFrom: today });
    expect(again.status).toBe(404);
  });

  it('discards a draft: no version is added and no score moves', async () => {
    const start = await call('POST', `/duty/rubrics/${Y}/draft`, staff, {
      baseVersion: 2,
      revision: 0,
      rubric: { ...draftBody(), thresholds: { excellent: 90, competent: 80, basicallyCompetent: 70 } },
    });
    expect(start.status).toBe(200);
    expect((await call('DELETE', `/duty/rubrics/${Y}/draft`, staff)).status).toBe(204);
    expect((await call('DELETE', `/duty/rubrics/${Y}/draft`, staff)).status).toBe(404);
    const versions = (await call('GET', `/duty/rubrics/${Y}/versions`, staff))
      .json as unknown as RubricVersionsResponse;
    expect(versions.draft).toBeNull();
    expect(versions.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(await totalOf(A)).toEqual({ total: 10, version: 2 });
    const log = await call('GET', '/audit?action=duty.rubricDraftDiscard', staff);
    expect((log.json.entries as AuditEntryView[]).some((e) => e.target === String(Y))).toBe(true);
  });

  it('a year without any version starts from version 0 and publishes version 1', async () => {
    const fresh = Y + 5;
    const body = { revision: 0, rubric: v1(fresh) };
    expect((await call('POST', `/duty/rubrics/${fresh}/draft`, staff, { ...body, baseVersion: 1 })).status).toBe(409);
    const start = await call('POST', `/duty/rubrics/${fresh}/draft`, staff, { ...body, baseVersion: 0 });
    expect(start.status).toBe(200);
    expect((start.json as unknown as RubricDraftResponse).draft).toMatchObject({
      baseVersion: 0,
      revision: 1,
      changes: [],
    });
    const preview = (await call('GET', `/duty/rubrics/${fresh}/draft/preview`, staff))
      .json as unknown as RubricPreviewResponse;
    expect(preview.inForceVersion).toBeNull();
    expect(preview.rows.find((r) => r.member.id === A)).toMatchObject({
      current: null,
      draft: { total: 0 },
      gradeChanged: false,
    });
    expect((await call('GET', `/duty/rubrics/${fresh}`, staff)).status).toBe(404);
    const published = await call('POST', `/duty/rubrics/${fresh}/draft/publish`, staff, {
      revision: 1,
      effectiveFrom: today,
    });
    expect(published.status).toBe(200);
    const inForce = await call('GET', `/duty/rubrics/${fresh}`, staff);
    expect((inForce.json.rubric as { version: number }).version).toBe(1);
  });

  it('a version published from a later day is scheduled: the one before stays in force until then', async () => {
    const later = Y + 1;
    expect((await call('POST', '/duty/rubrics', staff, v1(later))).status).toBe(201);
    const start = await call('POST', `/duty/rubrics/${later}/draft`, staff, {
      baseVersion: 1,
      revision: 0,
      rubric: draftBody(later),
    });
    expect(start.status).toBe(200);
    const from = `${later}-06-01`;
    const published = await call('POST', `/duty/rubrics/${later}/draft/publish`, staff, {
      revision: 1,
      effectiveFrom: from,
    });
    expect(published.status).toBe(200);
    const versions = (await call('GET', `/duty/rubrics/${later}/versions`, staff))
      .json as unknown as RubricVersionsResponse;
    expect(versions.inForce).toBe(1);
    expect(versions.versions.map((v) => [v.version, v.state])).toEqual([
      [2, 'scheduled'],
      [1, 'inForce'],
    ]);
    const inForce = await call('GET', `/duty/rubrics/${later}`, staff);
    expect((inForce.json.rubric as { version: number }).version).toBe(1);
    // A draft after it cannot take force before it.
    await call('POST', `/duty/rubrics/${later}/draft`, staff, { baseVersion: 2, revision: 0, rubric: v1(later) });
    const early = await call('POST', `/duty/rubrics/${later}/draft/publish`, staff, {
      revision: 1,
      effectiveFrom: today,
    });
    expect(early.status).toBe(400);
    expect(errorMessage(early.json)).toContain(from);
  });
});
