import type { PollView, ScreenPoll, ScreenView, SessionView, SpeakerQueue } from '@yitang/shared';

/** How many published results the hall screen keeps listing (newest first). */
const publishedShown = 3;

/** The member ids whose names a view of this state needs: the speaker and the queue. */
export function namesNeeded(speakers: SpeakerQueue): string[] {
  return [...(speakers.speaker ? [speakers.speaker.memberId] : []), ...speakers.queue.map((q) => q.memberId)];
}

/**
 * A poll as the hall sees it, or null when the hall sees nothing of it: a draft, or a poll closed
 * but not yet published (the conveners decide when its result is told). Built field by field, so
 * an open poll's tally, its voters and its result never reach a screen, secret or not.
 */
function screenPoll(p: PollView): ScreenPoll | null {
  if (p.stage === 'open') {
    return { id: p.id, stage: 'open', settings: p.settings, ballots: p.ballots, openedAt: p.openedAt };
  }
  if (p.stage === 'published' && p.result) {
    return {
      id: p.id,
      stage: 'published',
      settings: p.settings,
      ballots: p.ballots,
      presentElectorate: p.presentElectorate,
      result: p.result,
      publishedAt: p.publishedAt,
    };
  }
  return null;
}

/** The hall screen's view of a room: names instead of ids, counts instead of tallies. */
export function screenView(
  state: { session: SessionView; speakers: SpeakerQueue; polls: PollView[] },
  names: ReadonlyMap<string, string>,
  now: Date,
): ScreenView {
  const { session, speakers } = state;
  const nameOf = (id: string) => names.get(id) ?? '';
  const shown = state.polls.map(screenPoll).filter((p): p is ScreenPoll => p !== null);
  const open = shown.filter((p) => p.stage === 'open');
  const published = shown
    .filter((p): p is Extract<ScreenPoll, { stage: 'published' }> => p.stage === 'published')
    .sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? ''))
    .slice(0, publishedShown);
  const speaker = speakers.speaker;
  return {
    sessionId: session.id,
    topic: session.topic,
    roomName: session.roomName,
    mode: session.mode,
    state: session.state,
    scheduledAt: session.scheduledAt,
    serverNow: now.toISOString(),
    agenda: session.agenda,
    currentItemId: session.currentItemId,
    currentItemStartedAt: session.currentItemStartedAt,
    speaker: speaker
      ? {
          name: nameOf(speaker.memberId),
          pointOfOrder: speaker.pointOfOrder,
          startedAt: speaker.startedAt,
          endsAt: speaker.endsAt,
        }
      : null,
    queue: speakers.queue.map((q) => ({ name: nameOf(q.memberId), pointOfOrder: q.pointOfOrder })),
    polls: [...open, ...published],
  };
}
