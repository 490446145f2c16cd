import type { Connection } from 'mongoose';
import { type Models, rawCollection } from '../db/models';
import { sessionYear } from '../rooms/room.model';

const STEP = 'sessions.year';

/**
 * Gives every session written before sessions carried `year` (see SessionDoc) its year, once per
 * database: a mark in `schema_steps` says it is done, so later starts read no session for it.
 * Each update is guarded by the `scheduledAt` it was computed from, so a reschedule meanwhile
 * (which writes its own year) is not overwritten. Returns how many sessions it changed.
 */
export async function backfillSessionYears(conn: Connection, models: Pick<Models, 'Session'>): Promise<number> {
  const steps = conn.collection<{ _id: string; at: Date }>('schema_steps');
  if (await steps.findOne({ _id: STEP })) return 0;
  const sessions = rawCollection(models.Session);
  const docs = await sessions.find({}, { projection: { scheduledAt: 1, year: 1 } }).toArray();
  let changed = 0;
  for (const d of docs) {
    const year = sessionYear(d.scheduledAt);
    if (d.year === year) continue;
    const res = await sessions.updateOne({ _id: d._id, scheduledAt: d.scheduledAt }, { $set: { year } });
    changed += res.modifiedCount;
  }
  await steps.updateOne({ _id: STEP }, { $set: { at: new Date() } }, { upsert: true });
  return changed;
}
