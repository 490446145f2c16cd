import { type Models, rawCollection } from '../db/models';
import type { TopicDoc } from './topic.model';

/** A topic with its session and the state steps of its history. */
export type TopicHistoryRow = Pick<TopicDoc, '_id' | 'sessionId'> & { history?: Array<{ state?: string; at?: Date }> };

/** A closed topic as the dashboard counts it: a problem solved, and a hotline case when it came from one. */
export type ClosedTopicRow = TopicHistoryRow & Pick<TopicDoc, 'source'> & { themeId?: string | null };

/** Sources counted as cases handled with the 12345 hotline: its tickets and the governance centre's. */
export const hotlineSources = ['hotline', 'governanceCentre'] as const;

/**
 * The topics module's reads for other modules (the dashboard counts hotline cases closed), so
 * that none reads the topics collection itself. Same filter and projection as the caller had.
 */
export function topicReads(models: Pick<Models, 'Topic' | 'Theme'>) {
  const topics = rawCollection(models.Topic);
  const themes = rawCollection(models.Theme);
  return {
    /**
     * Closed topics from 12345 hotline tickets with some history step in [start, end): a
     * narrowing only, the caller dates each by its history.
     */
    hotlineClosedCandidates(range: { start: Date; end: Date }): Promise<TopicHistoryRow[]> {
      return topics
        .aggregate<TopicHistoryRow>([
          {
            $match: {
              source: { $in: [...hotlineSources] },
              state: 'closed',
              'history.at': { $gte: range.start, $lt: range.end },
            },
          },
          { $project: { sessionId: 1, 'history.state': 1, 'history.at': 1 } },
        ])
        .toArray();
    },

    /**
     * Closed topics of any source with some history step in [start, end), with their source and
     * theme: a narrowing only, the caller dates each by its history.
     */
    closedCandidates(range: { start: Date; end: Date }): Promise<ClosedTopicRow[]> {
      return topics
        .aggregate<ClosedTopicRow>([
          { $match: { state: 'closed', 'history.at': { $gte: range.start, $lt: range.end } } },
          { $project: { sessionId: 1, source: 1, themeId: 1, 'history.state': 1, 'history.at': 1 } },
        ])
        .toArray();
    },

    async exists(topicId: string): Promise<boolean> {
      return (await topics.countDocuments({ _id: topicId }, { limit: 1 })) > 0;
    },

    async themeExists(themeId: string): Promise<boolean> {
      return (await themes.countDocuments({ _id: themeId }, { limit: 1 })) > 0;
    },

    /** Each of these topics' theme (topics without one are left out). */
    async themesOf(topicIds: readonly string[]): Promise<Map<string, string>> {
      if (topicIds.length === 0) return new Map();
      const rows = await topics
        .aggregate<{ _id: string; themeId?: string | null }>([
          { $match: { _id: { $in: [...new Set(topicIds)] } } },
          { $project: { themeId: 1 } },
        ])
        .toArray();
      const out = new Map<string, string>();
      for (const r of rows) if (r.themeId) out.set(r._id, r.themeId);
      return out;
    },

    /** Every theme with its name and whether it is retired, for the dashboard's table. */
    themes(): Promise<Array<{ _id: string; name: string; retired?: boolean }>> {
      return themes.find({}, { projection: { name: 1, retired: 1 } }).toArray();
    },
  };
}

export type TopicReads = ReturnType<typeof topicReads>;
