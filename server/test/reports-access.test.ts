/**
 * Issue 19: members were offered 数据看板 and refused after the filter form. The header now asks
 * GET /api/reports/access and offers the link only to those the dashboards let in.
 */
import { ReportsAccess } from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demo, signIn, startTestServer, type TestServer } from '../src/testing';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterAll(async () => {
  await server.close();
});

const access = async (memberId: string) => {
  const cookie = await signIn(server.url, memberId);
  const answer = ReportsAccess.parse(
    await (await fetch(`${server.url}/api/reports/access`, { headers: { cookie } })).json(),
  );
  // The answer matches what the dashboard itself does with the same sign-in.
  const dashboard = await fetch(`${server.url}/api/reports/rooms`, { headers: { cookie } });
  expect(dashboard.status).toBe(answer.dashboards ? 200 : 403);
  return answer.dashboards;
};

describe('who is offered the dashboards', () => {
  it('says yes to staff and a convener, no to a member who convenes nothing', async () => {
    expect(await access(demo.staffId)).toBe(true);
    expect(await access(demo.firstConvenerId)).toBe(true);
    expect(await access('m-zheng-yu')).toBe(false);
    expect((await fetch(`${server.url}/api/reports/access`)).status).toBe(401);
  });
});
