import { type Models, rawCollection, trusted } from '../db/models';
import type { TrackingItemDoc } from './tracking.model';

/** A tracking item with its session and the status steps of its history. */
export interface TrackingHistoryRow {
  _id: string;
  sessionId: string;
  history?: Array<{ status?: string; at?: Date }>;
}

/**
 * The tracking module's reads for other modules (a topic follows its rounds' items, the dashboard
 * counts resolved outcomes), so that none reads the tracking items collection itself. Same
 * filter and projection as the caller had.
 */
export function trackingReads(models: Pick<Models, 'TrackingItem'>) {
  const { TrackingItem } = models;
  const tracking = rawCollection(TrackingItem);
  return {
    /**
     * Items verified or closed with some history step in [start, end): a narrowing only, the
     * caller dates each by its history.
     */
    resolvedCandidates(range: { start: Date; end: Date }): Promise<TrackingHistoryRow[]> {
      return tracking
        .aggregate<TrackingHistoryRow>([
          {
            $match: { status: { $in: ['verified', 'closed'] }, 'history.at': { $gte: range.start, $lt: range.end } },
          },
          { $project: { sessionId: 1, 'history.status': 1, 'history.at': 1 } },
        ])
        .toArray();
    },

    /** The status of every tracking item of these sessions (with its session). */
    statusesOf(sessionIds: readonly string[]): Promise<Array<Pick<TrackingItemDoc, '_id' | 'status' | 'sessionId'>>> {
      return TrackingItem.find({ sessionId: trusted({ $in: [...sessionIds] }) }, { status: 1, sessionId: 1 }).lean();
    },
  };
}

export type TrackingReads = ReturnType<typeof trackingReads>;
