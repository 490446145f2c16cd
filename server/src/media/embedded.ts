import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { repoRoot } from '../config';
import { supervise } from '../lib/supervise';

/** The LiveKit release the embedded media server is built from (see scripts/setup.sh). */
export const LIVEKIT_VERSION = '1.9.11';

export class EmbeddedMediaError extends Error {}

/** Where a media server answers, and the key its tokens are signed with. */
export interface MediaServerAddress {
  /** The server's URL as browsers and the room service reach it (`ws://127.0.0.1:PORT`). */
  url: string;
  apiKey: string;
  apiSecret: string;
}

export interface EmbeddedMedia extends MediaServerAddress {
  /**
   * Where the media server's webhooks go from now on (Yitang's `MEDIA_WEBHOOK_PATH`, known once
   * it listens): until then they are refused, and LiveKit tries again.
   */
  sendWebhooksTo(url: string): void;
  /** Stops the media server and resolves once it is gone. */
  stop(): Promise<void>;
}

/** Where to look for the livekit-server binary, in order. */
export function livekitCandidates(explicit?: string): string[] {
  if (explicit) return [explicit];
  const list = [path.join(repoRoot, '.tools', 'bin', 'livekit-server')];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir) list.push(path.join(dir, 'livekit-server'));
  }
  return list;
}

function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket('udp4');
    sock.unref();
    sock.once('error', reject);
    sock.bind(0, '127.0.0.1', () => {
      const { port } = sock.address();
      sock.close(() => resolve(port));
    });
  });
}

/**
 * The media server's configuration: HTTP and WebRTC on loopback only, one UDP port for all media
 * (no range to collide with other servers on the machine), ICE over TCP off (LiveKit would bind it
 * on every interface), no STUN (nothing calls out), and a key of our own rather than `--dev`'s.
 */
export function livekitConfig(opts: {
  port: number;
  udpPort: number;
  apiKey: string;
  apiSecret: string;
  webhookUrl: string;
}): string {
  return [
    `port: ${opts.port}`,
    'bind_addresses: ["127.0.0.1"]',
    'rtc:',
    `  udp_port: ${opts.udpPort}`,
    '  tcp_port: 0',
    '  node_ip: 127.0.0.1',
    '  use_external_ip: false',
    '  enable_loopback_candidate: true',
    '  stun_servers: []',
    '  interfaces:',
    '    includes: ["lo"]',
    '  ips:',
    '    includes: ["127.0.0.1/32"]',
    'keys:',
    `  ${opts.apiKey}: ${opts.apiSecret}`,
    'webhook:',
    `  api_key: ${opts.apiKey}`,
    `  urls: ["${opts.webhookUrl}"]`,
    'logging:',
    '  level: warn',
    '',
  ].join('\n');
}

/** Lines the media server printed last, for the error when it does not start. */
const TAIL_LINES = 20;

/**
 * Starts a LiveKit server of our own on 127.0.0.1 (random free ports, a generated key), like the
 * embedded database: it is stopped with `stop()` or when this process goes, never left running.
 * The configuration travels in the environment (LIVEKIT_CONFIG), so the secret is not in `ps`.
 */
export async function startEmbeddedMedia(
  opts: { binary?: string; key?: { apiKey: string; apiSecret: string } } = {},
): Promise<EmbeddedMedia> {
  const binary = livekitCandidates(opts.binary).find((p) => existsSync(p));
  if (!binary) {
    throw new EmbeddedMediaError(
      `livekit-server ${LIVEKIT_VERSION} was not found (looked in .tools/bin and PATH); run scripts/setup.sh, set LIVEKIT_BIN, set LIVEKIT_URL to a LiveKit server, or MEDIA=off.`,
    );
  }
  // A key of its own unless one is given (a browser test inspects the rooms with it).
  const apiKey = opts.key?.apiKey ?? `yitang${randomBytes(6).toString('hex')}`;
  const apiSecret = opts.key?.apiSecret ?? randomBytes(32).toString('base64url');
  const port = await freeTcpPort();
  const udpPort = await freeUdpPort();
  const relay = await webhookRelay();
  const config = livekitConfig({ port, udpPort, apiKey, apiSecret, webhookUrl: relay.url });
  const tail: string[] = [];
  // Under the supervisor shell (lib/supervise.ts): however this process ends, the media server goes.
  const proc = supervise({
    name: 'livekit',
    args: [binary, '--node-ip', '127.0.0.1'],
    stopSignal: 'TERM',
    // On TERM LiveKit drains its rooms, waiting for participants who may never come back.
    stopGraceSeconds: 5,
    env: mediaEnv(config),
    output: (chunk) => {
      tail.push(...chunk.toString().split('\n').filter(Boolean));
      tail.splice(0, Math.max(0, tail.length - TAIL_LINES));
    },
  });
  const stop = async () => {
    await proc.stop();
    await relay.close();
  };
  const httpUrl = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 20_000;
  while (!(await answers(httpUrl))) {
    if (proc.exited() || Date.now() > deadline) {
      await stop();
      throw new EmbeddedMediaError(
        `the embedded media server (${binary}) did not start:\n${tail.join('\n') || '(no output)'}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `ws://127.0.0.1:${port}`, apiKey, apiSecret, sendWebhooksTo: relay.target, stop };
}

/**
 * A loopback listener LiveKit posts its webhooks to, passing each on, body and signature as they
 * came, to Yitang's webhook route. The media server starts before Yitang listens (on a port it may
 * choose only then), and LiveKit reads its webhook address once, at start.
 */
async function webhookRelay(): Promise<{ url: string; target(url: string): void; close(): Promise<void> }> {
  let target: string | null = null;
  const relay = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forward = target
        ? fetch(target, {
            method: 'POST',
            headers: {
              'content-type': req.headers['content-type'] ?? 'application/webhook+json',
              authorization: req.headers.authorization ?? '',
            },
            body: Buffer.concat(chunks),
            signal: AbortSignal.timeout(10_000),
          }).then((r) => r.status)
        : Promise.resolve(503);
      void forward
        .catch(() => 502)
        .then((status) => {
          res.statusCode = status;
          res.end();
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    relay.once('error', reject);
    relay.listen(0, '127.0.0.1', () => resolve());
  });
  relay.unref();
  const addr = relay.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    target: (url) => {
      target = url;
    },
    close: () =>
      new Promise((resolve) => {
        relay.close(() => resolve());
        relay.closeAllConnections();
      }),
  };
}

/** The environment of the media server: ours, with its configuration, and no LiveKit settings of the user's. */
function mediaEnv(config: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LIVEKIT_CONFIG: config };
  for (const name of ['LIVEKIT_KEYS', 'NODE_IP', 'UDP_PORT', 'REDIS_HOST', 'REDIS_PASSWORD']) delete env[name];
  return env;
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(500) });
    return res.ok;
  } catch {
    return false;
  }
}
