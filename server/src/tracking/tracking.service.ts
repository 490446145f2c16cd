import {
  isOverdue,
  type MemberView,
  mayTakeTrackingAction,
  type TrackingAction,
  type TrackingActor,
  type TrackingItemView,
  trackingTransition,
} from '@yitang/shared';
import { type Models, rawCollection } from '../db/models';
import { AppError, isDuplicateKey } from '../errors';
import { Serial } from '../lib/serial';
import type { RoomRepository } from '../rooms/room.repository';
import { type TrackingItemDoc, trackingKey } from './tracking.model';

/** Today's date (YYYY-MM-DD) in the committee's time zone, for deadlines. */
export function todayInChina(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);
}

export function presentTracking(doc: TrackingItemDoc, today: string): TrackingItemView {
  return {
    id: doc._id,
    outcomeId: doc.outcomeId,
    sessionId: doc.sessionId,
    topic: doc.topic,
    text: doc.text,
    department: doc.department ?? '',
    deadline: doc.deadline ?? null,
    status: doc.status,
    overdue: isOverdue({ status: doc.status, deadline: doc.deadline ?? null }, today),
    history: (doc.history ?? []).map((h) => ({ ...h, at: new Date(h.at).toISOString(), note: h.note ?? null })),
  };
}

/**
 * Tracking items (督办): one per recorded outcome, created when the session closes, moved through
 * the shared status machine by the department, the conveners and staff. Each move is one guarded
 * single-document update, run one at a time per item (FerretDB 1.x does not make a guarded
 * update atomic; see docs/architecture.md).
 */
export function createTrackingService(deps: { models: Models; rooms: RoomRepository }) {
  const { TrackingItem, Outcome } = deps.models;
  const items = rawCollection(TrackingItem);
  const serials = new Map<string, Serial>();
  const serialFor = (id: string) => {
    let s = serials.get(id);
    if (!s) {
      s = new Serial();
      serials.set(id, s);
    }
    return s;
  };

  /** Who the caller is for an item: its department (an official), a convener of its session, or staff. */
  async function actorsOf(doc: TrackingItemDoc, member: MemberView): Promise<TrackingActor[]> {
    const session = await deps.rooms.getSession(doc.sessionId);
    const roles: TrackingActor[] = [];
    if (member.kind === 'staff') roles.push('staff');
    if (session && (member.id === session.firstConvenerId || member.id === session.secondConvenerId)) {
      roles.push('convener');
    }
    // The second convener heads the department that owns the problem; officials report for it.
    if (member.kind === 'official' || member.id === session?.secondConvenerId) roles.push('department');
    return roles;
  }

  return {
    /** Creates the items of a closed session's recorded outcomes (idempotent by key). */
    async createFromSession(sessionId: string, by: MemberView | { id: string; name: string }): Promise<number> {
      const session = await deps.rooms.getSession(sessionId);
      if (!session) return 0;
      const outcomes = await Outcome.find({ sessionId, status: 'recorded' }).lean();
      let created = 0;
      for (const o of outcomes) {
        const now = new Date();
        try {
          await items.insertOne({
            _id: trackingKey(o._id),
            outcomeId: o._id,
            sessionId,
            topic: session.topic,
            text: o.text,
            department: o.department ?? '',
            deadline: o.deadline ?? null,
            status: 'assigned',
            history: [{ at: now, by: by.id, byName: by.name, action: 'create', status: 'assigned', note: null }],
            createdAt: now,
            updatedAt: now,
          });
          created += 1;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
      }
      return created;
    },

    async list(
      filter: { sessionId?: string; department?: string },
      today = todayInChina(),
    ): Promise<TrackingItemView[]> {
      const query: Record<string, string> = {};
      if (filter.sessionId) query.sessionId = filter.sessionId;
      if (filter.department) query.department = filter.department;
      const docs = await TrackingItem.find(query).sort({ createdAt: 1 }).lean();
      return docs.map((d) => presentTracking(d, today));
    },

    async get(id: string): Promise<TrackingItemView> {
      const doc = await TrackingItem.findById(id).lean();
      if (!doc) throw new AppError('NOT_FOUND', 'No such tracking item.');
      return presentTracking(doc, todayInChina());
    },

    /** Takes one step; an illegal one is refused with ILLEGAL_TRANSITION, a wrong actor with FORBIDDEN. */
    act(id: string, action: TrackingAction, member: MemberView, note?: string): Promise<TrackingItemView> {
      return serialFor(id).run(async () => {
        const doc = await TrackingItem.findById(id).lean();
        if (!doc) throw new AppError('NOT_FOUND', 'No such tracking item.');
        const actors = await actorsOf(doc, member);
        if (!actors.some((a) => mayTakeTrackingAction(a, action.type))) {
          throw new AppError('FORBIDDEN', `Your part in this item may not ${action.type} it.`);
        }
        const next = trackingTransition(doc.status, action);
        if (!next.ok) {
          throw new AppError('ILLEGAL_TRANSITION', `A tracking item that is ${doc.status} cannot ${action.type}.`);
        }
        const now = new Date();
        const event = {
          at: now,
          by: member.id,
          byName: member.name,
          action: action.type,
          status: next.status,
          note: action.type === 'return' ? action.reason : (note ?? null),
        };
        const res = await TrackingItem.updateOne(
          { _id: id, status: doc.status },
          { $set: { status: next.status, updatedAt: now }, $push: { history: event } },
        );
        if (res.matchedCount !== 1) throw new AppError('ILLEGAL_TRANSITION', 'The item changed meanwhile.');
        return presentTracking({ ...doc, status: next.status, history: [...doc.history, event] }, todayInChina());
      });
    },
  };
}

export type TrackingService = ReturnType<typeof createTrackingService>;
