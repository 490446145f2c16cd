/** The convener console's closing summary (ClosingSummary), in English. */
export const roomConsoleEn = {
  summaryTitle: 'Closing summary',
  summaryIntro:
    'The session is closed and the live controls are put away. Check the summary, then go on to the minutes.',
  held: 'Held',
  heldRange: '{{start}} to {{end}}',
  duration: 'Duration',
  durationHours: '{{h}} h {{m}} min',
  durationMinutes: '{{m}} min',
  attendance: 'Present at the close',
  attendanceCount: '{{total}} in all ({{hall}} in the hall, {{online}} online only)',
  polls: 'Votes',
  pollsNone: 'No vote was held.',
  pollBallots: '{{count}} ballots',
  pollPending: 'No result yet',
  outcomes: 'Outcomes recorded',
  outcomesNone: 'No outcome recorded yet.',
  outcomesDrafts: '{{count}} more drafts not recorded.',
  toMinutes: 'Go on to the minutes',
  checkInFold: 'Check yourself in at the hall',
};
