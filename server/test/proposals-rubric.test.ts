/**
 * The demo year's stored rubric carries the rules the proposal and 社情民意 workflows brought
 * (co-signatures, key proposals, adoption levels), also in a database seeded before them: the
 * seed adds them as the next version, once, and the demo members' hand-worked scores stay as
 * they were (their records earn nothing under those rules). Real server, real database.
 */
import type { MemberDutyResponse } from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createModels } from '../src/db/models';
import { demoYear, demoYearPlan, seedDemoYear, workflowRuleIds } from '../src/scoring/demo-year';
import { demo, signIn, startTestServer, type TestServer } from '../src/testing';

let server: TestServer;
let cookie = '';

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
  cookie = await signIn(server.url, demo.staffId);
});
afterAll(async () => {
  await server?.close();
});

type Stored = { _id: string; year: number; version: number; body: { rules: Array<{ id: string }> } };
const rubrics = () => server.conn.collection<Stored>('duty_rubrics');

async function scores(): Promise<Record<string, number | null>> {
  const out: Record<string, number | null> = {};
  for (const m of demoYearPlan) {
    const res = await fetch(`${server.url}/api/duty/members/${m.id}?year=${demoYear}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    out[m.id] = ((await res.json()) as MemberDutyResponse).assessment?.total ?? null;
  }
  return out;
}

describe('the demo year’s rubric', () => {
  it('has the workflow rules when freshly seeded', async () => {
    const inForce = await rubrics().find({ year: demoYear }).sort({ version: -1 }).limit(1).next();
    expect(inForce?.body.rules.map((r) => r.id)).toEqual(expect.arrayContaining([...workflowRuleIds]));
  });

  it('gains them as the next version in a database seeded before them, once, and no demo score moves', async () => {
    const before = await scores();
    const all = await rubrics().find({ year: demoYear }).sort({ version: 1 }).toArray();
    const first = all[0];
    expect(first).toBeDefined();
    if (!first) return;
    // As the seed stored it before the workflows: without their rules, the only version.
    const old = first.body.rules.filter((r) => !(workflowRuleIds as readonly string[]).includes(r.id));
    await rubrics().deleteMany({ year: demoYear });
    await rubrics().insertOne({ ...first, version: 1, _id: `${demoYear}:v1`, body: { ...first.body, rules: old } });

    const models = createModels(server.conn);
    await seedDemoYear(models);
    await seedDemoYear(models);
    const after = await rubrics().find({ year: demoYear }).sort({ version: 1 }).toArray();
    expect(after.map((r) => r.version)).toEqual([1, 2]);
    const ids = after[1]?.body.rules.map((r) => r.id) ?? [];
    // The rules as they were, in their order, then the missing ones.
    expect(ids.slice(0, old.length)).toEqual(old.map((r) => r.id));
    expect(ids.slice(old.length).sort()).toEqual([...workflowRuleIds].sort());
    expect(await scores()).toEqual(before);
  });
});
