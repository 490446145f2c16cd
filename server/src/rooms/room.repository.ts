import type { SessionView } from '@yitang/shared';
import { type Models, trusted } from '../db/models';
import type { SessionDoc } from './room.model';

export function createRoomRepository(models: Models) {
  const { Session, Room } = models;
  return {
    getSession(id: string): Promise<SessionDoc | null> {
      return Session.findById(id).lean();
    },

    listSessions(): Promise<SessionDoc[]> {
      return Session.find({}).sort({ scheduledAt: 1 }).lean();
    },

    async roomNames(ids: string[]): Promise<Map<string, string>> {
      const rooms = await Room.find({ _id: trusted({ $in: ids }) }, { name: 1 }).lean();
      return new Map(rooms.map((r) => [r._id, r.name]));
    },

    async setCurrentItem(sessionId: string, itemId: string): Promise<void> {
      await Session.updateOne({ _id: sessionId, 'agenda.id': itemId }, { $set: { currentItemId: itemId } });
    },
  };
}

export type RoomRepository = ReturnType<typeof createRoomRepository>;

export function presentSession(s: SessionDoc, roomName: string): SessionView {
  return {
    id: s._id,
    topic: s.topic,
    roomName,
    scheduledAt: s.scheduledAt.toISOString(),
    mode: s.mode,
    state: s.state,
    firstConvenerId: s.firstConvenerId,
    secondConvenerId: s.secondConvenerId ?? null,
    agenda: s.agenda.map((a) => ({ id: a.id, title: a.title, plannedMinutes: a.plannedMinutes })),
    currentItemId: s.currentItemId ?? null,
  };
}
