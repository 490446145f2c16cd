import { type Models, trusted } from '../db/models';
import type { TrackingItemDoc } from './tracking.model';

/**
 * The tracking module's reads for other modules (a topic follows its rounds' items), so that none
 * reads the tracking items collection itself. Same filter and projection as the caller had.
 */
export function trackingReads(models: Pick<Models, 'TrackingItem'>) {
  const { TrackingItem } = models;
  return {
    /** The status of every tracking item of these sessions. */
    statusesOf(sessionIds: readonly string[]): Promise<Array<Pick<TrackingItemDoc, '_id' | 'status'>>> {
      return TrackingItem.find({ sessionId: trusted({ $in: [...sessionIds] }) }, { status: 1 }).lean();
    },
  };
}

export type TrackingReads = ReturnType<typeof trackingReads>;
