/**
 * `pnpm bench media`: voice in a live room through the media server, one speaker and N listeners
 * (issue 17). Yitang runs as `npm start` runs it (a server process with its embedded LiveKit); the
 * speaker and the listeners are LiveKit participants in this process (@livekit/rtc-node: real
 * WebRTC, Opus, one subscribed audio track each; no browser per listener). CPU and memory of the
 * media server and of Yitang come from /proc. The baseline is the same room with one listener.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import {
  AudioFrame,
  AudioSource,
  dispose,
  LocalAudioTrack,
  Room,
  TrackPublishOptions,
  TrackSource,
} from '@livekit/rtc-node';
import type { MediaToken } from '@yitang/shared';
import { startServerProcess } from '../src/testing/process';
import type { BenchContext } from './lib/context';
import { note } from './lib/context';
import { liveSession, signedInMembers } from './lib/fixtures';
import { report } from './report';

const TICKS_PER_SECOND = 100;

function parentOf(pid: string): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return -1;
  }
}

/** The livekit-server started (through its supervising shell) by the server process `pid`. */
function mediaServerOf(pid: number): number | undefined {
  const pids = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  const shells = new Set(pids.filter((p) => parentOf(p) === pid).map(Number));
  const found = pids.find(
    (p) =>
      shells.has(parentOf(p)) &&
      (readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0')[0] ?? '').endsWith('livekit-server'),
  );
  return found === undefined ? undefined : Number(found);
}

/** CPU (user + system, ms) and resident memory (MB) of a process, from /proc. */
function usage(pid: number): { cpuMs: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return { cpuMs: (ticks * 1000) / TICKS_PER_SECOND, rssMb: Number(rss ?? 0) / 1024 };
}

/** CPU per second of wall time of each process over `ms`, and their memory at the end. */
async function window(pids: number[], ms: number): Promise<Array<{ cpuPerS: number; rssMb: number }>> {
  const before = pids.map(usage);
  const t0 = Date.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const seconds = (Date.now() - t0) / 1000;
  return pids.map((pid, i) => {
    const after = usage(pid);
    return { cpuPerS: (after.cpuMs - (before[i]?.cpuMs ?? 0)) / seconds, rssMb: after.rssMb };
  });
}

export async function media(ctx: BenchContext, opts: { listeners: number; durationMs: number }): Promise<void> {
  const [convener] = await signedInMembers(ctx.models, 'media-chair', 1);
  const listeners = await signedInMembers(ctx.models, 'media-ear', opts.listeners);
  if (!convener) throw new Error('no convener');
  const sessionId = `bench-media-${Date.now()}`;
  await liveSession(ctx.models, sessionId, convener.memberId);
  const yitang = await startServerProcess({
    MONGODB_URI: ctx.uri,
    MONGODB_DB: ctx.dbName,
    SEED_DEMO: '0',
    LOG_LEVEL: 'warn',
    LIVEKIT_API_KEY: `bench${randomBytes(4).toString('hex')}`,
    LIVEKIT_API_SECRET: randomBytes(32).toString('hex'),
  });
  const rooms: Room[] = [];
  let beep: NodeJS.Timeout | undefined;
  try {
    const yitangPid = yitang.child.pid ?? -1;
    const livekitPid = mediaServerOf(yitangPid);
    if (livekitPid === undefined) throw new Error('the server started no media server');
    const join = async (cookie: string) => {
      const res = await fetch(`${yitang.url}/api/media/sessions/${sessionId}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: '{}',
      });
      if (!res.ok) throw new Error(`token refused: ${res.status}`);
      const token = (await res.json()) as MediaToken;
      const room = new Room();
      rooms.push(room);
      await room.connect(token.url, token.token, { autoSubscribe: true, dynacast: false });
      return room;
    };
    // The convener speaks: a 440 Hz tone, 10 ms frames, as a microphone sends them.
    const speaker = await join(convener.cookie);
    const source = new AudioSource(48_000, 1);
    const options = new TrackPublishOptions();
    options.source = TrackSource.SOURCE_MICROPHONE;
    await speaker.localParticipant?.publishTrack(LocalAudioTrack.createAudioTrack('microphone', source), options);
    let n = 0;
    beep = setInterval(() => {
      const samples = new Int16Array(480).map((_, i) =>
        Math.round(6000 * Math.sin(((n * 480 + i) * 2 * Math.PI * 440) / 48_000)),
      );
      n += 1;
      void source.captureFrame(new AudioFrame(samples, 48_000, 1, 480)).catch(() => undefined);
    }, 10);

    const [first, ...rest] = listeners;
    if (first) await join(first.cookie);
    const [lkOne, yOne] = await window([livekitPid, yitangPid], opts.durationMs);
    const joinStart = usage(yitangPid).cpuMs;
    for (const l of rest) await join(l.cookie);
    const joinCpuMs = usage(yitangPid).cpuMs - joinStart;
    const [lkAll, yAll] = await window([livekitPid, yitangPid], opts.durationMs);
    note(
      `media: ${opts.listeners} listeners joined (${rest.length} tokens cost Yitang ${joinCpuMs.toFixed(0)} ms CPU); listeners are @livekit/rtc-node participants in the bench process`,
    );
    const scenario = `media-1-speaker-${opts.listeners}-listeners`;
    if (!lkOne || !lkAll || !yOne || !yAll) throw new Error('no readings');
    report({
      scenario,
      metric: 'livekit-cpu',
      unit: 'cpu-ms/s',
      ours: lkAll.cpuPerS,
      baseline: lkOne.cpuPerS,
      target: opts.listeners * 1.5,
    });
    report({ scenario, metric: 'livekit-rss', unit: 'MB', ours: lkAll.rssMb, baseline: lkOne.rssMb, target: 3 });
    report({
      scenario,
      metric: 'yitang-cpu',
      unit: 'cpu-ms/s',
      ours: yAll.cpuPerS,
      baseline: Math.max(yOne.cpuPerS, 0.01),
      target: 5,
    });
    report({ scenario, metric: 'yitang-rss', unit: 'MB', ours: yAll.rssMb, baseline: yOne.rssMb, target: 1.5 });
  } finally {
    if (beep) clearInterval(beep);
    await Promise.all(rooms.map((r) => r.disconnect().catch(() => undefined)));
    yitang.child.kill('SIGTERM');
    await yitang.exited;
    // The WebRTC library's threads would otherwise keep the bench process alive.
    await dispose();
  }
}
