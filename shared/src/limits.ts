/** Every size, length and timing limit the client and server agree on. */
export const limits = {
  /** Largest Socket.IO frame the server accepts (bytes). */
  maxSocketPayloadBytes: 16 * 1024,
  /** Largest y-websocket frame the server accepts (bytes). */
  maxMinutesFrameBytes: 1024 * 1024,
  maxPollQuestionLength: 200,
  maxIdLength: 64,
  maxAgendaItems: 30,
  maxAgendaTitleLength: 120,
  maxAgendaItemMinutes: 600,
  maxSuggestionLength: 2000,
  maxOutcomeLength: 2000,
  maxDepartmentLength: 80,
  maxNameLength: 40,
  maxSearchLength: 40,
  maxPasswordLength: 200,
  /** Speaking time per turn, seconds. */
  defaultSpeakerLimitSeconds: 180,
  minSpeakerLimitSeconds: 15,
  maxSpeakerLimitSeconds: 1800,
  /** Tally frames are coalesced so each client receives at most this many per second. */
  tallyFramesPerSecond: 10,
  /**
   * Ballot writes start at most this often: a ballot after a quiet spell is written at once, and
   * those arriving within this time of the last write's start wait and go together in the next
   * (the ack follows the write). Each write costs the server far more than a ballot in it, so in
   * a burst this saves most of them; a ballot waits at most this long plus the write before it.
   */
  ballotWriteIntervalMs: 10,
  /**
   * A secret poll's paper batch: at most this many distinct contents, each on at most this many
   * ballots. A hall is a few hundred people; the socket payload limit bounds it anyway.
   */
  maxPaperBatchEntries: 200,
  maxPaperBatchBallots: 5000,
  /**
   * Presence changes are coalesced per room: the first change goes out at once, later ones at most
   * this many frames a second. A frame reaches everyone present, so filling a room of n costs
   * n × (frames sent meanwhile) instead of n²/2; 250 ms is below what a reader of the list notices.
   */
  presenceFramesPerSecond: 4,
  /**
   * And at most this many presence frame deliveries (frames × people present) per room and second:
   * above 250 present the frames come less often (1,000: one a second; 5,000: one every 5 s), so
   * a filling hall spends its time on the joins, not on telling everyone about each one.
   */
  presenceDeliveriesPerSecond: 1000,
  /**
   * Above this many people present, a room snapshot carries only the counts and the entries of
   * those who run the room (and the caller); the rest come in pages (`presence:page`). Each join's
   * snapshot would otherwise list everyone, and filling a room of n would send n²/2 entries.
   */
  snapshotPresenceMax: 200,
  /** Most entries one `presence:page` request returns. */
  presencePageMax: 100,
  /** Per-socket rate limit: a token bucket of this size, refilled at this many events per second. */
  socketBurst: 40,
  socketEventsPerSecond: 20,
  /**
   * Refusals after which the socket is disconnected; the count starts again once the bucket has
   * refilled to half, so only a socket that keeps sending faster than the rate is dropped.
   */
  socketRefusalsBeforeDisconnect: 100,
  /** Minutes updates kept in the log before they are folded into a snapshot. */
  minutesCompactAfterUpdates: 200,
  /**
   * A pause in one person's writing in the minutes after which more writing in the same block is
   * a new edit in 谁写了什么 (ms).
   */
  minutesEditPauseMs: 60_000,
  /** How long an idle minutes document stays in memory after its last editor leaves (ms). */
  minutesUnloadDelayMs: 5_000,
  /**
   * Largest Yjs update one minutes frame may carry (bytes). A paste of a long report is a few
   * hundred KiB; a larger update is refused and the socket closed with
   * `MinutesCloseCode.updateTooLarge` (permanent: resending it would be refused again).
   */
  maxMinutesUpdateBytes: 512 * 1024,
  /**
   * Largest minutes document (bytes of its encoded state) writers may grow. An update that would
   * take it past this is refused (`MinutesCloseCode.documentFull`); deleting still works. Far
   * below MongoDB's 16 MB document limit, so the snapshot is always storable.
   */
  maxMinutesDocumentBytes: 4 * 1024 * 1024,
  /**
   * Room events (speeches, polls, outcomes) are still written this far past the writers' cap, so
   * a full document keeps the session's record; beyond it they are left out of the minutes (the
   * room's own records keep them). Cap + headroom stays far below 16 MB.
   */
  minutesRoomEventsHeadroomBytes: 1024 * 1024,
  /**
   * Minutes frames per connection: a token bucket of this size refilled at this rate; per person
   * (all their minutes sockets on one server) the member bucket. Typing sends an update and a
   * caret move per keystroke, about 20 a second at most. Past the limit the socket is closed with
   * `MinutesCloseCode.rateLimited` and the provider reconnects, sending what it has in one frame.
   */
  minutesFramesBurst: 100,
  minutesFramesPerSecond: 50,
  minutesMemberFramesBurst: 150,
  minutesMemberFramesPerSecond: 100,
  /** Bytes of minutes frames per connection and per person (token buckets, as above). */
  minutesBytesBurst: 1024 * 1024,
  minutesBytesPerSecond: 256 * 1024,
  minutesMemberBytesBurst: 2 * 1024 * 1024,
  minutesMemberBytesPerSecond: 512 * 1024,
  /** Largest awareness state (JSON: a caret, a name, a colour: a few hundred bytes); larger ones are dropped. */
  maxMinutesAwarenessBytes: 2048,
  /**
   * Changes to a connection's own awareness states (token bucket); the excess is dropped, the
   * next state replaces it. A caret moves with every keystroke.
   */
  minutesAwarenessBurst: 40,
  minutesAwarenessPerSecond: 20,
  /**
   * Awareness frames of any kind per connection, not counted in `minutesFrames*`: the stock
   * provider sends back every awareness change it receives, so in a busy document most of its
   * frames are echoes of others' (dropped unread). The excess is dropped, never closed.
   */
  minutesAwarenessFramesBurst: 400,
  minutesAwarenessFramesPerSecond: 200,
  /** Awareness client ids one connection may announce (a provider has one; Yjs may pick a new one). */
  minutesAwarenessIdsPerConnection: 4,
  /**
   * Duty import (XLSX), checked from the zip's central directory and the sheets' XML before the
   * parser runs: the sum of the files' uncompressed sizes (each file is inflated at most that far,
   * so a size the directory understates is caught), how many files, and the last row and column
   * any sheet uses. 10,000 rows leaves room for blank rows around the 5,000 records allowed.
   */
  importMaxUncompressedBytes: 16 * 1024 * 1024,
  importMaxZipEntries: 200,
  importMaxSheetRows: 10_000,
  importMaxColumns: 50,
  /**
   * Member import (XLSX or CSV, read with the bounds above): at most this many members a file and
   * this many bytes. A city committee has a few hundred members; a county's whole roll fits.
   */
  memberImportMaxRows: 2000,
  memberImportMaxBytes: 4 * 1024 * 1024,
  /**
   * PDF exports (minutes, bulletins) print one at a time, each a Chromium process; this many wait
   * behind the one printing and anyone beyond is answered UNAVAILABLE ("busy, try again").
   */
  pdfQueueWaiting: 3,
  /** Launching Chromium, and each step of one print, may take this long (ms) before it fails. */
  pdfTimeoutMs: 30_000,
  /**
   * A minutes diff compares at most this many lines a side, gives up past this many changed lines
   * or this long (the diff is synchronous: it holds the event loop), and is then refused with
   * PAYLOAD_TOO_LARGE; the versions' own texts can still be read.
   */
  maxMinutesDiffLines: 20_000,
  maxMinutesDiffEditLines: 2_000,
  minutesDiffTimeoutMs: 1_000,
  /**
   * The minutes archive answers at most this many entries (the most recent first; narrow the
   * period, room or status for older ones), and a text search reads at most this many minutes
   * that have no version yet from their live document (each is loaded and parsed in the process).
   */
  minutesArchiveMaxEntries: 200,
  minutesArchiveMaxLiveScans: 20,
  /** Lifetime of a sign-in session cookie (seconds). */
  sessionMaxAgeSeconds: 12 * 60 * 60,
  /**
   * Shortest default lifetime of an invitation link (hours); by default a link also lasts until
   * the day after its session (`invitationGraceHours` after the scheduled start).
   */
  invitationHours: 72,
  invitationGraceHours: 24,
  /** A turn shorter than this (seconds) earns no 发言 duty record (a floor given and handed back). */
  minSpeechSecondsForDuty: 30,
  /** A raised hand is kept this long for someone who has left the room, then taken down. */
  handKeptAfterLeavingMs: 30_000,
  /** Digits in the hall check-in code. */
  hallCodeDigits: 6,
  /** Wrong sign-ins for one login name within the window before it is locked, from any address. */
  loginFailuresPerAccount: 5,
  /** Wrong sign-ins from one address within the window before it is locked, for any name. */
  loginFailuresPerAddress: 20,
  /** The window of both sign-in limits, and how long a lock lasts (seconds). */
  loginFailureWindowSeconds: 15 * 60,
  /** A sign-in session unused this long ends (seconds); `sessionMaxAgeSeconds` ends it regardless. */
  sessionIdleSeconds: 2 * 60 * 60,
  /** Wrong hall codes one person may enter before check-in locks them out for the window. */
  hallCodeTries: 5,
  /** How long a hall-code lockout lasts (seconds). */
  hallCodeLockSeconds: 15 * 60,
  /** A hall screen link works this long (seconds): one sitting's day, then staff make a new one. */
  screenLinkSeconds: 12 * 60 * 60,
  /** Hall screens get at most this many views per second per room (changes are coalesced). */
  screenFramesPerSecond: 4,
  /** An account's activation link works this long (seconds): time to pass it on by SMS or WeChat. */
  activationLinkSeconds: 7 * 24 * 60 * 60,
  /** A password reset link works this long (seconds): a lost phone should not keep a live one. */
  resetLinkSeconds: 24 * 60 * 60,
  /** The shortest password one may set (characters); the longest is `maxPasswordLength`. */
  minPasswordLength: 10,
} as const;
