import type { MemberView } from '@yitang/shared';

/** A sign-in as the handshake checks it (times in ms since the epoch). */
export interface CachedSignIn {
  memberId: string;
  createdAt: number;
  expiresAt: number;
  lastSeenAt: number;
}

/** Where a read began: hand it back to `put` / `putView` with what it read. */
export interface ReadMark {
  seq: number;
  at: number;
  outsideSignIns: number;
  outsideViews: number;
}

/** How long a copy is trusted after it was read from (or written to) the database. */
export const copyTrustMs = 60_000;

/** Forgotten sign-ins and members kept as tombstones (see `put`), swept past this many. */
const tombstonesKept = 1024;

/**
 * This node's copy of the sign-ins and member views it has seen, for the Socket.IO handshake
 * only: a room of thousands filling made two reads by key per join (the sign-in and the member),
 * as much database work as the rest of the join (docs/performance.md, "Filling a big room").
 *
 * The copy may be behind the database in one way that matters: a sign-in ended, or a member
 * changed, elsewhere. Bounded three ways:
 * - this node's own sign-outs and deletes forget what they end before and after the write, and
 *   any other write through mongoose to sign-ins, members or sectors on this node's connection
 *   makes every older copy untrusted (`outside`, db/write-epochs.ts);
 * - another node's sign-outs and member writes reach this one as notices (cluster.ts); the node
 *   forgets what they name and closes its own sockets of that member, as the sign-out's
 *   broadcast closes the others; while its subscription to the notices is down, the handshake
 *   does not use the copy at all, and everything is forgotten when it comes back (app.ts);
 * - whatever the notices missed (a node that crashed between a sign-out and its notice), a copy
 *   is trusted for `copyTrustMs` after it was read, then read again. The app's own REST calls
 *   read the database and renew the copy, so a member opening the app before a sitting finds it
 *   fresh at the room's handshake.
 *
 * REST calls, the minutes socket and the expiry watch keep reading the database. A copy that
 * looks expired or idle is never trusted either way: the handshake then reads the database.
 *
 * A read that began before something was forgotten or written must not put it back: `mark()` is
 * taken before the read, and `put` / `putView` ignore what was read before such a change (per
 * sign-in and per member, so one sign-out or a stranger's unknown cookie spoils no other read).
 */
export class SignInCache {
  private readonly byHash = new Map<string, CachedSignIn & { outside: number; copiedAt: number }>();
  private readonly byMember = new Map<string, Set<string>>();
  private readonly views = new Map<string, { view: MemberView; outside: number; copiedAt: number }>();
  private seq = 0;
  /** When each sign-in and each member's sign-ins were last forgotten (seq, ms). */
  private readonly forgottenHash = new Map<string, { seq: number; at: number }>();
  private readonly forgottenMember = new Map<string, { seq: number; at: number }>();
  private viewsForgotten = 0;
  private cleared = 0;

  /**
   * `outside`: counts of writes this cache did not make or hear of (`db/write-epochs.ts`): a copy
   * taken under another count is not trusted. `max`: sign-ins kept (the oldest put goes first),
   * and as many member views.
   */
  constructor(
    private readonly outside: { signIns: () => number; views: () => number },
    private readonly opts: { max?: number; trustMs?: number; now?: () => number } = {},
  ) {}

  private get now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  private get trustMs(): number {
    return this.opts.trustMs ?? copyTrustMs;
  }

  private get max(): number {
    return this.opts.max ?? 50_000;
  }

  /** Taken before a database read whose answer may go into the cache. */
  mark(): ReadMark {
    return {
      seq: this.seq,
      at: this.now,
      outsideSignIns: this.outside.signIns(),
      outsideViews: this.outside.views(),
    };
  }

  get(hash: string): CachedSignIn | undefined {
    const s = this.byHash.get(hash);
    if (!s) return undefined;
    if (s.outside === this.outside.signIns() && this.now - s.copiedAt <= this.trustMs) return s;
    this.drop(hash);
    return undefined;
  }

  /** Copies a sign-in read under `read`; false when something since makes that read stale. */
  put(hash: string, s: CachedSignIn, read: ReadMark = this.mark()): boolean {
    if (
      read.outsideSignIns !== this.outside.signIns() ||
      this.cleared > read.seq ||
      (this.forgottenHash.get(hash)?.seq ?? 0) > read.seq ||
      (this.forgottenMember.get(s.memberId)?.seq ?? 0) > read.seq ||
      this.now - read.at > this.trustMs
    ) {
      return false;
    }
    this.drop(hash);
    this.byHash.set(hash, { ...s, outside: read.outsideSignIns, copiedAt: read.at });
    let mine = this.byMember.get(s.memberId);
    if (!mine) {
      mine = new Set();
      this.byMember.set(s.memberId, mine);
    }
    mine.add(hash);
    if (this.byHash.size > this.max) {
      const oldest = this.byHash.keys().next().value;
      if (oldest !== undefined) this.drop(oldest);
    }
    return true;
  }

  /** Notes a touch written to the database by this node (the copy's idle clock restarts too). */
  touched(hash: string, at: number): void {
    const s = this.byHash.get(hash);
    if (s && s.lastSeenAt < at) s.lastSeenAt = at;
  }

  /** Forgets one sign-in (signed out, or not found). */
  forget(hash: string): void {
    this.tombstone(this.forgottenHash, hash);
    this.drop(hash);
  }

  /**
   * Forgets every sign-in of a member but `keepHash`'s (a password change keeps its own). A read
   * of any of them under way is not put back, the kept one's included: that costs one more read.
   */
  forgetMember(memberId: string, keepHash?: string): void {
    this.tombstone(this.forgottenMember, memberId);
    for (const hash of [...(this.byMember.get(memberId) ?? [])]) if (hash !== keepHash) this.drop(hash);
  }

  view(memberId: string): MemberView | undefined {
    const v = this.views.get(memberId);
    if (!v) return undefined;
    if (v.outside === this.outside.views() && this.now - v.copiedAt <= this.trustMs) return v.view;
    this.views.delete(memberId);
    return undefined;
  }

  putView(view: MemberView, read: ReadMark = this.mark()): void {
    if (
      read.outsideViews !== this.outside.views() ||
      this.viewsForgotten > read.seq ||
      this.cleared > read.seq ||
      this.now - read.at > this.trustMs
    ) {
      return;
    }
    this.views.delete(view.id);
    this.views.set(view.id, { view, outside: read.outsideViews, copiedAt: read.at });
    if (this.views.size > this.max) {
      const oldest = this.views.keys().next().value;
      if (oldest !== undefined) this.views.delete(oldest);
    }
  }

  /** Forgets every member view: a member or a sector was written on another node. */
  forgetViews(): void {
    this.seq += 1;
    this.viewsForgotten = this.seq;
    this.views.clear();
  }

  /** Forgets everything (this node may have missed another node's notices). */
  clear(): void {
    this.seq += 1;
    this.cleared = this.seq;
    this.byHash.clear();
    this.byMember.clear();
    this.views.clear();
    this.forgottenHash.clear();
    this.forgottenMember.clear();
  }

  /** Records that `key` was forgotten now: a read begun before is not put back (see `put`). */
  private tombstone(into: Map<string, { seq: number; at: number }>, key: string): void {
    this.seq += 1;
    const now = this.now;
    into.set(key, { seq: this.seq, at: now });
    if (into.size <= tombstonesKept) return;
    // A read older than the trust window is refused anyway: older tombstones say nothing more.
    for (const [k, t] of into) if (now - t.at > this.trustMs) into.delete(k);
  }

  private drop(hash: string): void {
    const s = this.byHash.get(hash);
    if (!s) return;
    this.byHash.delete(hash);
    const mine = this.byMember.get(s.memberId);
    mine?.delete(hash);
    if (mine?.size === 0) this.byMember.delete(s.memberId);
  }
}
