import { yearOf } from '@yitang/shared';
import type { Connection } from 'mongoose';
import { type Models, rawCollection } from '../db/models';

const STEP = 'duty_entries.year';

/**
 * Gives every duty record written before records carried `year` (see DutyEntryDoc) its year,
 * once per database: a mark in `schema_steps` says it is done, so later starts read no record
 * for it. Each update is guarded by the `date` it was computed from, so a change of date
 * meanwhile (which writes its own year) is not overwritten. Returns how many records it changed.
 */
export async function backfillDutyYears(conn: Connection, models: Pick<Models, 'DutyEntry'>): Promise<number> {
  const steps = conn.collection<{ _id: string; at: Date }>('schema_steps');
  if (await steps.findOne({ _id: STEP })) return 0;
  const entries = rawCollection(models.DutyEntry);
  let changed = 0;
  for await (const d of entries.find({}, { projection: { date: 1, year: 1 } })) {
    if (typeof d.date !== 'string') continue;
    const year = yearOf(d.date);
    if (d.year === year) continue;
    const res = await entries.updateOne({ _id: d._id, date: d.date }, { $set: { year } });
    changed += res.modifiedCount;
  }
  await steps.updateOne({ _id: STEP }, { $set: { at: new Date() } }, { upsert: true });
  return changed;
}
