import type { ConvenerSeat, TopicEvent, TopicSource, TopicState } from '@yitang/shared';
import { type Connection, Schema } from 'mongoose';

/**
 * 议题. A topic from a hotline ticket or a governance-centre case has the natural id
 * `tp-<source>-<ref>`, so turning the same ticket into a topic twice yields the same topic.
 */
export interface TopicDoc {
  _id: string;
  title: string;
  description: string;
  source: TopicSource;
  sourceRef: string | null;
  proposedBy: string;
  proposedAt: Date;
  state: TopicState;
  /** The responsible department, named by the first convener when accepting. */
  department: string | null;
  firstConvenerId: string | null;
  secondConvenerId: string | null;
  acceptances: Array<{ seat: ConvenerSeat; by: string; byName: string; at: Date }>;
  declineReason: string | null;
  sessionId: string | null;
  /** The theme (专题) from the staff's list (topics/themes.ts); its sessions take it. Older topics have none. */
  themeId?: string | null;
  history: Array<Omit<TopicEvent, 'at'> & { at: Date }>;
  updatedAt: Date;
}

/** A theme (专题) from the list staff keep; a name is stored once (unique index). */
export interface ThemeDoc {
  _id: string;
  name: string;
  retired: boolean;
  createdAt: Date;
}

export function topicModels(conn: Connection) {
  const Topic = conn.model<TopicDoc>(
    'Topic',
    new Schema<TopicDoc>(
      {
        _id: String,
        title: { type: String, required: true },
        description: { type: String, default: '' },
        source: { type: String, required: true },
        sourceRef: { type: String, default: null },
        proposedBy: { type: String, required: true },
        proposedAt: { type: Date, required: true },
        state: { type: String, required: true, index: true },
        department: { type: String, default: null },
        firstConvenerId: { type: String, default: null },
        secondConvenerId: { type: String, default: null },
        acceptances: {
          type: [new Schema({ seat: String, by: String, byName: String, at: Date }, { _id: false })],
          default: [],
        },
        declineReason: { type: String, default: null },
        sessionId: { type: String, default: null },
        themeId: { type: String, default: null },
        history: {
          type: [
            new Schema(
              { at: Date, by: String, byName: String, action: String, state: String, note: String },
              { _id: false },
            ),
          ],
          default: [],
        },
        updatedAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'topics',
  );
  const Theme = conn.model<ThemeDoc>(
    'Theme',
    new Schema<ThemeDoc>(
      {
        _id: String,
        name: { type: String, required: true, unique: true },
        retired: { type: Boolean, default: false },
        createdAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'themes',
  );
  return { Topic, Theme };
}
