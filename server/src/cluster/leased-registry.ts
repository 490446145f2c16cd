import type { LiveRoom } from '../rooms/live-room';
import { RoomRegistry } from '../rooms/room.registry';
import type { Cluster } from './cluster';

/**
 * The room registry of a node in a cluster: a room is loaded here only while this node holds
 * its lease, so no two processes keep (and write through) the same room's state. When another
 * node takes a lease from this one, the room's copy here is disposed of; if this node takes the
 * lease again later, the room is loaded afresh from the database.
 */
export class LeasedRoomRegistry extends RoomRegistry {
  constructor(
    deps: ConstructorParameters<typeof RoomRegistry>[0],
    private readonly cluster: Cluster,
  ) {
    super(deps);
    cluster.onLeaseLost((sessionId) => this.dispose(sessionId));
  }

  override async get(sessionId: string): Promise<LiveRoom | null> {
    await this.cluster.claim(sessionId);
    const room = await super.get(sessionId);
    // No such session: give the lease back rather than renew it for ever.
    if (!room) await this.cluster.release(sessionId);
    return room;
  }
}
