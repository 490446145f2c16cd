import { type Connection, Schema } from 'mongoose';

/** One Yjs update, appended in order. `{doc, seq}` is unique: two writers cannot both claim a seq. */
export interface MinutesUpdateDoc {
  doc: string;
  seq: number;
  update: Buffer;
  at: Date;
}

/** The merged state of every update up to and including `upToSeq`. */
export interface MinutesSnapshotDoc {
  _id: string;
  state: Buffer;
  upToSeq: number;
  updatedAt: Date;
}

/** How much each person wrote in a document: counted in memory, added here at each compaction. */
export interface MinutesAuthorDoc {
  _id: string;
  doc: string;
  memberId: string;
  updates: number;
  first: Date;
  last: Date;
}

export function minutesModels(conn: Connection) {
  const updateSchema = new Schema<MinutesUpdateDoc>(
    {
      doc: { type: String, required: true },
      seq: { type: Number, required: true },
      update: { type: Buffer, required: true },
      at: { type: Date, required: true },
    },
    { versionKey: false },
  );
  updateSchema.index({ doc: 1, seq: 1 }, { unique: true });
  const MinutesUpdate = conn.model<MinutesUpdateDoc>('MinutesUpdate', updateSchema, 'minutes_updates');
  const MinutesSnapshot = conn.model<MinutesSnapshotDoc>(
    'MinutesSnapshot',
    new Schema<MinutesSnapshotDoc>(
      {
        _id: String,
        state: { type: Buffer, required: true },
        upToSeq: { type: Number, required: true },
        updatedAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'minutes_snapshots',
  );
  const MinutesAuthor = conn.model<MinutesAuthorDoc>(
    'MinutesAuthor',
    new Schema<MinutesAuthorDoc>(
      {
        _id: String,
        doc: { type: String, required: true, index: true },
        memberId: { type: String, required: true },
        updates: { type: Number, required: true },
        first: { type: Date, required: true },
        last: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'minutes_authors',
  );
  return { MinutesUpdate, MinutesSnapshot, MinutesAuthor };
}
