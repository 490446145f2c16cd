/** Every size, length and timing limit the client and server agree on. */
export const limits = {
  /** Largest Socket.IO frame the server accepts (bytes). */
  maxSocketPayloadBytes: 16 * 1024,
  /** Largest y-websocket frame the server accepts (bytes). */
  maxMinutesFrameBytes: 1024 * 1024,
  maxPollQuestionLength: 200,
  maxIdLength: 64,
  /** Tally frames are coalesced so each client receives at most this many per second. */
  tallyFramesPerSecond: 10,
  /** Minutes updates kept in the log before they are folded into a snapshot. */
  minutesCompactAfterUpdates: 200,
  /** How long an idle minutes document stays in memory after its last editor leaves (ms). */
  minutesUnloadDelayMs: 5_000,
  /** Lifetime of a sign-in session cookie (seconds). */
  sessionMaxAgeSeconds: 12 * 60 * 60,
} as const;
