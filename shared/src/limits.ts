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
   * A ballot waits this long for others to be stored with it in one database write (the ack
   * follows the write). Well inside one tally frame (100 ms); it saves most of the writes of a
   * steady stream of votes, and each write costs the server far more than a ballot in it.
   */
  ballotGatherMs: 25,
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
  /** How long an idle minutes document stays in memory after its last editor leaves (ms). */
  minutesUnloadDelayMs: 5_000,
  /** Lifetime of a sign-in session cookie (seconds). */
  sessionMaxAgeSeconds: 12 * 60 * 60,
  /** Default lifetime of an invitation link (hours). */
  invitationHours: 72,
  /** Digits in the hall check-in code. */
  hallCodeDigits: 6,
} as const;
