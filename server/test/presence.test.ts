/**
 * Presence in a filling room: arrivals reach those present as coalesced `presence:changed`
 * frames, and every client (one present all along, one joining mid-burst, one that missed a
 * frame and took a snapshot) ends with the room's list.
 */
import type { PresenceChange, PresenceEntry, RoomSnapshot } from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type ClientSocket,
  connectSocket,
  demo,
  joinAs,
  must,
  signIn,
  startTestServer,
  type TestServer,
} from '../src/testing';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
  const convener = await joinAs(server, demo.firstConvenerId);
  await must(convener, 'session:start', {});
});
afterAll(async () => {
  await server.close();
});

const members = [
  'm-zhou-min',
  'm-sun-jianhua',
  'm-li-xiaoyan',
  'm-wu-guoqiang',
  'm-xu-jing',
  'm-ma-li',
  'm-hu-zhiyong',
  'm-gao-ya',
  'm-lin-feng',
  'm-guo-hong',
  'm-luo-bin',
  'm-liang-xue',
  'm-song-tao',
  'm-zheng-yu',
  'm-xie-fang',
  'm-han-lei',
  'm-tang-li',
  'm-feng-gang',
  'm-deng-yun',
  'm-cao-ming',
];

/**
 * A client's view of the room's presence, kept the way the web client keeps it: sequenced deltas
 * applied in order, stale ones dropped, a gap answered with a snapshot. Deltas that come before
 * the first snapshot wait for it.
 */
class Follower {
  seq = -1;
  readonly list = new Map<string, PresenceEntry>();
  presenceFrames = 0;
  snapshots = 0;
  private early: Array<[string, { seq: number }]> = [];
  private started = false;
  private resyncing = false;
  private lose: number;
  /** Resolves once the frames to lose have been lost. */
  readonly lost: Promise<void>;
  private onLost: () => void = () => undefined;
  private waiters: Array<{ check: () => boolean; resolve: () => void }> = [];

  /** `lose`: how many presence frames after the first snapshot to drop as if lost on the way. */
  constructor(
    readonly socket: ClientSocket,
    lose = 0,
  ) {
    this.lose = lose;
    this.lost = new Promise((resolve) => {
      this.onLost = resolve;
    });
    socket.onAny((event: string, payload: unknown) => {
      if (typeof payload !== 'object' || payload === null || !('seq' in payload)) return;
      const delta = payload as { seq: number };
      if (!this.started) this.early.push([event, delta]);
      else this.take(event, delta);
    });
  }

  start(snapshot: RoomSnapshot): void {
    this.apply(snapshot);
    this.started = true;
    for (const [event, delta] of this.early.splice(0)) this.take(event, delta);
  }

  /** Resolves once `check` holds (at once if it does now). */
  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ check, resolve }));
  }

  ids(): string[] {
    return [...this.list.keys()].sort();
  }

  private apply(snapshot: RoomSnapshot): void {
    if (snapshot.seq < this.seq) return;
    this.snapshots += 1;
    this.seq = snapshot.seq;
    this.list.clear();
    for (const p of snapshot.presence) this.list.set(p.memberId, p);
    this.settle();
  }

  private take(event: string, delta: { seq: number }): void {
    if (event === 'presence:changed' && this.lose > 0) {
      this.lose -= 1;
      if (this.lose === 0) this.onLost();
      return;
    }
    if (delta.seq <= this.seq) return;
    if (delta.seq > this.seq + 1) {
      if (this.resyncing) return;
      this.resyncing = true;
      void must(this.socket, 'room:snapshot', {}).then((snap) => {
        this.resyncing = false;
        this.apply(snap);
      });
      return;
    }
    this.seq = delta.seq;
    if (event === 'presence:changed') {
      const change = delta as PresenceChange & { seq: number };
      this.presenceFrames += 1;
      for (const id of change.left) this.list.delete(id);
      for (const e of change.entries) this.list.set(e.memberId, e);
    }
    this.settle();
  }

  private settle(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.check()) return true;
      w.resolve();
      return false;
    });
  }
}

async function connectAs(memberId: string): Promise<ClientSocket> {
  const socket = await connectSocket(server.url, await signIn(server.url, memberId));
  server.sockets.push(socket);
  return socket;
}

describe('presence in a filling room', () => {
  it('reaches those present as fewer frames than arrivals, and every client ends with the room’s list', async () => {
    const convenerSocket = await connectAs(demo.firstConvenerId);
    const present = new Follower(convenerSocket);
    present.start(await must(convenerSocket, 'room:join', { sessionId: demo.sessionId }));
    const lossy = await connectAs(demo.secondConvenerId);
    // Misses the first presence frame after its snapshot: the next delta shows a gap.
    const missing = new Follower(lossy, 1);
    missing.start(await must(lossy, 'room:join', { sessionId: demo.sessionId }));
    const before = present.presenceFrames;

    // Everyone signs in first, so the joins themselves come in one burst.
    const sockets = await Promise.all(members.map((m) => connectAs(m)));
    const late = await connectAs(demo.staffId);
    const midway = new Follower(late);
    const half = Math.floor(sockets.length / 2);
    const joins = sockets.map((s) => must(s, 'room:join', { sessionId: demo.sessionId }));
    // A participant who joins while the others are arriving: its snapshot is the room at that
    // moment, the frames after it bring the rest (and repeat what the snapshot has).
    await Promise.all(joins.slice(0, half));
    midway.start(await must(late, 'room:join', { sessionId: demo.sessionId }));
    await Promise.all(joins);
    // A delta after the lost frame shows the lossy client its gap.
    await missing.lost;
    await must(convenerSocket, 'room:lock', { locked: false });

    const everyone = [demo.firstConvenerId, demo.secondConvenerId, demo.staffId, ...members].sort();
    const all = (f: Follower) => () => everyone.every((id) => f.list.has(id));
    await Promise.all([present.until(all(present)), midway.until(all(midway)), missing.until(all(missing))]);

    const frames = present.presenceFrames - before;
    expect(frames).toBeGreaterThan(0);
    expect(frames).toBeLessThan(members.length + 1);
    expect(missing.snapshots).toBeGreaterThan(1); // the gap was answered with a snapshot

    const final = await must(convenerSocket, 'room:snapshot', {});
    const byId = (a: PresenceEntry, b: PresenceEntry) => a.memberId.localeCompare(b.memberId);
    const expected = [...final.presence].sort(byId);
    expect(expected.map((p) => p.memberId)).toEqual(everyone);
    for (const f of [present, midway, missing]) {
      expect(f.ids()).toEqual(everyone);
      expect([...f.list.values()].sort(byId)).toEqual(expected);
    }

    // Every arrival of the burst is stored as having taken part online, once.
    const attendance = await server.conn
      .collection<{ _id: string; memberId: string; online: boolean }>('attendance')
      .find({ sessionId: demo.sessionId })
      .toArray();
    expect(
      attendance
        .filter((a) => a.online)
        .map((a) => a.memberId)
        .sort(),
    ).toEqual(expect.arrayContaining(everyone));

    // And a leave: everyone sees it, the list matches again.
    const leaver = sockets[0];
    if (!leaver) throw new Error('no sockets');
    leaver.disconnect();
    const gone = (f: Follower) => () => !f.list.has(members[0] ?? '');
    await Promise.all([present.until(gone(present)), midway.until(gone(midway)), missing.until(gone(missing))]);
    const after = (await must(convenerSocket, 'room:snapshot', {})).presence.sort(byId);
    for (const f of [present, midway, missing]) expect([...f.list.values()].sort(byId)).toEqual(after);
  });
});
