import { limits } from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { pdfQueue } from '../src/minutes/export/pdf';
import { signIn, startTestServer, type TestServer } from '../src/testing';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterAll(async () => {
  await server.close();
});

describe('PDF rendering goes through one bounded queue', () => {
  it('prints one at a time and tells those beyond the queue it is busy', async () => {
    const cookie = await signIn(server.url, 'm-gao-ya');
    let peak = 0;
    const count = limits.pdfQueueWaiting + 3;
    const answers = await Promise.all(
      Array.from({ length: count }, async () => {
        const res = await fetch(`${server.url}/api/duty/bulletin/export.pdf?quarter=2025-Q2`, { headers: { cookie } });
        peak = Math.max(peak, pdfQueue.size.running);
        const body = Buffer.from(await res.arrayBuffer());
        return { status: res.status, body };
      }),
    );
    const printed = answers.filter((a) => a.status === 200);
    const busy = answers.filter((a) => a.status === 503);
    expect(printed.length + busy.length).toBe(count);
    expect(busy.length).toBeGreaterThanOrEqual(count - 1 - limits.pdfQueueWaiting);
    expect(printed.length).toBeGreaterThanOrEqual(1);
    for (const p of printed) expect(p.body.subarray(0, 4).toString()).toBe('%PDF');
    const refusal = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
    for (const b of busy) {
      const { error } = refusal.parse(JSON.parse(b.body.toString()));
      expect(error.code).toBe('UNAVAILABLE');
      expect(error.message).toContain('busy');
    }
    expect(peak).toBeLessThanOrEqual(1);
    expect(pdfQueue.size).toEqual({ running: 0, waiting: 0 });
  });
});
