import { createHmac } from 'node:crypto';
import { limits } from '@yitang/shared';
import { AppError } from '../errors';

/** The committee's calendar day (China Standard Time, no daylight saving), e.g. 2026-12-06. */
function committeeDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/**
 * The hall code shown in the hall today. The session's stored `hallCode` is only the secret it is
 * derived from, with the session id and the day: so the code differs per session, changes every
 * day (a code seen at yesterday's sitting checks nobody in today), and is never stored.
 */
export function hallCodeFor(secret: string, sessionId: string, at: Date = new Date()): string {
  const mac = createHmac('sha256', `${secret}\u0000${sessionId}`).update(committeeDay(at)).digest();
  const digits = limits.hallCodeDigits;
  return String(mac.readUInt32BE(0) % 10 ** digits).padStart(digits, '0');
}

/**
 * Wrong hall codes per person, for one room. Six digits are a million codes, so an attacker
 * with a script would find the code in minutes (remote "in the hall" credit); a few tries per
 * person, then a lockout, makes that hopeless while a typo costs nothing. Kept in the room's
 * memory: a room has one owner process at a time (with several nodes, the lease holder).
 */
export class HallCodeTries {
  private readonly wrong = new Map<string, { count: number; since: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Checks `code` for `memberId`: BAD_CODE when wrong, RATE_LIMITED while locked out. */
  check(memberId: string, code: string, expected: string): void {
    const t = this.now();
    let entry = this.wrong.get(memberId);
    if (entry && t - entry.since > limits.hallCodeLockSeconds * 1000) {
      this.wrong.delete(memberId);
      entry = undefined;
    }
    if (entry && entry.count >= limits.hallCodeTries) {
      throw new AppError('RATE_LIMITED', 'Too many wrong hall codes; ask the staff at the door.');
    }
    if (code === expected) {
      this.wrong.delete(memberId);
      return;
    }
    this.wrong.set(memberId, { count: (entry?.count ?? 0) + 1, since: entry?.since ?? t });
    throw new AppError('BAD_CODE', 'That is not this hall’s code.');
  }
}
