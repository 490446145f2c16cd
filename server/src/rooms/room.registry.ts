import { EventEmitter } from 'node:events';
import { LiveRoom } from './live-room';

/**
 * Loads each live room once per process and hands out the same instance to every socket.
 * Emits `disposed` (with the session id) once a room it let go of has been disposed.
 */
export class RoomRegistry extends EventEmitter<{ disposed: [sessionId: string] }> {
  private readonly rooms = new Map<string, Promise<LiveRoom | null>>();
  /** The rooms of `rooms` whose load has finished, to dispose of at once. */
  private readonly loaded = new Map<string, LiveRoom>();

  constructor(private readonly deps: Parameters<typeof LiveRoom.load>[1]) {
    super();
  }

  get(sessionId: string): Promise<LiveRoom | null> {
    let room = this.rooms.get(sessionId);
    if (!room) {
      const loading = LiveRoom.load(sessionId, this.deps);
      room = loading;
      this.rooms.set(sessionId, loading);
      // A failed or empty load is not cached: the next join tries again. (Unless the room was
      // let go of meanwhile and loaded again: that newer load stays.)
      loading.then(
        (r) => {
          if (this.rooms.get(sessionId) !== loading) return;
          if (r) this.loaded.set(sessionId, r);
          else this.rooms.delete(sessionId);
        },
        () => {
          if (this.rooms.get(sessionId) === loading) this.rooms.delete(sessionId);
        },
      );
    }
    return room;
  }

  /** Whether this process holds the room (loaded or loading). */
  has(sessionId: string): boolean {
    return this.rooms.has(sessionId);
  }

  /**
   * Lets go of one room: the next `get` loads it afresh from the database. The copy held so far
   * is disposed (at once if loaded, else when its load finishes), so it writes nothing more.
   */
  dispose(sessionId: string): void {
    const room = this.rooms.get(sessionId);
    if (!room) return;
    this.rooms.delete(sessionId);
    const loaded = this.loaded.get(sessionId);
    this.loaded.delete(sessionId);
    if (loaded) {
      this.disposeRoom(loaded);
      return;
    }
    room.then(
      (r) => r && this.disposeRoom(r),
      () => undefined,
    );
  }

  private disposeRoom(room: LiveRoom): void {
    room.dispose();
    this.emit('disposed', room.id);
  }

  async disposeAll(): Promise<void> {
    const rooms = await Promise.allSettled(this.rooms.values());
    for (const r of rooms) if (r.status === 'fulfilled') r.value?.dispose();
    this.rooms.clear();
    this.loaded.clear();
  }
}
