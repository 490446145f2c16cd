import type { Model } from 'mongoose';

/** A record a committee keeps in an order staff choose: a sector, a working group, a district. */
export interface OrderedDoc {
  _id: string;
  committeeId: string;
  name: string;
  order: number;
}

/**
 * The reads and writes of one collection of ordered records, for the module that owns it to hand
 * out: members/ its sectors, org/ its working groups and districts. The org console edits all
 * three with the same code through these functions, never through another module's model.
 */
export function createOrderedRecords<T extends OrderedDoc>(model: Model<T>) {
  const m = model as unknown as Model<OrderedDoc>;
  return {
    /** The committee's records in their order. */
    list(committeeId: string): Promise<OrderedDoc[]> {
      return m.find({ committeeId }).sort({ order: 1, _id: 1 }).lean<OrderedDoc[]>();
    },
    /** The id of the committee's record of this name, if any. */
    async idNamed(committeeId: string, name: string): Promise<string | null> {
      return (await m.findOne({ committeeId, name }, { _id: 1 }).lean())?._id ?? null;
    },
    /** The highest order in use in the committee, or null when it has none. */
    async lastOrder(committeeId: string): Promise<number | null> {
      return (await m.findOne({ committeeId }, { order: 1 }).sort({ order: -1 }).lean())?.order ?? null;
    },
    /** One of the committee's records, or null. */
    get(id: string, committeeId: string): Promise<OrderedDoc | null> {
      return m.findOne({ _id: id, committeeId }).lean<OrderedDoc>();
    },
    /** Whether the record exists (in this committee, when one is given). */
    async exists(id: string, committeeId?: string): Promise<boolean> {
      return (await m.exists(committeeId === undefined ? { _id: id } : { _id: id, committeeId })) !== null;
    },
    /** The ids of the committee's records. */
    async ids(committeeId: string): Promise<string[]> {
      return (await m.find({ committeeId }, { _id: 1 }).lean()).map((d) => d._id);
    },
    async create(doc: OrderedDoc & Record<string, unknown>): Promise<void> {
      await m.create(doc);
    },
    async update(id: string, set: Record<string, unknown>): Promise<void> {
      await m.updateOne({ _id: id }, { $set: set });
    },
    /** Puts records in this order, in one write. */
    async setOrder(ids: string[]): Promise<void> {
      await m.bulkWrite(ids.map((id, order) => ({ updateOne: { filter: { _id: id }, update: { $set: { order } } } })));
    },
    async remove(id: string): Promise<void> {
      await m.deleteOne({ _id: id });
    },
  };
}

export type OrderedRecords = ReturnType<typeof createOrderedRecords>;
