import {
  type ClientEventResults,
  type ClientPayload,
  comparePresence,
  fullPresenceRoles,
  limits,
  noPresence,
  type PresenceCounts,
  type PresenceEntry,
  roomRunningRoles,
  type SessionRole,
} from '@yitang/shared';
import { isDuplicateKey } from '../errors';
import type { Actor } from './live-room';
import { PresenceBatch } from './presence-batch';
import type { RoomBroadcast } from './room.broadcast';
import type { RoomRepository } from './room.repository';

interface Presence {
  entry: PresenceEntry;
  sockets: number;
}

export interface PresenceBookDeps {
  sessionId: string;
  rooms: RoomRepository;
  /** The room's broadcast: presence frames keep their place among its other frames. */
  broadcast: RoomBroadcast;
  /** Numbers the room's next frame (one sequence for every sequenced frame of the room). */
  nextSeq: () => number;
  /** Whether the session has muted this member (a new entry says so). */
  isMuted: (memberId: string) => boolean;
  /** Above this many present, snapshots list only those who run the room; `limits.snapshotPresenceMax` by default. */
  snapshotPresenceMax?: number;
}

const runsTheRoom: ReadonlySet<SessionRole> = new Set(roomRunningRoles);

/**
 * Who is in one live room: the present with their sockets, online and in-hall flags and counts,
 * the attendance rows that say who took part, and the `presence:changed` frames (coalesced by
 * `PresenceBatch`, slimmed in a big room). The live room holds one and decides who may enter;
 * this book keeps track of who did.
 */
export class PresenceBook {
  private readonly presence = new Map<string, Presence>();
  /** Presence changes not yet sent; see `set`. */
  private readonly batch: PresenceBatch;
  /** How many present are online / in the hall, kept with `presence` so counting costs nothing. */
  private onlineCount = 0;
  private inHallCount = 0;
  private readonly roleCount = noPresence().byRole;
  /** Those present whom a big room's snapshot always lists for their role or mute, kept like the counts. */
  private readonly keyPeople = new Set<string>();
  /** Those present whose role gets the whole list (`fullPresenceRoles`), kept like the counts. */
  private readonly fullListers = new Set<string>();
  /** The speaker and the queue as the last `speakers:updated` left them: listed in a big room too. */
  private onStage = new Set<string>();
  /**
   * Members listed in a big room's short list at some moment since the last presence frame
   * (before or after a change): a slim frame tells of their arrival, change, departure or
   * dropping out of the list. See `send`.
   */
  private readonly relisted = new Set<string>();
  /**
   * The present in `comparePresence` order for `page`: built on the first request, then
   * kept in order change by change (a binary search and a splice), so paging a room that is
   * filling never sorts it again (5,000 names take 15–30 ms to sort).
   */
  private sorted: PresenceEntry[] | null = null;
  private readonly admitted = new Set<string>();
  /** Members whose attendance already says they took part online, with the role it names. */
  private readonly seenOnline = new Map<string, SessionRole>();

  constructor(private readonly deps: PresenceBookDeps) {
    this.batch = new PresenceBatch({
      intervalMs: 1000 / limits.presenceFramesPerSecond,
      deliveriesPerSecond: limits.presenceDeliveriesPerSecond,
      recipients: () => this.presence.size,
      current: (memberId) => this.presence.get(memberId)?.entry ?? null,
      send: (change) => this.send(change),
    });
  }

  /**
   * Rebuilds the book from the attendance rows. People checked in in the hall stay present
   * across a restart; online presence returns as their sockets reconnect.
   */
  async load(): Promise<void> {
    const attendance = await this.deps.rooms.attendance(this.deps.sessionId);
    const hall = attendance.filter((a) => a.inHall);
    const names = new Map((await this.deps.rooms.memberNames(hall.map((a) => a.memberId))).map((m) => [m.id, m.name]));
    for (const a of attendance) {
      this.admitted.add(a.memberId);
      if (a.online) this.seenOnline.set(a.memberId, a.role);
    }
    for (const a of hall) {
      const entry: PresenceEntry = {
        memberId: a.memberId,
        name: names.get(a.memberId) ?? a.memberId,
        role: a.role,
        online: false,
        inHall: true,
        muted: this.deps.isMuted(a.memberId),
      };
      this.count(entry, 1);
      this.presence.set(a.memberId, { entry, sockets: 0 });
    }
  }

  /** How many are present. */
  get size(): number {
    return this.presence.size;
  }

  has(memberId: string): boolean {
    return this.presence.has(memberId);
  }

  /** A present member's entry. */
  entry(memberId: string): PresenceEntry | undefined {
    return this.presence.get(memberId)?.entry;
  }

  /** Whether the member took part in this session (present now or earlier, online or in the hall). */
  isAdmitted(memberId: string): boolean {
    return this.admitted.has(memberId);
  }

  /** The roles of those present: the electorate for quorum and "of present" majorities. */
  roles(): SessionRole[] {
    return [...this.presence.values()].map((p) => p.entry.role);
  }

  /** Who is checked in at the hall, with their roles. */
  hallVoters(): Array<{ memberId: string; role: SessionRole }> {
    return [...this.presence.entries()].flatMap(([memberId, here]) =>
      here.entry.inHall ? [{ memberId, role: here.entry.role }] : [],
    );
  }

  /** Sets where the speaker and the queue are, without telling anyone (loading). */
  setStage(stage: Set<string>): void {
    this.onStage = stage;
  }

  /**
   * The speaker or the queue changed. Who takes the floor or joins the queue enters a big room's
   * short list, and who leaves them drops out of it: the next presence frame tells the slim-frame
   * receivers either way. A small room's frames list everyone, so there is nothing to tell.
   */
  stageMoved(stage: Set<string>): void {
    const moved = this.bigRoom() ? symmetricDifference(this.onStage, stage) : [];
    this.onStage = stage;
    for (const id of moved) {
      if (!this.presence.has(id)) continue;
      this.relisted.add(id);
      this.batch.changed(id);
    }
  }

  /**
   * The one way presence changes once the room is loaded: sets (or, with null, removes) a
   * member's presence and queues the change for the next `presence:changed` frame. A snapshot
   * taken meanwhile already shows the change; the frame that follows it repeats it harmlessly.
   */
  private set(memberId: string, next: Presence | null): void {
    const before = this.presence.get(memberId)?.entry;
    if (before && this.listed(memberId)) this.relisted.add(memberId);
    if (before) this.count(before, -1);
    if (next) {
      this.presence.set(memberId, next);
      this.count(next.entry, 1);
      if (this.listed(memberId)) this.relisted.add(memberId);
    } else this.presence.delete(memberId);
    this.resort(before ?? null, next?.entry ?? null);
    this.batch.changed(memberId);
  }

  /** Moves one member's entry in `sorted` (if it is built): out at its old place, in at its new one. */
  private resort(before: PresenceEntry | null, after: PresenceEntry | null): void {
    const sorted = this.sorted;
    if (!sorted) return;
    if (before) {
      const at = sortedIndex(sorted, before);
      if (sorted[at]?.memberId !== before.memberId) {
        this.sorted = null; // not where it should be: rebuild on the next request
        return;
      }
      sorted.splice(at, 1);
    }
    if (after) sorted.splice(sortedIndex(sorted, after), 0, after);
  }

  private count(entry: PresenceEntry, by: 1 | -1): void {
    if (entry.online) this.onlineCount += by;
    if (entry.inHall) this.inHallCount += by;
    this.roleCount[entry.role] += by;
    if (runsTheRoom.has(entry.role) || entry.muted) {
      if (by > 0) this.keyPeople.add(entry.memberId);
      else this.keyPeople.delete(entry.memberId);
    }
    if (fullPresenceRoles.has(entry.role)) {
      if (by > 0) this.fullListers.add(entry.memberId);
      else this.fullListers.delete(entry.memberId);
    }
  }

  /** Whether a big room's short list (snapshot and slim frames) names this member for everyone. */
  private listed(memberId: string): boolean {
    return this.keyPeople.has(memberId) || this.onStage.has(memberId);
  }

  private max(): number {
    return this.deps.snapshotPresenceMax ?? limits.snapshotPresenceMax;
  }

  private bigRoom(): boolean {
    return this.presence.size > this.max();
  }

  /**
   * Sends one presence frame. A room up to `snapshotPresenceMax` gets one frame for everyone.
   * In a big room only those who get the whole list in their snapshot (`fullPresenceRoles`) get
   * the whole frame; everyone else gets a slim one with the same `seq` and counts: the entries of
   * the listed (those a partial snapshot names), `left` for those who were listed since the last
   * frame and have left or dropped out of the list (so a slim list stays what a new snapshot
   * would give), and `partial: true`. A member whose own entry changed gets it in their slim
   * frame too. Filling a room of n thus costs O(n) entries per frame, not O(changes × n).
   */
  private send(change: { entries: PresenceEntry[]; left: string[] }): void {
    const counts = this.counts();
    const relisted = new Set(this.relisted);
    this.relisted.clear();
    if (!this.bigRoom()) {
      this.deps.broadcast.emit('presence:changed', { seq: this.deps.nextSeq(), ...change, counts });
      return;
    }
    const seq = this.deps.nextSeq();
    const full = { seq, ...change, counts };
    const entries: PresenceEntry[] = [];
    const left: string[] = [];
    const unlisted: PresenceEntry[] = [];
    for (const e of change.entries) {
      if (this.listed(e.memberId)) entries.push(e);
      else {
        unlisted.push(e);
        if (relisted.has(e.memberId)) left.push(e.memberId);
      }
    }
    for (const id of change.left) if (relisted.has(id)) left.push(id);
    const slim = { seq, entries, left, counts, partial: true };
    const own = new Map<string, typeof slim>();
    for (const e of unlisted) {
      own.set(e.memberId, { ...slim, entries: [...entries, e], left: left.filter((id) => id !== e.memberId) });
    }
    const fullListers = new Set(this.fullListers);
    this.deps.broadcast.emitEach('presence:changed', (memberId) => {
      if (memberId === null) return slim;
      if (fullListers.has(memberId)) return full;
      return own.get(memberId) ?? slim;
    });
  }

  counts(): PresenceCounts {
    return {
      present: this.presence.size,
      online: this.onlineCount,
      inHall: this.inHallCount,
      byRole: { ...this.roleCount },
    };
  }

  /**
   * The presence list a snapshot carries: everyone in a room up to `snapshotPresenceMax`, else
   * those who run the room (conveners, staff, recorders), the speaker and the queue, the muted
   * and the caller; a big room's other entries come through `page`. Staff and conveners
   * (`fullPresenceRoles`) always get everyone: their check-in desk and paper ballots need it.
   */
  snapshot(caller: Actor): { presence: PresenceEntry[]; partial: boolean } {
    if (fullPresenceRoles.has(caller.role) || this.presence.size <= this.max()) {
      return { presence: [...this.presence.values()].map((p) => p.entry), partial: false };
    }
    // Built from the few listed ids, not by scanning the room: each join's snapshot stays O(listed).
    const ids = new Set(this.keyPeople);
    for (const id of this.onStage) ids.add(id);
    ids.add(caller.member.id);
    const presence: PresenceEntry[] = [];
    for (const id of ids) {
      const entry = this.presence.get(id)?.entry;
      if (entry) presence.push(entry);
    }
    return { presence, partial: true };
  }

  /** One page of the present in `comparePresence` order; `query` matches a part of the name. */
  page(p: ClientPayload<'presence:page'>): ClientEventResults['presence:page'] {
    if (this.sorted?.length !== this.presence.size) {
      this.sorted = [...this.presence.values()].map((x) => x.entry).sort(comparePresence);
    }
    const needle = p.query?.toLowerCase();
    const found = needle ? this.sorted.filter((e) => e.name.toLowerCase().includes(needle)) : this.sorted;
    return { total: found.length, entries: found.slice(p.offset, p.offset + p.limit) };
  }

  /** The entry `actor` has, or would have on arriving. */
  entryFor(actor: Actor, online: boolean): PresenceEntry {
    return {
      memberId: actor.member.id,
      name: actor.member.name,
      role: actor.role,
      online,
      inHall: false,
      muted: this.deps.isMuted(actor.member.id),
    };
  }

  /**
   * Adds one socket of a member; the first makes them present (online) for everyone. `attend`:
   * store that they took part online (not once the session is closed).
   */
  async enter(actor: Actor, attend: boolean): Promise<void> {
    if (attend) await this.noteOnline(actor);
    const here = this.presence.get(actor.member.id);
    if (here) {
      here.sockets += 1;
      if (!here.entry.online) this.set(actor.member.id, { ...here, entry: { ...here.entry, online: true } });
      return;
    }
    this.set(actor.member.id, { entry: this.entryFor(actor, true), sockets: 1 });
  }

  /**
   * Stores that `actor` took part online, once: a first arrival is one insert (group-committed
   * with the others of a burst), a return after a hall check-in an update, a reconnect nothing.
   */
  private async noteOnline(actor: Actor): Promise<void> {
    const memberId = actor.member.id;
    const sessionId = this.deps.sessionId;
    if (this.seenOnline.get(memberId) === actor.role) return;
    const mark = () => this.deps.rooms.markAttendance(sessionId, memberId, actor.role, { online: true });
    if (this.admitted.has(memberId)) await mark();
    else {
      // A record made meanwhile (another tab, a check-in) refuses the insert: update it instead.
      await this.deps.rooms.firstSeenOnline(sessionId, memberId, actor.role).catch((err: unknown) => {
        if (!isDuplicateKey(err)) throw err;
        return mark();
      });
    }
    this.admitted.add(memberId);
    this.seenOnline.set(memberId, actor.role);
  }

  /** Removes one socket of a member; they leave when their last socket does (unless in the hall). */
  exit(memberId: string): void {
    const here = this.presence.get(memberId);
    if (!here) return;
    here.sockets = Math.max(0, here.sockets - 1);
    if (here.sockets > 0) return;
    if (here.entry.inHall) {
      this.set(memberId, { ...here, entry: { ...here.entry, online: false } });
      return;
    }
    this.set(memberId, null);
  }

  /** Stores and shows that `target` is in the hall (checked in by `by`). */
  async checkIn(target: Actor, by: string): Promise<PresenceEntry> {
    await this.deps.rooms.markAttendance(this.deps.sessionId, target.member.id, target.role, { inHall: true, by });
    this.admitted.add(target.member.id);
    const here = this.presence.get(target.member.id);
    const entry = { ...(here?.entry ?? this.entryFor(target, false)), inHall: true };
    this.set(target.member.id, { entry, sockets: here?.sockets ?? 0 });
    return entry;
  }

  /** Shows a present member as muted or not; undefined if they are no longer here. */
  setMuted(memberId: string, muted: boolean): PresenceEntry | undefined {
    const here = this.presence.get(memberId);
    if (!here) return undefined;
    const entry = { ...here.entry, muted };
    this.set(memberId, { ...here, entry });
    return entry;
  }

  /** Takes a member out of the room at once, whatever their sockets (removed by a convener). */
  drop(memberId: string): void {
    if (this.presence.has(memberId)) this.set(memberId, null);
  }

  /** Stops sending frames and forgets who is here: participants leaving as their connections are cut find nothing to change. */
  dispose(): void {
    this.batch.dispose();
    this.presence.clear();
    this.relisted.clear();
  }
}

function symmetricDifference(a: ReadonlySet<string>, b: ReadonlySet<string>): string[] {
  return [...[...a].filter((id) => !b.has(id)), ...[...b].filter((id) => !a.has(id))];
}

/** Where `entry` is, or would go, in a list sorted by `comparePresence`. */
function sortedIndex(sorted: readonly PresenceEntry[], entry: PresenceEntry): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const at = sorted[mid];
    if (at && comparePresence(at, entry) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
