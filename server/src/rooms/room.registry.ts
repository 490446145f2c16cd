import { LiveRoom } from './live-room';

/** Loads each live room once per process and hands out the same instance to every socket. */
export class RoomRegistry {
  private readonly rooms = new Map<string, Promise<LiveRoom | null>>();

  constructor(private readonly deps: Parameters<typeof LiveRoom.load>[1]) {}

  get(sessionId: string): Promise<LiveRoom | null> {
    let room = this.rooms.get(sessionId);
    if (!room) {
      room = LiveRoom.load(sessionId, this.deps);
      this.rooms.set(sessionId, room);
      // A failed or empty load is not cached: the next join tries again.
      room.then(
        (r) => {
          if (!r) this.rooms.delete(sessionId);
        },
        () => this.rooms.delete(sessionId),
      );
    }
    return room;
  }

  async disposeAll(): Promise<void> {
    const rooms = await Promise.allSettled(this.rooms.values());
    for (const r of rooms) if (r.status === 'fulfilled') r.value?.dispose();
    this.rooms.clear();
  }
}
