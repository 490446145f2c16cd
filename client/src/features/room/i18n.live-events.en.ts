import type { liveEventsZhCN } from './i18n.live-events.zh-CN';

/** The live-event sheet on a phone (LiveEventBanner), in English. */
export const liveEventsEn: typeof liveEventsZhCN = {
  floor: {
    title: 'You have the floor',
    body: 'The convener has given you the floor; your time is running.',
    start: 'Start speaking',
    yield: 'Give up the floor',
  },
  poll: { title: 'A vote has opened', go: 'Go to the vote' },
  agenda: { title: 'The agenda has moved on' },
  closed: {
    title: 'The session has closed',
    body: 'Thank you for taking part; you will be told when the minutes are approved.',
  },
  dismiss: 'Close this notice',
};
