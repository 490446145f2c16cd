import type { ServerToClientEvents } from '@yitang/shared';
import WebSocket from 'ws';
import type { YitangServer } from '../socket/types';

type EventName = keyof ServerToClientEvents;

/**
 * Sockets per slice, and how long one turn of the event loop may spend sending slices before it
 * lets other work in: an ack, a database reply or an incoming cast waits at most about that long
 * behind a broadcast (docs/performance.md). The budget is time, not a count of slices: when turns
 * are slow (a loaded machine, a profiler), a fixed number of slices per turn made a frame to
 * thousands take so many turns that the next frames queued up behind it.
 */
export const broadcastSlice = 64;
export const broadcastTurnMs = 4;
type Payload<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

/** Emits one event. The event map pairs each name with its payload; Socket.IO's variadic emit cannot see that. */
function emitTo<E extends EventName>(
  op: { emit: (event: E, ...args: Parameters<ServerToClientEvents[E]>) => boolean },
  event: E,
  payload: Payload<E>,
): void {
  op.emit(event, ...([payload] as Parameters<ServerToClientEvents[E]>));
}

/** Socket.IO's EVENT packet type (socket.io-parser's `PacketType.EVENT`). */
const eventPacket = 2;

type FrameFn = (
  data: Buffer,
  opts: { readOnly: boolean; mask: boolean; rsv1: boolean; opcode: number; fin: boolean },
) => Buffer[];
/** ws's own frame builder, as socket.io-adapter uses it to build a broadcast's WebSocket frame once. */
const wsFrame = (WebSocket as unknown as { Sender?: { frame?: FrameFn } }).Sender?.frame;

/** One broadcast packet, encoded once, as Socket.IO's adapter writes it to each socket. */
interface Encoded {
  packets: unknown[];
  opts: { preEncoded: true; wsPreEncodedFrame?: Buffer[] };
}

/**
 * Encodes an event once for any number of sockets: the Socket.IO packet by the server's own
 * encoder and, for a text packet, the WebSocket frame around it (engine.io writes that frame as
 * it is to every WebSocket client, and encodes it again for any other transport). This is what
 * the adapter does for one `io.to(room).emit`; doing it here lets a frame sent in slices be
 * encoded once, not once a slice, and written to each socket without the adapter's room walk.
 */
function encode(io: YitangServer, event: string, payload: unknown): Encoded {
  const packets = io.encoder.encode({ type: eventPacket, data: [event, payload], nsp: '/' }) as unknown[];
  const [only] = packets;
  const opts: Encoded['opts'] = { preEncoded: true };
  if (wsFrame && packets.length === 1 && typeof only === 'string') {
    // "4": the Engine.IO message packet the Socket.IO packet travels in.
    opts.wsPreEncodedFrame = wsFrame(Buffer.from(`4${only}`), {
      readOnly: false,
      mask: false,
      rsv1: false,
      opcode: 1,
      fin: true,
    });
  }
  return { packets, opts };
}

interface Pending {
  send: (to: string[]) => void;
  targets: string[];
  next: number;
  /** Told once this broadcast has gone out to its last socket (or was dropped by `close`). */
  done?: Array<() => void>;
}

/**
 * Sends one room's broadcasts in the order they were made, a slice of sockets at a time.
 *
 * One frame to every socket of a room of 2,000 takes tens of milliseconds of one event loop.
 * Sent in one go, every ack, ballot write reply and incoming event waits behind it; sent in
 * slices with a turn of the event loop between them, they wait for one slice at most. Frames keep
 * their order for every socket: a broadcast made while another is still going out waits for it,
 * and so does a small room's broadcast that would otherwise go out at once.
 *
 * The slices go to this node's sockets only (`io.local`): every socket of a live room is on the
 * room's owner (docs/scale-out.md). A room no larger than one slice is sent as before, through the
 * adapter, so it also reaches any socket elsewhere.
 */
export class RoomBroadcast {
  private readonly queue: Pending[] = [];
  private pumping = false;
  private drained: Array<() => void> = [];
  private closed = false;
  /** Told the name of each event the room sends (hall screens follow the room by it). */
  private readonly watchers = new Set<(event: EventName) => void>();

  /** `turnMs`: time one turn may spend on slices (at least one slice goes out per turn). */
  constructor(
    private readonly io: YitangServer,
    private readonly channel: string,
    private readonly sliceSize: number,
    private readonly turnMs: number = broadcastTurnMs,
  ) {}

  /** Calls `fn` with the name of each event sent from now on; returns what stops it. */
  watch(fn: (event: EventName) => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  private told(event: EventName): void {
    for (const fn of this.watchers) fn(event);
  }

  emit<E extends EventName>(event: E, payload: Payload<E>): void {
    if (this.closed) return;
    this.told(event);
    const here = this.io.of('/').adapter.rooms.get(this.channel);
    if (!this.pumping && (here?.size ?? 0) <= this.sliceSize) {
      emitTo(this.io.to(this.channel), event, payload);
      return;
    }
    let encoded: Encoded | null = null;
    this.enqueue(here, (to) => {
      encoded ??= encode(this.io, event, payload);
      this.write(to, encoded);
    });
  }

  /**
   * Sends each socket of the room the payload `payloadFor` gives for its member, in one queue
   * entry, so it keeps its place among the room's other broadcasts. Sockets whose member gets the
   * same payload object are sent it encoded once, however many slices it goes out in.
   * `payloadFor` is called as the slices go out; it must answer from what was decided when this
   * was called. Only this node's sockets are reached, as with a sliced broadcast.
   */
  emitEach<E extends EventName>(event: E, payloadFor: (memberId: string | null) => Payload<E>): void {
    if (this.closed) return;
    this.told(event);
    const here = this.io.of('/').adapter.rooms.get(this.channel);
    const sockets = this.io.of('/').sockets;
    const encodings = new Map<Payload<E>, Encoded>();
    const send = (to: string[]) => {
      const groups = new Map<Payload<E>, string[]>();
      for (const id of to) {
        const payload = payloadFor(sockets.get(id)?.data.memberId ?? null);
        const group = groups.get(payload);
        if (group) group.push(id);
        else groups.set(payload, [id]);
      }
      for (const [payload, ids] of groups) {
        let encoded = encodings.get(payload);
        if (!encoded) {
          encoded = encode(this.io, event, payload);
          encodings.set(payload, encoded);
        }
        this.write(ids, encoded);
      }
    };
    if (!this.pumping && (here?.size ?? 0) <= this.sliceSize) {
      if (here) send([...here]);
      return;
    }
    this.enqueue(here, send);
  }

  /** Writes an encoded packet to each of these sockets of this node, as the adapter would. */
  private write(to: string[], encoded: Encoded): void {
    const sockets = this.io.of('/').sockets;
    for (const id of to) sockets.get(id)?.client._packet(encoded.packets as never, encoded.opts);
  }

  private enqueue(here: Set<string> | undefined, send: (to: string[]) => void): void {
    this.queue.push({ send, targets: here ? [...here] : [], next: 0 });
    if (!this.pumping) {
      this.pumping = true;
      this.pump();
    }
  }

  /**
   * Drops the broadcasts not yet fully sent and every later one: the room is gone from this
   * process (its copy here may still be finishing work, which must reach nobody).
   */
  close(): void {
    this.closed = true;
    for (const p of this.queue.splice(0)) for (const resolve of p.done ?? []) resolve();
  }

  /** Broadcasts not yet fully sent. */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * While broadcasts are going out, a promise of when those made so far have (later ones are not
   * waited for); null when none is.
   */
  flushed(): Promise<void> | null {
    const last = this.queue.at(-1);
    if (!last) return null;
    return new Promise((resolve) => {
      last.done ??= [];
      last.done.push(resolve);
    });
  }

  /** Resolves once every broadcast made so far has gone out. */
  idle(): Promise<void> {
    if (!this.pumping) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  private pump(): void {
    const until = performance.now() + this.turnMs;
    do {
      const head = this.queue[0];
      if (!head) {
        this.pumping = false;
        for (const resolve of this.drained.splice(0)) resolve();
        return;
      }
      const slice = head.targets.slice(head.next, head.next + this.sliceSize);
      head.next += slice.length;
      // Someone who has left the room since the broadcast was made no longer gets it.
      const here = this.io.of('/').adapter.rooms.get(this.channel);
      const to = here ? slice.filter((id) => here.has(id)) : [];
      if (to.length > 0) head.send(to);
      if (head.next >= head.targets.length) {
        this.queue.shift();
        for (const resolve of head.done ?? []) resolve();
      }
    } while (performance.now() < until);
    setImmediate(() => this.pump());
  }
}
