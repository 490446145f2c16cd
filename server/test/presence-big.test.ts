/**
 * A room too big for its snapshot to list everyone (the threshold is lowered to 4 here): the
 * snapshot carries the true counts, those who run the room, the speaker queue, the muted and the
 * caller; `presence:changed` frames keep the counts true; `presence:page` pages and searches.
 */
import { comparePresence, type PresenceEntry } from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type ClientSocket,
  connectSocket,
  demo,
  joinAs,
  must,
  next,
  request,
  signIn,
  startTestServer,
  type TestServer,
} from '../src/testing';

let server: TestServer;
let convener: ClientSocket;

const members = ['m-zhou-min', 'm-sun-jianhua', 'm-li-xiaoyan', 'm-wu-guoqiang', 'm-xu-jing', 'm-ma-li'];
const [queued, muted] = members;

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri'), snapshotPresenceMax: 4 });
  convener = await joinAs(server, demo.firstConvenerId);
  await must(convener, 'session:start', {});
});
afterAll(async () => {
  await server.close();
});

/** Each member's sockets opened through `join`. */
const held = new Map<string, ClientSocket[]>();

/** Joins as `memberId` and returns the socket with its join snapshot. */
async function join(memberId: string) {
  const socket = await connectSocket(server.url, await signIn(server.url, memberId));
  server.sockets.push(socket);
  held.set(memberId, [...(held.get(memberId) ?? []), socket]);
  return { socket, snapshot: await must(socket, 'room:join', { sessionId: demo.sessionId }) };
}

/** Every page of the present, `limit` at a time. */
async function allPages(socket: ClientSocket, limit: number, query?: string) {
  const entries: PresenceEntry[] = [];
  let total = -1;
  do {
    const page = await must(socket, 'presence:page', { offset: entries.length, limit, ...(query ? { query } : {}) });
    total = page.total;
    expect(page.entries.length).toBeLessThanOrEqual(limit);
    if (page.entries.length === 0) break;
    entries.push(...page.entries);
  } while (entries.length < total);
  return { total, entries };
}

describe('presence in a big room', () => {
  it('lists everyone while the room is at or below the threshold', async () => {
    const snapshot = await must(convener, 'room:snapshot', {});
    expect(snapshot.presencePartial).toBe(false);
    expect(snapshot.presence.map((p) => p.memberId)).toEqual([demo.firstConvenerId]);
    expect(snapshot.presenceCounts).toMatchObject({ present: 1, online: 1, inHall: 0 });
  });

  it('gives a partial snapshot above it: true counts, those who run the room, the queue, the muted and the caller', async () => {
    await joinAs(server, demo.staffId);
    await joinAs(server, demo.recorderId);
    const sockets = new Map<string, ClientSocket>();
    for (const id of members.slice(0, 5)) sockets.set(id, (await join(id)).socket);
    const queuedSocket = sockets.get(queued as string);
    if (!queuedSocket) throw new Error('no socket');
    await must(queuedSocket, 'hand:raise', { pointOfOrder: false });
    await must(convener, 'moderation:mute', { memberId: muted as string, muted: true });

    const late = members[5] as string;
    const { snapshot } = await join(late);
    expect(snapshot.presencePartial).toBe(true);
    expect(snapshot.presenceCounts).toMatchObject({ present: 9, online: 9, inHall: 0 });
    expect(snapshot.presenceCounts.byRole).toMatchObject({ firstConvener: 1, staff: 1, recorder: 1, member: 6 });
    expect(snapshot.presence.map((p) => p.memberId).sort()).toEqual(
      [demo.firstConvenerId, demo.staffId, demo.recorderId, queued, muted, late].sort(),
    );
    expect(snapshot.you.memberId).toBe(late);

    // Unmuted, an ordinary member drops out of the short list again; the queue stays in it.
    await must(convener, 'moderation:mute', { memberId: muted as string, muted: false });
    const lateSocket = held.get(late)?.[0];
    if (!lateSocket) throw new Error('no socket');
    const after = (await must(lateSocket, 'room:snapshot', {})).presence.map((p) => p.memberId);
    expect(after).not.toContain(muted);
    expect(after).toContain(queued);
    expect(after).toContain(late);
  });

  it('still lists everyone for staff and conveners: their check-in desk and paper ballots pick from it', async () => {
    for (const id of [demo.staffId, demo.firstConvenerId]) {
      const { snapshot } = await join(id);
      expect(snapshot.presencePartial).toBe(false);
      expect(snapshot.presence).toHaveLength(snapshot.presenceCounts.present);
    }
  });

  it('carries the room counts in every presence frame, through arrivals and departures', async () => {
    const arrived = next(convener, 'presence:changed', (d) => d.entries.some((e) => e.memberId === 'm-hu-zhiyong'));
    const { socket } = await join('m-hu-zhiyong');
    expect((await arrived).counts).toMatchObject({ present: 10, online: 10, inHall: 0 });

    const left = next(convener, 'presence:changed', (d) => d.left.includes('m-hu-zhiyong'));
    socket.close();
    expect((await left).counts).toMatchObject({ present: 9, online: 9, inHall: 0 });

    // A check-in in the hall shows in the hall count.
    const checked = next(convener, 'presence:changed', (d) => d.counts.inHall === 1);
    await must(convener, 'checkin:member', { memberId: 'm-xu-jing' });
    expect((await checked).counts).toMatchObject({ present: 9, online: 9, inHall: 1 });
  });

  it('pages through everyone present, sorted by role then name, with no entry twice', async () => {
    const snapshot = await must(convener, 'room:snapshot', {});
    const { total, entries } = await allPages(convener, 2);
    expect(total).toBe(snapshot.presenceCounts.present);
    expect(entries).toHaveLength(total);
    expect(new Set(entries.map((e) => e.memberId)).size).toBe(total);
    expect(entries).toEqual([...entries].sort(comparePresence));
    expect(entries[0]?.memberId).toBe(demo.firstConvenerId);
    // Past the end: the total, and nothing more.
    const after = await must(convener, 'presence:page', { offset: total, limit: 5 });
    expect(after).toEqual({ total, entries: [] });
  });

  it('searches by a part of the name', async () => {
    const everyone = (await allPages(convener, 100)).entries;
    const needle = (everyone.find((e) => e.memberId === 'm-zhou-min')?.name ?? '').slice(0, 1);
    expect(needle).not.toBe('');
    const expected = everyone.filter((e) => e.name.includes(needle));
    expect(expected.length).toBeLessThan(everyone.length);
    const found = await allPages(convener, 1, needle);
    expect(found.total).toBe(expected.length);
    expect(found.entries).toEqual(expected);
    expect(await must(convener, 'presence:page', { offset: 0, limit: 10, query: '无此人' })).toEqual({
      total: 0,
      entries: [],
    });
  });

  it('keeps its pages in order as people come, change and go after the first page was read', async () => {
    await must(convener, 'presence:page', { offset: 0, limit: 1 });
    const arrived = next(convener, 'presence:changed', (d) => d.entries.some((e) => e.memberId === 'm-gao-ya'));
    const { socket } = await join('m-gao-ya');
    await arrived;
    await must(convener, 'moderation:mute', { memberId: 'm-gao-ya', muted: true });
    const leaving = members[5] as string;
    const left = next(convener, 'presence:changed', (d) => d.left.includes(leaving));
    for (const s of held.get(leaving) ?? []) s.close();
    await left;
    expect(socket.connected).toBe(true);

    const snapshot = await must(convener, 'room:snapshot', {});
    const { total, entries } = await allPages(convener, 3);
    expect(total).toBe(snapshot.presenceCounts.present);
    expect(entries).toEqual([...snapshot.presence].sort(comparePresence));
    expect(entries.find((e) => e.memberId === 'm-gao-ya')?.muted).toBe(true);
    expect(entries.some((e) => e.memberId === leaving)).toBe(false);
  });

  it('refuses bad pages with BAD_REQUEST, and a socket that has not joined with NOT_JOINED', async () => {
    const bad = [
      { offset: -1, limit: 10 },
      { offset: 0, limit: 0 },
      { offset: 0, limit: 10_000 },
      { offset: 0.5, limit: 10 },
      { offset: 0, limit: 10, query: 'x'.repeat(200) },
      { offset: 0, limit: 10, extra: true },
    ];
    for (const payload of bad) {
      const res = await request(convener, 'presence:page', payload as { offset: number; limit: number });
      expect(res.ok ? 'ok' : res.error.code, JSON.stringify(payload)).toBe('BAD_REQUEST');
    }
    const stranger = await connectSocket(server.url, await signIn(server.url, 'm-lin-feng'));
    server.sockets.push(stranger);
    const res = await request(stranger, 'presence:page', { offset: 0, limit: 10 });
    expect(res.ok ? 'ok' : res.error.code).toBe('NOT_JOINED');
  });
});

/** Every sequenced event a socket receives, in arrival order. */
function seqsOf(socket: ClientSocket): number[] {
  const seen: number[] = [];
  socket.onAny((_event: string, payload: unknown) => {
    const seq = (payload as { seq?: unknown } | null)?.seq;
    if (typeof seq === 'number') seen.push(seq);
  });
  return seen;
}

const contiguous = (seqs: number[]) => seqs.every((s, i) => i === 0 || s === (seqs[i - 1] as number) + 1);

describe('presence frames in a big room', () => {
  it('sends members slim frames (the listed, their own entry, true counts) and staff whole ones, with one seq', async () => {
    const ordinary = 'm-li-xiaoyan';
    const member = (held.get(ordinary) ?? [])[0];
    const other = (held.get('m-wu-guoqiang') ?? [])[0];
    if (!member || !other) throw new Error('no socket');
    const { socket: staff } = await join(demo.staffId);
    const memberSeqs = seqsOf(member);
    const staffSeqs = seqsOf(staff);
    const before = (await must(staff, 'room:snapshot', {})).presenceCounts.present;

    // A stranger arrives: staff see the entry; the member sees the count only, under the same seq.
    const stranger = 'm-lin-feng';
    const staffSaw = next(staff, 'presence:changed', (d) => d.entries.some((e) => e.memberId === stranger));
    const memberSaw = next(member, 'presence:changed', (d) => d.counts.present === before + 1);
    const { socket: strangerSocket } = await join(stranger);
    const [whole, slim] = await Promise.all([staffSaw, memberSaw]);
    expect(slim.seq).toBe(whole.seq);
    expect(slim.partial).toBe(true);
    expect(whole.partial).toBeUndefined();
    expect(slim.entries.map((e) => e.memberId)).not.toContain(stranger);
    expect(slim.counts).toEqual(whole.counts);

    // Granted the floor, an ordinary member enters the short list: their entry comes in a slim frame.
    const floor = 'm-wu-guoqiang';
    const listed = next(member, 'presence:changed', (d) => d.entries.some((e) => e.memberId === floor));
    await must(convener, 'speaker:grant', { memberId: floor });
    expect((await listed).partial).toBe(true);
    // Their turn over, they drop out of it again.
    const unlisted = next(member, 'presence:changed', (d) => d.left.includes(floor));
    await must(convener, 'speaker:end', {});
    expect((await unlisted).counts.present).toBe(before + 1);

    // A check-in changes the member's own entry: they get it, another member does not.
    const mine = next(member, 'presence:changed', (d) => d.entries.some((e) => e.memberId === ordinary));
    const othersView = next(other, 'presence:changed', (d) => d.counts.inHall === whole.counts.inHall + 1);
    await must(convener, 'checkin:member', { memberId: ordinary });
    const [own, theirs] = await Promise.all([mine, othersView]);
    expect(own.entries.find((e) => e.memberId === ordinary)?.inHall).toBe(true);
    expect(own.seq).toBe(theirs.seq);
    expect(theirs.entries.map((e) => e.memberId)).not.toContain(ordinary);

    // The stranger leaves: staff see who; the member only the count.
    const staffLeft = next(staff, 'presence:changed', (d) => d.left.includes(stranger));
    const memberLeft = next(member, 'presence:changed', (d) => d.counts.present === before);
    strangerSocket.close();
    const [wholeLeft, slimLeft] = await Promise.all([staffLeft, memberLeft]);
    expect(slimLeft.seq).toBe(wholeLeft.seq);
    expect(slimLeft.left).not.toContain(stranger);

    // Both sockets saw every sequenced event, the same numbers in the same order.
    expect(memberSeqs.length).toBeGreaterThan(4);
    expect(contiguous(memberSeqs)).toBe(true);
    expect(contiguous(staffSeqs)).toBe(true);
    expect(memberSeqs).toEqual(staffSeqs.slice(staffSeqs.indexOf(memberSeqs[0] as number)));
    member.offAny();
    staff.offAny();
  });

  it('keeps a slim list equal to what a new snapshot lists', async () => {
    const member = (held.get('m-li-xiaoyan') ?? [])[0];
    if (!member) throw new Error('no socket');
    const snapshot = await must(member, 'room:snapshot', {});
    expect(snapshot.presencePartial).toBe(true);
    // Muted, an ordinary member joins the short list through a slim frame; unmuted, leaves it.
    const target = 'm-xu-jing';
    const muted = next(member, 'presence:changed', (d) => d.entries.some((e) => e.memberId === target && e.muted));
    await must(convener, 'moderation:mute', { memberId: target, muted: true });
    await muted;
    const unmuted = next(member, 'presence:changed', (d) => d.left.includes(target));
    await must(convener, 'moderation:mute', { memberId: target, muted: false });
    await unmuted;
    const again = await must(member, 'room:snapshot', {});
    expect(again.presence.some((e) => e.memberId === target)).toBe(false);
  });
});
