import { evaluatePoll, type PollSettings, type PollTally, type PollView, type SessionView } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import { namesNeeded, screenView } from './screen.view';

const session: SessionView = {
  id: 's-1',
  topic: '南门小吃街整治',
  roomName: '商会议事室',
  scheduledAt: '2026-12-06T06:30:00.000Z',
  mode: 'hybrid',
  state: 'live',
  firstConvenerId: 'm-chair',
  secondConvenerId: null,
  agenda: [{ id: 'a1', title: '情况通报', plannedMinutes: 10 }],
  currentItemId: 'a1',
  currentItemStartedAt: '2026-12-06T06:31:00.000Z',
  locked: false,
  speakerLimitSeconds: 180,
  startedAt: '2026-12-06T06:31:00.000Z',
  closedAt: null,
};

const settings: PollSettings = {
  kind: 'yesno',
  question: '是否同意？',
  secret: false,
  electorate: 'members',
  quorum: { type: 'none' },
  majority: { rule: 'simple', base: 'cast' },
};
const tally: PollTally = { kind: 'yesno', ballots: 3, yes: 2, no: 1, abstain: 0 };

function poll(id: string, stage: PollView['stage'], over: Partial<PollView> = {}): PollView {
  const closed = stage === 'closed' || stage === 'published';
  return {
    id,
    sessionId: 's-1',
    itemId: 'a1',
    settings,
    stage,
    tally,
    ballots: 3,
    voters: ['m-a', 'm-b', 'm-c'],
    paperBallots: 0,
    presentElectorate: closed ? 5 : null,
    result: closed ? evaluatePoll(settings, tally, { presentElectorate: 5 }) : null,
    openedAt: '2026-12-06T06:40:00.000Z',
    closedAt: closed ? '2026-12-06T06:45:00.000Z' : null,
    publishedAt: stage === 'published' ? '2026-12-06T06:46:00.000Z' : null,
    ...over,
  };
}

describe('the hall screen view', () => {
  const speakers = {
    speaker: {
      memberId: 'm-a',
      itemId: 'a1',
      pointOfOrder: false,
      startedAt: '2026-12-06T06:41:00.000Z',
      endsAt: '2026-12-06T06:44:00.000Z',
    },
    queue: [
      { memberId: 'm-b', pointOfOrder: true, raisedAt: '2026-12-06T06:40:00.000Z' },
      { memberId: 'm-c', pointOfOrder: false, raisedAt: '2026-12-06T06:40:30.000Z' },
    ],
  };
  const names = new Map([
    ['m-a', '郑宇'],
    ['m-b', '董海'],
    ['m-c', '周敏'],
  ]);

  it('names the speaker and the queue, and carries no member id', () => {
    expect(namesNeeded(speakers)).toEqual(['m-a', 'm-b', 'm-c']);
    const view = screenView({ session, speakers, polls: [] }, names, new Date('2026-12-06T06:42:00.000Z'));
    expect(view.speaker).toEqual({
      name: '郑宇',
      pointOfOrder: false,
      startedAt: '2026-12-06T06:41:00.000Z',
      endsAt: '2026-12-06T06:44:00.000Z',
    });
    expect(view.queue).toEqual([
      { name: '董海', pointOfOrder: true },
      { name: '周敏', pointOfOrder: false },
    ]);
    expect(JSON.stringify(view)).not.toMatch(/m-a|m-b|m-c|m-chair/);
  });

  it('shows an open poll by its count only, hides drafts and unpublished results, and shows a published result', () => {
    const polls = [
      poll('p-draft', 'draft', { tally: null, ballots: 0, voters: [], openedAt: null }),
      poll('p-open', 'open'),
      poll('p-closed', 'closed'),
      poll('p-published', 'published'),
    ];
    const view = screenView({ session, speakers: { speaker: null, queue: [] }, polls }, names, new Date());
    expect(view.polls.map((p) => [p.id, p.stage])).toEqual([
      ['p-open', 'open'],
      ['p-published', 'published'],
    ]);
    const [open, published] = view.polls;
    expect(open).toEqual({ id: 'p-open', stage: 'open', settings, ballots: 3, openedAt: '2026-12-06T06:40:00.000Z' });
    expect(published?.stage === 'published' && published.result.ballots).toBe(3);
    // Even a named poll's open tally, which the room's members see, stays off the screen.
    expect(JSON.stringify(open)).not.toMatch(/"tally"|"voters"|"result"|"yes"/);
  });
});
