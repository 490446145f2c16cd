import { type Connection, Schema } from 'mongoose';

/** The scan (photo or PDF) of a paper session's sign-in sheet (签到表), bytes in MongoDB. */
export interface PaperScanDoc {
  _id: string;
  sessionId: string;
  fileName: string;
  contentType: string;
  size: number;
  data: Buffer;
  uploadedBy: string;
  uploadedAt: Date;
}

export function paperModels(conn: Connection) {
  const PaperScan = conn.model<PaperScanDoc>(
    'PaperScan',
    new Schema<PaperScanDoc>(
      {
        _id: String,
        sessionId: { type: String, required: true, index: true },
        fileName: { type: String, required: true },
        contentType: { type: String, required: true },
        size: { type: Number, required: true },
        data: { type: Buffer, required: true },
        uploadedBy: { type: String, required: true },
        uploadedAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'paper_scans',
  );
  return { PaperScan };
}
