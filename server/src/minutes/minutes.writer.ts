import {
  type AgendaItem,
  MinutesCloseCode,
  minutesDocName,
  minutesRoomAuthor,
  type OutcomeView,
  type PollView,
  type SuggestionView,
} from '@yitang/shared';
import { Serial } from '../lib/serial';
import type { Logger } from '../logger';
import type { MinutesServer } from './minutes.server';
import { appendEvent, ensureSections } from './minutes.structure';
import { outcomeText, pollText, speechText, suggestionText } from './texts';

/** What a live room tells the minutes as it happens. */
export type RoomNotice =
  | { type: 'agenda'; sessionId: string; agenda: AgendaItem[] }
  | {
      type: 'speech';
      sessionId: string;
      itemId: string | null;
      memberId: string;
      name: string;
      startedAt: string;
      durationSeconds: number;
      pointOfOrder: boolean;
    }
  | { type: 'suggestion'; sessionId: string; suggestion: SuggestionView }
  | { type: 'poll'; sessionId: string; poll: PollView }
  | { type: 'outcome'; sessionId: string; outcome: OutcomeView }
  | { type: 'closed'; sessionId: string; by: string }
  /** Someone was removed from the session: their minutes sockets close (the room already dropped them). */
  | { type: 'removed'; sessionId: string; memberId: string };

export type NoticeSink = (notice: RoomNotice) => void;

/**
 * Writes the room's events into the minutes as blocks in the section of their agenda item, and
 * keeps one section per agenda item. Per session the writes run in order; a failed write is
 * logged and never reaches the room (the room's own records are already stored).
 */
export function createMinutesWriter(deps: {
  minutes: MinutesServer;
  logger: Logger;
  /** Called after the session closed and its last events are written (e.g. to take a version). */
  onClosed?: (sessionId: string, by: string) => Promise<void>;
}): { notify: NoticeSink; idle(sessionId: string): Promise<void>; idleAll(): Promise<void> } {
  const queues = new Map<string, Serial>();
  const last = new Map<string, Promise<void>>();
  // Credited to the room in 谁写了什么, not to whoever's action caused the block.
  const SYSTEM = minutesRoomAuthor.id;

  const write = async (n: RoomNotice) => {
    const doc = minutesDocName(n.sessionId);
    switch (n.type) {
      case 'agenda':
        return deps.minutes.change(doc, SYSTEM, (d) => ensureSections(d, n.agenda));
      case 'speech':
        return deps.minutes.change(doc, SYSTEM, (d) =>
          appendEvent(d, n.itemId, {
            kind: 'speech',
            refId: `${n.memberId}:${n.startedAt}`,
            text: speechText(n.name, n.durationSeconds, n.pointOfOrder),
          }),
        );
      case 'suggestion':
        return deps.minutes.change(doc, SYSTEM, (d) =>
          appendEvent(d, n.suggestion.itemId, {
            kind: 'suggestion',
            refId: n.suggestion.id,
            text: suggestionText(n.suggestion.authorName, n.suggestion.text),
          }),
        );
      case 'poll':
        return deps.minutes.change(doc, SYSTEM, (d) =>
          appendEvent(d, n.poll.itemId, { kind: 'poll', refId: n.poll.id, text: pollText(n.poll) }),
        );
      case 'outcome': {
        const o = n.outcome;
        return deps.minutes.change(doc, SYSTEM, (d) =>
          appendEvent(d, null, {
            kind: 'outcome',
            refId: o.id,
            text: outcomeText(o),
          }),
        );
      }
      case 'closed':
        return deps.onClosed?.(n.sessionId, n.by);
      case 'removed':
        return; // handled at once in `notify`
    }
  };

  return {
    notify(notice) {
      if (notice.type === 'removed') {
        // At once, not behind the session's queued writes: a removed person reads no further.
        deps.minutes.closeMemberIn(
          minutesDocName(notice.sessionId),
          notice.memberId,
          MinutesCloseCode.removed,
          'removed from the session',
        );
        return;
      }
      let q = queues.get(notice.sessionId);
      if (!q) {
        q = new Serial();
        queues.set(notice.sessionId, q);
      }
      const done = q
        .run(() => write(notice))
        .catch((err: unknown) => {
          deps.logger.error({ err, sessionId: notice.sessionId, notice: notice.type }, 'writing to the minutes failed');
        });
      last.set(notice.sessionId, done);
    },
    /** Resolves when every notice so far for the session has been written (for tests and shutdown). */
    async idle(sessionId) {
      await last.get(sessionId);
    },
    async idleAll() {
      await Promise.all(last.values());
    },
  };
}
