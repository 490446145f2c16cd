import { Duplex } from 'node:stream';
import { limits, MinutesCloseCode } from '@yitang/shared';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { TokenBucket } from '../lib/token-bucket';
import type { Logger } from '../logger';
import { EditCounter, type EditTally, tally, writtenBlocks } from './authorship';
import type { MinutesStore } from './minutes.store';

/** y-websocket message types (the first varint of each frame). */
const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;

/**
 * How long updates gather before their log record is written. Editors get each update at once;
 * this only bounds how often the log is written (about 1,000 updates a second from 200 editors
 * in 20 documents become 5 inserts of 20 records a second). Closing the server, unloading a
 * document and a change made by the server write at once.
 */
const persistDelayMs = 200;

interface Connection {
  readonly: boolean;
  /** Awareness client ids this connection announced, removed when it leaves. */
  awarenessIds: Set<number>;
  alive: boolean;
  /** Who is behind it: their awareness `user` carries these, whatever the client put there. */
  memberId: string;
  name: string;
  /** Awareness frames allowed; the excess is dropped (the next state replaces a dropped one). */
  awarenessRate: TokenBucket;
}

/**
 * Why a connection is closed on purpose (not a malformed frame): the code and reason go to the
 * client, whose provider shows or acts on them.
 */
class Refusal extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const caretColor = /^#[0-9a-fA-F]{6}$/;

/**
 * What others see of a connection's awareness state. Everyone's `user` names the person behind
 * the connection (no one can show up as someone else). A reader may show who they are, where
 * their caret is and the change mark the client bumps after a REST change (comments are open to
 * readers in review) — nothing else: `editing` is false and any other field is dropped.
 */
function visibleState(state: unknown, conn: Connection): unknown {
  if (!isRecord(state)) return state === null ? null : {};
  const stampUser = (user: unknown) => {
    const u = isRecord(user) ? user : {};
    return conn.readonly
      ? {
          memberId: conn.memberId,
          name: conn.name,
          ...(typeof u.color === 'string' && caretColor.test(u.color) ? { color: u.color } : {}),
          editing: false,
        }
      : { ...u, memberId: conn.memberId, name: conn.name };
  };
  if (!conn.readonly) return 'user' in state ? { ...state, user: stampUser(state.user) } : state;
  const out: Record<string, unknown> = {};
  if ('user' in state) out.user = stampUser(state.user);
  const cursor = state.cursor;
  if (cursor === null) out.cursor = null;
  else if (isRecord(cursor)) out.cursor = { anchor: cursor.anchor ?? null, head: cursor.head ?? null };
  if (typeof state.minutesRev === 'number') out.minutesRev = state.minutesRev;
  return out;
}

/** One minutes document held in memory while anyone has it open. */
class LiveDoc {
  readonly ydoc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.ydoc);
  readonly conns = new Map<WebSocket, Connection>();
  /** Persistence runs one write at a time, in the order updates were applied. */
  private queue: Promise<void> = Promise.resolve();
  /**
   * Updates not yet handed to a write, stored together as one log record under `seq`. The
   * record waits for the server's next write tick (and for the write before it) so a typing
   * burst becomes one append; `queued` once its write is queued. Null when nothing is waiting.
   */
  private waiting: { seq: number; updates: Uint8Array[]; queued: boolean } | null = null;
  private sinceCompact = 0;
  unloadTimer: NodeJS.Timeout | null = null;
  failed = false;
  /**
   * True while this copy is the one the server hands out for its name. A copy that failed or is
   * unloading is no longer current, and a new one may be loaded under the same name meanwhile:
   * what happens to an old copy must never touch the new one.
   */
  current = true;
  /** Edits per author since the last compaction (谁写了什么, see authorship.ts). */
  readonly authors = new Map<string, EditTally>();
  /** Each author's current run of writing, so a typing run is one edit. */
  private readonly edits = new EditCounter();
  /** Who is behind each connection, to credit their updates. */
  readonly authorOf = new Map<WebSocket, string>();
  /** Which connection announced each awareness client id: no other may speak for it. */
  private readonly awarenessOwner = new Map<number, WebSocket>();
  /**
   * Bytes of the encoded document, from above: the stored parts at load plus every update applied
   * since (merging and garbage collection only shrink it). Measured exactly when it nears the cap.
   */
  private size: number;

  constructor(
    readonly name: string,
    initialParts: Uint8Array[],
    private lastSeq: number,
    pending: number,
    private readonly store: MinutesStore,
    private readonly logger: Logger,
    private readonly onFailure: (doc: LiveDoc) => void,
    /** Runs `release` at the server's next write tick (shared by all documents). */
    private readonly atWriteTick: (release: () => void) => void,
  ) {
    this.sinceCompact = pending;
    this.size = initialParts.reduce((n, p) => n + p.byteLength, 0);
    // Applied before the update listener exists: loading is not a new edit to store.
    this.ydoc.transact(() => {
      for (const part of initialParts) Y.applyUpdate(this.ydoc, part);
    });
    this.awareness.setLocalState(null);
    this.ydoc.on('update', (update: Uint8Array, origin: unknown) => this.onUpdate(update, origin));
    // Before deleted content is collected: what was removed still shows where it was.
    this.ydoc.on('afterTransaction', (tr: Y.Transaction) => this.credit(tr));
    this.awareness.on('update', (changes: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) =>
      this.onAwareness(changes, origin),
    );
  }

  private onUpdate(update: Uint8Array, origin: unknown): void {
    this.size += update.byteLength;
    // The other editors first: nothing below (bookkeeping, storage) delays the relay.
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeUpdate(encoder, update);
    const frame = encoding.toUint8Array(encoder);
    for (const ws of this.conns.keys()) if (ws !== origin) send(ws, frame);
    this.persist(update);
  }

  /**
   * Credits a transaction: what the room writes by itself (sections, events) to the room, one
   * edit per block it inserts; a person's writing to them, one edit per run (authorship.ts).
   */
  private credit(tr: Y.Transaction): void {
    if (tr.changed.size === 0 && tr.deleteSet.clients.size === 0) return;
    const now = Date.now();
    const origin: unknown = tr.origin;
    if (isServerOrigin(origin)) {
      tally(this.authors, origin.by, 1, now);
      return;
    }
    const author = this.authorOf.get(origin as WebSocket);
    if (author === undefined) return;
    const blocks = writtenBlocks(tr);
    if (blocks.size === 0) return;
    tally(this.authors, author, this.edits.record(author, blocks, now) ? 1 : 0, now);
  }

  private onAwareness(changes: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void {
    const changed = [...changes.added, ...changes.updated, ...changes.removed];
    const ws = origin as WebSocket;
    const conn = origin ? this.conns.get(ws) : undefined;
    if (conn) {
      for (const id of changes.added) {
        conn.awarenessIds.add(id);
        this.awarenessOwner.set(id, ws);
      }
      for (const id of changes.removed) {
        conn.awarenessIds.delete(id);
        if (this.awarenessOwner.get(id) === ws) this.awarenessOwner.delete(id);
      }
    }
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    const frame = encoding.toUint8Array(encoder);
    for (const ws of this.conns.keys()) send(ws, frame);
  }

  /**
   * Appends the update to the log. Updates gather in one waiting record until the server's
   * next write tick (at most `persistDelayMs`) and, if the document's write before it still
   * runs then, until that is done: a document takes a few records a second whatever the typing
   * rate, each one merged update.
   */
  private persist(update: Uint8Array): void {
    if (this.waiting) {
      this.waiting.updates.push(update);
      return;
    }
    const batch: NonNullable<LiveDoc['waiting']> = { seq: ++this.lastSeq, updates: [update], queued: false };
    this.waiting = batch;
    this.atWriteTick(() => this.release(batch));
    // Counted in records: compaction bounds how many the next load reads.
    this.sinceCompact += 1;
    if (this.sinceCompact >= limits.minutesCompactAfterUpdates) void this.compact();
  }

  /** Queues a waiting record's write now (it keeps taking updates until the write starts). */
  private release(batch: NonNullable<LiveDoc['waiting']>): void {
    if (batch.queued) return;
    batch.queued = true;
    void this.enqueue(() => {
      // From here on, later updates go to the next record.
      if (this.waiting === batch) this.waiting = null;
      const [only, ...more] = batch.updates;
      const merged = only && more.length === 0 ? only : Y.mergeUpdates(batch.updates);
      return this.store.append(this.name, batch.seq, merged);
    });
  }

  /** Folds everything applied so far into a snapshot (queued behind pending appends). */
  compact(): Promise<void> {
    this.sinceCompact = 0;
    if (this.waiting) this.release(this.waiting);
    // Updates after this point must land above `upTo`: they start a new record.
    this.waiting = null;
    const upTo = this.lastSeq;
    const authors = new Map(
      [...this.authors].map(([id, a]) => [id, { edits: a.edits, first: new Date(a.first), last: new Date(a.last) }]),
    );
    this.authors.clear();
    return this.enqueue(async () => {
      await this.store.compact(this.name, Y.encodeStateAsUpdate(this.ydoc), upTo);
      await this.store.addAuthors(this.name, authors);
    });
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(async () => {
      if (this.failed) return;
      try {
        await task();
      } catch (err) {
        // Never swallowed: logged, and every editor is disconnected so their clients keep the
        // edits and send them again to a freshly loaded document.
        this.failed = true;
        this.logger.error({ err, doc: this.name }, 'minutes write failed');
        this.onFailure(this);
      }
    });
    this.queue = run;
    return run;
  }

  /**
   * Writes what is waiting and the authors counted since the last compaction, but no snapshot:
   * for a copy whose room another node now owns. That node loaded the document from the log and
   * appends its own records after it; a snapshot of this copy (which lacks those edits) would be
   * stored over theirs and delete the records it claims to cover. Resolves when every write so
   * far is done.
   */
  handOver(): Promise<void> {
    if (this.waiting) this.release(this.waiting);
    this.waiting = null;
    const authors = new Map(
      [...this.authors].map(([id, a]) => [id, { edits: a.edits, first: new Date(a.first), last: new Date(a.last) }]),
    );
    this.authors.clear();
    return this.enqueue(() => this.store.addAuthors(this.name, authors));
  }

  /** Writes what is waiting now, and resolves when every write so far is done. */
  flush(): Promise<void> {
    if (this.waiting) this.release(this.waiting);
    return this.queue;
  }

  /**
   * Whether an update may be applied without taking the document past what writers may fill
   * (`limits.maxMinutesDocumentBytes`). An update that only deletes is always let through, so a
   * full document can still be trimmed. The exact size is measured only near the cap.
   */
  private admits(update: Uint8Array, cap: number): boolean {
    if (this.size + update.byteLength <= cap) return true;
    this.size = Y.encodeStateAsUpdate(this.ydoc).byteLength;
    if (this.size + update.byteLength <= cap) return true;
    return Y.decodeUpdate(update).structs.length === 0;
  }

  /** Whether the room's own events still fit (a little past the writers' cap: see limits). */
  roomEventsFit(): boolean {
    return this.admits(new Uint8Array(0), limits.maxMinutesDocumentBytes + limits.minutesRoomEventsHeadroomBytes);
  }

  /**
   * The entries of a client's awareness update that it may send, as an update to apply: ids of
   * its own (at most `minutesAwarenessIdsPerConnection`, never another connection's or the
   * server's), each state as others may see it (`visibleState`).
   */
  private ownAwareness(ws: WebSocket, conn: Connection, update: Uint8Array): Uint8Array | null {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const kept: Array<{ id: number; clock: number; state: string }> = [];
    let owned = conn.awarenessIds.size;
    for (let i = 0; i < count; i += 1) {
      const id = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const json = decoding.readVarString(decoder);
      const owner = this.awarenessOwner.get(id);
      // Others' states (the provider echoes what it receives) are skipped unread.
      if (id === this.ydoc.clientID || (owner !== undefined && owner !== ws)) continue;
      if (Buffer.byteLength(json, 'utf8') > limits.maxMinutesAwarenessBytes) continue;
      const state: unknown = JSON.parse(json);
      if (owner === undefined) {
        if (state === null || owned >= limits.minutesAwarenessIdsPerConnection) continue;
        owned += 1;
      }
      kept.push({ id, clock, state: JSON.stringify(visibleState(state, conn)) });
    }
    if (kept.length === 0) return null;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, kept.length);
    for (const k of kept) {
      encoding.writeVarUint(encoder, k.id);
      encoding.writeVarUint(encoder, k.clock);
      encoding.writeVarString(encoder, k.state);
    }
    return encoding.toUint8Array(encoder);
  }

  accept(ws: WebSocket, readonly: boolean, memberId: string, name: string): void {
    this.conns.set(ws, {
      readonly,
      awarenessIds: new Set(),
      alive: true,
      memberId,
      name,
      awarenessRate: new TokenBucket(limits.minutesAwarenessBurst, limits.minutesAwarenessPerSecond),
    });
    this.authorOf.set(ws, memberId);
    // Sync step 1: our state vector; the client answers with what we lack and asks for the rest.
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, this.ydoc);
    send(ws, encoding.toUint8Array(encoder));
    const states = this.awareness.getStates();
    if (states.size > 0) {
      const aw = encoding.createEncoder();
      encoding.writeVarUint(aw, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(aw, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()]));
      send(ws, encoding.toUint8Array(aw));
    }
  }

  /**
   * Handles one frame from a client. Throws a `Refusal` for an update it may not apply (too
   * large, document full) and any other error on a malformed frame; the caller closes the socket.
   */
  receive(ws: WebSocket, data: Uint8Array): void {
    const conn = this.conns.get(ws);
    if (!conn) return;
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC: {
        const sub = decoding.readVarUint(decoder);
        if (sub === syncProtocol.messageYjsSyncStep1) {
          const encoder = encoding.createEncoder();
          encoding.writeVarUint(encoder, MESSAGE_SYNC);
          syncProtocol.readSyncStep1(decoder, encoder, this.ydoc);
          send(ws, encoding.toUint8Array(encoder));
          return;
        }
        if (sub !== syncProtocol.messageYjsSyncStep2 && sub !== syncProtocol.messageYjsUpdate) {
          throw new Error(`unknown sync message ${sub}`);
        }
        const update = decoding.readVarUint8Array(decoder);
        // Readers may ask for the document (step 1) but their changes are never applied.
        if (conn.readonly) return;
        if (update.byteLength > limits.maxMinutesUpdateBytes) {
          throw new Refusal(MinutesCloseCode.updateTooLarge, 'minutes update too large');
        }
        // Refused before it is applied: the document (and what is stored) stays as it was.
        if (!this.admits(update, limits.maxMinutesDocumentBytes)) {
          throw new Refusal(MinutesCloseCode.documentFull, 'minutes document full');
        }
        Y.applyUpdate(this.ydoc, update, ws);
        return;
      }
      case MESSAGE_AWARENESS: {
        const own = this.ownAwareness(ws, conn, decoding.readVarUint8Array(decoder));
        // Dropped, not refused: awareness is a latest state, and the client sends it again.
        if (own && conn.awarenessRate.take()) awarenessProtocol.applyAwarenessUpdate(this.awareness, own, ws);
        return;
      }
      case MESSAGE_QUERY_AWARENESS: {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
        encoding.writeVarUint8Array(
          encoder,
          awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()]),
        );
        send(ws, encoding.toUint8Array(encoder));
        return;
      }
      default:
        throw new Error(`unknown minutes message type ${type}`);
    }
  }

  drop(ws: WebSocket): void {
    const conn = this.conns.get(ws);
    if (!conn) return;
    this.conns.delete(ws);
    this.authorOf.delete(ws);
    for (const id of conn.awarenessIds) if (this.awarenessOwner.get(id) === ws) this.awarenessOwner.delete(id);
    if (conn.awarenessIds.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessIds], null);
    }
    // A writer who leaves cannot send their last updates again after a crash: write them now
    // rather than at the next write tick.
    if (!conn.readonly && this.waiting) void this.flush();
  }

  destroy(): void {
    this.waiting = null;
    this.awareness.destroy();
    this.ydoc.destroy();
  }
}

/** The origin of a change the server makes itself (room events), crediting `by`. */
interface ServerOrigin {
  by: string;
}
const isServerOrigin = (o: unknown): o is ServerOrigin =>
  typeof o === 'object' && o !== null && 'by' in o && typeof o.by === 'string';

/**
 * Sockets written to in this turn of the event loop, held corked until the turn's I/O callbacks
 * are done: an editor's update and caret change (and other editors' frames read in the same
 * turn) leave in one system call per recipient instead of one per frame.
 */
const corked = new Set<Duplex>();

function uncorkAll(): void {
  for (const socket of corked) socket.uncork();
  corked.clear();
}

/** The TCP socket under a `ws` connection (`ws` keeps it in `_socket`), if there is one. */
function socketOf(ws: WebSocket): Duplex | null {
  const raw: unknown = Reflect.get(ws, '_socket');
  return raw instanceof Duplex ? raw : null;
}

function send(ws: WebSocket, frame: Uint8Array): void {
  if (ws.readyState !== ws.OPEN) return;
  const socket = socketOf(ws);
  if (socket && !corked.has(socket)) {
    if (corked.size === 0) setImmediate(uncorkAll);
    socket.cork();
    corked.add(socket);
  }
  // A failed write surfaces as the socket's error and close, which drop the connection.
  ws.send(frame);
}

export interface MinutesServer {
  /** Takes over an upgraded socket for one document. */
  /** Takes over an upgraded socket for one document; `name` is shown as the person's (default: the id). */
  accept(ws: WebSocket, docName: string, opts: { readonly: boolean; memberId: string; name?: string }): void;
  /** Closes every connection of one member (sign-out). */
  disconnectMember(memberId: string): void;
  /**
   * Closes one member's connections to one document, with `code` (removal from the session).
   * Local: a document is served by its room's owner, where the room's removal runs.
   */
  closeMemberIn(docName: string, memberId: string, code: number, reason: string): void;
  /** Compacts and releases every open document, waiting for its writes. */
  close(): Promise<void>;
  openDocuments(): number;
  /** Documents held in memory: the open ones and those not yet released after unloading or failing. */
  residentDocuments(): number;
  /** Calls `fn` with the document's name each time a copy is released from memory; returns an unsubscribe. */
  onReleased(fn: (docName: string) => void): () => void;
  /** The document as it is now: the live copy if open, else the stored state; null if never written. */
  currentState(docName: string): Promise<Uint8Array | null>;
  /**
   * Changes a document on the server, as one Yjs transaction credited to `by`; it is stored and
   * broadcast like any editor's change. The document is loaded for it if needed.
   */
  change(docName: string, by: string, fn: (doc: Y.Doc) => void): Promise<void>;
  /** Closes every connection of a document (code 4001) so clients reconnect with new permissions. */
  reconnectAll(docName: string): void;
  /**
   * Lets go of a document whose room another node now owns: its connections close (code 4001:
   * they reconnect, and are passed through to the owner), what its write queue holds is
   * written, and the copy leaves memory without a snapshot (see `LiveDoc.handOver`).
   */
  relinquish(docName: string): void;
  /** Edits per author (the room's under its own id): stored counts plus those not yet stored. */
  authorship(docName: string): Promise<Array<{ memberId: string; edits: number; first: Date; last: Date }>>;
}

/**
 * The y-websocket protocol (sync + awareness from y-protocols) over `ws`, persisted through the
 * minutes store. Each document loads once; frames arriving during the load wait for it.
 */
export function createMinutesServer(deps: { store: MinutesStore; logger: Logger }): MinutesServer {
  const { store, logger } = deps;
  const docs = new Map<string, Promise<LiveDoc>>();
  const members = new Map<WebSocket, { memberId: string; docName: string }>();

  /**
   * Each person's frame and byte buckets, shared by all their minutes sockets here (several tabs
   * or devices together get `minutesMember*`); kept while they have a socket open.
   */
  const people = new Map<string, { frames: TokenBucket; bytes: TokenBucket; sockets: number }>();
  const personOf = (memberId: string) => {
    let p = people.get(memberId);
    if (!p) {
      p = {
        frames: new TokenBucket(limits.minutesMemberFramesBurst, limits.minutesMemberFramesPerSecond),
        bytes: new TokenBucket(limits.minutesMemberBytesBurst, limits.minutesMemberBytesPerSecond),
        sockets: 0,
      };
      people.set(memberId, p);
    }
    p.sockets += 1;
    return p;
  };

  /**
   * Records waiting to be written, released together every `persistDelayMs`: the store sends the
   * records released in one turn as one insert, so the database sees a few writes a second for
   * all open documents together.
   */
  let due: Array<() => void> = [];
  const releaseDue = () => {
    const now = due;
    due = [];
    for (const release of now) release();
  };
  const atWriteTick = (release: () => void) => {
    if (due.length === 0) setTimeout(releaseDue, persistDelayMs);
    due.push(release);
  };

  /** Documents leaving memory (out of `docs`) whose last writes `close` still waits for. */
  const unloading = new Set<Promise<void>>();

  /** Every copy in memory, current or on its way out. */
  const resident = new Set<LiveDoc>();
  const releasedListeners = new Set<(docName: string) => void>();
  const release = (doc: LiveDoc) => {
    if (!resident.delete(doc)) return;
    if (doc.unloadTimer) clearTimeout(doc.unloadTimer);
    doc.unloadTimer = null;
    doc.destroy();
    for (const fn of releasedListeners) fn(doc.name);
  };

  /** Takes `doc` out of the map; from then on a new copy may be loaded under its name. */
  const retire = (doc: LiveDoc): boolean => {
    if (!doc.current) return false;
    doc.current = false;
    docs.delete(doc.name);
    return true;
  };

  const unload = async (doc: LiveDoc) => {
    if (!retire(doc)) return;
    const done = (async () => {
      if (!doc.failed) await doc.compact();
      await doc.flush();
      release(doc);
    })();
    unloading.add(done);
    try {
      await done;
    } finally {
      unloading.delete(done);
    }
  };

  /** Compacts and frees a document nobody has open, after a grace period for quick returns. */
  const scheduleUnload = (doc: LiveDoc) => {
    if (!doc.current) {
      // A failed copy has nothing left to write: it goes once its last editor has gone. (One
      // being unloaded is released by `unload` itself.)
      if (doc.failed && doc.conns.size === 0) release(doc);
      return;
    }
    doc.unloadTimer = setTimeout(() => {
      doc.unloadTimer = null;
      if (doc.conns.size === 0) void unload(doc);
    }, limits.minutesUnloadDelayMs);
  };

  const onFailure = (doc: LiveDoc) => {
    // Failing while unloading: `unload` releases it.
    if (!retire(doc)) return;
    for (const ws of doc.conns.keys()) ws.close(MinutesCloseCode.storageFailed, 'minutes storage failed');
    // Closed connections leave through their 'close' events (scheduleUnload); if none is left, now.
    if (doc.conns.size === 0) release(doc);
  };

  const getDoc = (name: string): Promise<LiveDoc> => {
    let p = docs.get(name);
    if (!p) {
      p = store.load(name).then((loaded) => {
        const doc = new LiveDoc(
          name,
          loaded.parts,
          loaded.lastSeq,
          loaded.pending,
          store,
          logger,
          onFailure,
          atWriteTick,
        );
        resident.add(doc);
        return doc;
      });
      docs.set(name, p);
      p.catch((err: unknown) => {
        logger.error({ err, doc: name }, 'minutes load failed');
        docs.delete(name);
      });
    }
    return p;
  };

  const heartbeat = setInterval(() => {
    for (const docP of docs.values()) {
      void docP.then(
        (doc) => {
          for (const [ws, conn] of doc.conns) {
            if (!conn.alive) {
              ws.terminate();
              continue;
            }
            conn.alive = false;
            ws.ping();
          }
        },
        () => undefined,
      );
    }
  }, 30_000);
  heartbeat.unref();

  return {
    accept(ws, docName, opts) {
      members.set(ws, { memberId: opts.memberId, docName });
      ws.binaryType = 'nodebuffer';
      const docP = getDoc(docName);
      /** The document once loaded (null if it could not be); frames before that wait in `early`. */
      let live: LiveDoc | null | undefined;
      const early: Uint8Array[] = [];
      const handle = (doc: LiveDoc, frame: Uint8Array) => {
        // Frames already read after a close (a refusal, a flood) are not applied.
        if (ws.readyState !== ws.OPEN) return;
        try {
          doc.receive(ws, frame);
        } catch (err) {
          if (err instanceof Refusal) {
            logger.warn({ doc: docName, memberId: opts.memberId, reason: err.reason }, 'minutes update refused');
            ws.close(err.code, err.reason);
            return;
          }
          logger.warn({ err, doc: docName }, 'bad minutes frame');
          ws.close(MinutesCloseCode.badMessage, 'bad message');
        }
      };
      // Rate limits per connection and per person, in frames and bytes (a frame costs at most a
      // whole bucket: `ws` caps frames at `maxMinutesFrameBytes`, the byte buckets' burst).
      const frames = new TokenBucket(limits.minutesFramesBurst, limits.minutesFramesPerSecond);
      const bytes = new TokenBucket(limits.minutesBytesBurst, limits.minutesBytesPerSecond);
      const awarenessFrames = new TokenBucket(
        limits.minutesAwarenessFramesBurst,
        limits.minutesAwarenessFramesPerSecond,
      );
      const person = personOf(opts.memberId);
      /** Bytes always count; frames only when `countFrame` (not for awareness, see below). */
      const withinRate = (size: number, countFrame: boolean): boolean => {
        const now = Date.now();
        return (
          (!countFrame || (frames.take(1, now) && person.frames.take(1, now))) &&
          bytes.take(Math.min(size, limits.minutesBytesBurst), now) &&
          person.bytes.take(Math.min(size, limits.minutesMemberBytesBurst), now)
        );
      };
      const loaded: Promise<LiveDoc | null> = docP.then(
        (doc) => {
          if (doc.failed) {
            // It failed while this socket waited for it: reconnecting loads a fresh copy.
            ws.close(MinutesCloseCode.storageFailed, 'minutes storage failed');
            live = null;
            return null;
          }
          if (ws.readyState === ws.OPEN) {
            if (doc.unloadTimer) clearTimeout(doc.unloadTimer);
            doc.unloadTimer = null;
            doc.accept(ws, opts.readonly, opts.memberId, opts.name ?? opts.memberId);
            // In arrival order, before any later frame (those are handled directly from now on).
            for (const frame of early.splice(0)) handle(doc, frame);
          }
          live = doc;
          return doc;
        },
        () => {
          ws.close(MinutesCloseCode.storageFailed, 'minutes could not be loaded');
          live = null;
          return null;
        },
      );
      ws.on('message', (data: Buffer) => {
        if (ws.readyState !== ws.OPEN) return;
        // Awareness frames (type 1, one byte) have their own, larger allowance and past it are
        // dropped: a provider echoes every change it hears, and closing it for that would loop.
        const awareness = data[0] === MESSAGE_AWARENESS;
        if (awareness && !awarenessFrames.take()) return;
        if (!withinRate(data.byteLength, !awareness)) {
          // Closing loses nothing: the provider reconnects and sends what the server lacks at once.
          logger.warn({ doc: docName, memberId: opts.memberId }, 'minutes socket over its rate limit');
          ws.close(MinutesCloseCode.rateLimited, 'too many minutes messages');
          return;
        }
        // Handled in the same tick once the document is loaded: no promise per frame.
        const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
        if (live === undefined) early.push(frame);
        else if (live) handle(live, frame);
      });
      ws.on('pong', () => {
        const c = live?.conns.get(ws);
        if (c) c.alive = true;
      });
      ws.on('error', (err) => logger.warn({ err, doc: docName }, 'minutes socket error'));
      ws.on('close', () => {
        members.delete(ws);
        person.sockets -= 1;
        if (person.sockets === 0) people.delete(opts.memberId);
        early.length = 0;
        void loaded.then((doc) => {
          if (!doc) return;
          doc.drop(ws);
          if (doc.conns.size === 0 && !doc.unloadTimer) scheduleUnload(doc);
        });
      });
    },

    disconnectMember(memberId) {
      for (const [ws, m] of members) if (m.memberId === memberId) ws.close(MinutesCloseCode.signedOut, 'signed out');
    },

    closeMemberIn(docName, memberId, code, reason) {
      for (const [ws, m] of members) if (m.memberId === memberId && m.docName === docName) ws.close(code, reason);
    },

    async close() {
      clearInterval(heartbeat);
      const all = await Promise.allSettled(docs.values());
      logger.info({ documents: all.length }, 'storing the open minutes before closing their sockets');
      // All documents at once: one after another, a slow database would let the stop deadline
      // (main.ts) end the process before the later ones are stored.
      const closed = all.map(async (r) => {
        if (r.status !== 'fulfilled') return;
        const doc = r.value;
        if (doc.unloadTimer) clearTimeout(doc.unloadTimer);
        // The going-away close promises that everything applied is stored: nothing is applied
        // after this point (the client keeps any later edit and sends it to the next server).
        const editors = [...doc.conns];
        for (const [, conn] of editors) conn.readonly = true;
        await unload(doc);
        // A write that failed meanwhile is not stored: those editors hear that instead.
        const [code, reason] = doc.failed
          ? [MinutesCloseCode.storageFailed, 'minutes storage failed']
          : [MinutesCloseCode.shuttingDown, 'server shutting down'];
        for (const [ws] of editors) ws.close(code, reason);
      });
      await Promise.allSettled(closed);
      await Promise.allSettled([...unloading]);
      // Failed copies whose editors have not finished closing yet.
      for (const doc of [...resident]) {
        for (const ws of doc.conns.keys()) ws.close(MinutesCloseCode.shuttingDown, 'server shutting down');
        release(doc);
      }
    },

    openDocuments: () => docs.size,

    residentDocuments: () => resident.size,

    onReleased(fn) {
      releasedListeners.add(fn);
      return () => releasedListeners.delete(fn);
    },

    async currentState(docName) {
      const open = docs.get(docName);
      if (open) return Y.encodeStateAsUpdate((await open).ydoc);
      return (await store.load(docName)).state;
    },

    async change(docName, by, fn) {
      const doc = await getDoc(docName);
      if (doc.roomEventsFit()) doc.ydoc.transact(() => fn(doc.ydoc), { by } satisfies ServerOrigin);
      // The room keeps its own record of the event; the minutes stay storable.
      else logger.warn({ doc: docName, by }, 'minutes document full: room event left out');
      await doc.flush();
      if (doc.conns.size === 0 && !doc.unloadTimer) scheduleUnload(doc);
    },

    reconnectAll(docName) {
      const open = docs.get(docName);
      void open?.then(
        (doc) => {
          // Read-only at once, so an edit already on its way cannot land after the change.
          for (const [ws, conn] of doc.conns) {
            conn.readonly = true;
            ws.close(MinutesCloseCode.permissionsChanged, 'permissions changed');
          }
        },
        () => undefined,
      );
    },

    relinquish(docName) {
      void docs.get(docName)?.then(
        (doc) => {
          if (!retire(doc)) return;
          // Read-only at once: nothing more is applied to this copy while its connections close.
          for (const [ws, conn] of doc.conns) {
            conn.readonly = true;
            ws.close(MinutesCloseCode.permissionsChanged, 'served by another server');
          }
          const done = doc.handOver().then(() => release(doc));
          unloading.add(done);
          void done.finally(() => unloading.delete(done));
        },
        () => undefined,
      );
    },

    async authorship(docName) {
      const stored = await store.authors(docName);
      const open = docs.get(docName);
      const pending = open ? (await open).authors : new Map<string, EditTally>();
      const byId = new Map(stored.map((a) => [a.memberId, { ...a }]));
      for (const [memberId, p] of pending) {
        const a = byId.get(memberId);
        const last = new Date(p.last);
        byId.set(
          memberId,
          a
            ? { memberId, edits: a.edits + p.edits, first: a.first, last }
            : { memberId, edits: p.edits, first: new Date(p.first), last },
        );
      }
      return [...byId.values()];
    },
  };
}
