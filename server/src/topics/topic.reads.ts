import { type Models, rawCollection } from '../db/models';
import type { TopicDoc } from './topic.model';

/** A topic with its session and the state steps of its history. */
export type TopicHistoryRow = Pick<TopicDoc, '_id' | 'sessionId'> & { history?: Array<{ state?: string; at?: Date }> };

/**
 * The topics module's reads for other modules (the dashboard counts hotline cases closed), so
 * that none reads the topics collection itself. Same filter and projection as the caller had.
 */
export function topicReads(models: Pick<Models, 'Topic'>) {
  const topics = rawCollection(models.Topic);
  return {
    /**
     * Closed topics from 12345 hotline tickets with some history step in [start, end): a
     * narrowing only, the caller dates each by its history.
     */
    hotlineClosedCandidates(range: { start: Date; end: Date }): Promise<TopicHistoryRow[]> {
      return topics
        .aggregate<TopicHistoryRow>([
          { $match: { source: 'hotline', state: 'closed', 'history.at': { $gte: range.start, $lt: range.end } } },
          { $project: { sessionId: 1, 'history.state': 1, 'history.at': 1 } },
        ])
        .toArray();
    },
  };
}

export type TopicReads = ReturnType<typeof topicReads>;
