/**
 * Timer maths against the server's clock. The server stamps snapshots and speaker updates with
 * `serverNow`; the offset between that and the local clock at receipt lets every device count
 * the same item timer and speaking countdown, whatever its own clock says.
 */

/** Milliseconds to add to the local clock to get the server's (positive: the server is ahead). */
export function clockOffset(serverNowIso: string, localNowMs: number): number {
  const server = Date.parse(serverNowIso);
  return Number.isNaN(server) ? 0 : server - localNowMs;
}

/** The server's time now, from the local clock and the offset. */
export const serverTime = (localNowMs: number, offsetMs: number) => localNowMs + offsetMs;

/** Time since `startIso` on the server's clock; 0 before it or when unknown. */
export function elapsedMs(startIso: string | null, localNowMs: number, offsetMs: number): number {
  if (startIso === null) return 0;
  const start = Date.parse(startIso);
  if (Number.isNaN(start)) return 0;
  return Math.max(0, serverTime(localNowMs, offsetMs) - start);
}

/** Time left until `endIso` on the server's clock; never negative. */
export function remainingMs(endIso: string, localNowMs: number, offsetMs: number): number {
  const end = Date.parse(endIso);
  if (Number.isNaN(end)) return 0;
  return Math.max(0, end - serverTime(localNowMs, offsetMs));
}

export interface ItemTimer {
  elapsedMs: number;
  plannedMs: number;
  /** Past the planned length. */
  overrun: boolean;
}

/** The current agenda item's timer: how long it has run against how long it was planned. */
export function itemTimer(
  startedAtIso: string | null,
  plannedMinutes: number,
  localNowMs: number,
  offsetMs: number,
): ItemTimer {
  const elapsed = elapsedMs(startedAtIso, localNowMs, offsetMs);
  const plannedMs = plannedMinutes * 60_000;
  return { elapsedMs: elapsed, plannedMs, overrun: elapsed > plannedMs };
}

/**
 * `m:ss`, or `h:mm:ss` from an hour on. Elapsed time rounds down (a second is shown once it has
 * passed); a countdown rounds up (`0:00` only when time is really up).
 */
export function formatDuration(ms: number, round: 'down' | 'up' = 'down'): string {
  const total = Math.max(0, round === 'up' ? Math.ceil(ms / 1000) : Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
