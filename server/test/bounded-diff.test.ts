import { limits } from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { z } from 'zod';
import { demo, minutesProvider, signIn, startTestServer, synced, type TestServer, whenDoc } from '../src/testing';

let server: TestServer;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterAll(async () => {
  for (const p of providers.splice(0)) p.destroy();
  await server.close();
});

async function open(cookie: string) {
  const doc = new Y.Doc();
  const provider = minutesProvider(server.url, demo.sessionId, doc, cookie);
  providers.push(provider);
  await synced(provider);
  return doc;
}

async function saveVersion(cookie: string, label: string): Promise<string> {
  const res = await fetch(`${server.url}/api/sessions/${demo.sessionId}/minutes/versions`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ label }),
  });
  expect(res.status).toBe(201);
  return z.object({ id: z.string() }).parse(await res.json()).id;
}

describe('minutes diff: bounded', () => {
  it('refuses to diff versions longer than maxMinutesDiffLines (PAYLOAD_TOO_LARGE)', async () => {
    const cookie = await signIn(server.url, demo.recorderId);
    const before = await saveVersion(cookie, '空白');
    const writer = await open(cookie);
    const fragment = writer.getXmlFragment('default');
    const total = limits.maxMinutesDiffLines + 10;
    // In several transactions: each is one update, and one update has its own size limit.
    for (let start = 0; start < total; start += 2000) {
      writer.transact(() => {
        const paragraphs = Array.from({ length: Math.min(2000, total - start) }, (_, i) => {
          const p = new Y.XmlElement('paragraph');
          const text = new Y.XmlText();
          text.insert(0, `第${start + i}段`);
          p.insert(0, [text]);
          return p;
        });
        fragment.insert(fragment.length, paragraphs);
      });
    }
    const probe = await open(await signIn(server.url, 'm-gao-ya'));
    await whenDoc(probe, () => probe.getXmlFragment('default').length === total);
    const after = await saveVersion(cookie, '很长');
    const res = await fetch(`${server.url}/api/sessions/${demo.sessionId}/minutes/diff?from=${before}&to=${after}`, {
      headers: { cookie },
    });
    const body = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).parse(await res.json());
    expect(res.status).toBe(413);
    expect(body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(body.error.message).toContain(`${limits.maxMinutesDiffLines} lines`);
  });
});
