/**
 * Issue 12, the nginx front (deploy/nginx.conf.template) with Debian's real nginx in front of a
 * real HTTP server that answers with what reached it: a client cannot pass the nodes' internal
 * relay header through, the app's largest upload gets through, and the node sees the Host the
 * browser used (port included), which the Origin check compares against.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { trackingLimits } from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELAY_HEADER } from '../src/cluster';
import { freePort } from '../src/testing';

const repoDir = fileURLToPath(new URL('../..', import.meta.url));
let dir = '';
let upstream: Server;
let nginx: ChildProcess | undefined;
let front = '';

interface Seen {
  headers: Record<string, string | string[] | undefined>;
  bytes: number;
}

function nginxBinary(): string {
  for (const candidate of ['nginx', '/usr/sbin/nginx']) {
    if (!spawnSync(candidate, ['-v'], { stdio: 'ignore' }).error) return candidate;
  }
  throw new Error('this test needs nginx: apt-get install nginx');
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'yitang-nginx-'));
  // The "node": answers with the headers and the number of body bytes it received.
  upstream = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    req.on('end', () => {
      const seen: Seen = { headers: req.headers, bytes };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(seen));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const node = `127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const port = await freePort();
  const conf = readFileSync(path.join(repoDir, 'deploy', 'nginx.conf.template'), 'utf8')
    .replaceAll('@PREFIX@', dir)
    .replaceAll('@LISTEN@', `127.0.0.1:${port}`)
    .replaceAll('@NODES@', `        server ${node} max_fails=1 fail_timeout=5s;`);
  writeFileSync(path.join(dir, 'nginx.conf'), conf);
  const pidFile = path.join(dir, 'nginx.pid');
  // nginx writes its pid file after it has bound its listening socket.
  const watcher = watch(dir);
  const ready = new Promise<void>((resolve) => {
    watcher.on('change', (_type, name) => {
      if (name === 'nginx.pid' && existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '') {
        watcher.close();
        resolve();
      }
    });
  });
  const child = spawn(
    nginxBinary(),
    ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')],
    {
      stdio: 'ignore',
    },
  );
  nginx = child;
  const exited = new Promise<never>((_resolve, reject) => {
    child.once('exit', () => {
      const log = existsSync(path.join(dir, 'error.log')) ? readFileSync(path.join(dir, 'error.log'), 'utf8') : '';
      reject(new Error(`nginx exited:\n${log}`));
    });
  });
  await Promise.race([ready, exited]);
  front = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    const gone = new Promise((resolve) => nginx?.once('exit', resolve));
    nginx.kill('SIGTERM');
    await gone;
  }
  await new Promise<void>((resolve) => upstream?.close(() => resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const seen = async (res: Response): Promise<Seen> => {
  expect(res.status).toBe(200);
  return (await res.json()) as Seen;
};

describe('nginx in front of the nodes', () => {
  it('drops the internal relay header a client sends', async () => {
    const res = await fetch(`${front}/api/auth/me`, { headers: { [RELAY_HEADER]: 'node-b' } });
    expect((await seen(res)).headers[RELAY_HEADER]).toBeUndefined();
  });

  it('lets the largest upload the app allows through', async () => {
    // A progress report with its full number of attachments at the largest size each.
    const size = trackingLimits.maxAttachmentBytes * trackingLimits.maxAttachmentsPerReport;
    const res = await fetch(`${front}/api/tracking/x/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array(size),
    });
    expect((await seen(res)).bytes).toBe(size);
  });

  it('passes the Host the browser used, port included, for the Origin check', async () => {
    const res = await fetch(`${front}/api/auth/me`);
    expect((await seen(res)).headers.host).toBe(new URL(front).host);
  });
});
