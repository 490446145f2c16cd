import { createHmac, timingSafeEqual } from 'node:crypto';
import { limits } from '@yitang/shared';
import { AppError } from '../errors';

const dayMs = 24 * 3600 * 1000;

/** The committee's calendar day (China Standard Time, no daylight saving), e.g. 2026-12-06. */
function committeeDay(at: number): string {
  return new Date(at + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/** Milliseconds since the committee's last midnight. */
const sinceMidnight = (at: number) => (at + 8 * 3600 * 1000) % dayMs;

/**
 * After midnight (China time) the previous day's code is still taken this long: a sitting that
 * runs past midnight keeps the code on its screen until someone rejoins and sees the new one.
 */
export const hallCodeGraceMs = 2 * 3600 * 1000;

/**
 * The hall codes of every session. A code is the HMAC of the session id and the day under a key
 * the database never holds (lib/server-key.ts): six digits are only 20 bits, so a key that could
 * be read from, or brute-forced through, one day's code would give every future day's code.
 */
export class HallCodes {
  constructor(
    private readonly key: Buffer,
    /** The clock; tests move it across midnight without waiting. */
    readonly now: () => number = Date.now,
  ) {}

  private codeOn(sessionId: string, at: number): string {
    const mac = createHmac('sha256', this.key)
      .update(`${sessionId}\u0000${committeeDay(at)}`)
      .digest();
    const digits = limits.hallCodeDigits;
    return String(mac.readUInt32BE(0) % 10 ** digits).padStart(digits, '0');
  }

  /** The code shown in the hall today. */
  current(sessionId: string): string {
    return this.codeOn(sessionId, this.now());
  }

  /** Today's code, or yesterday's within `hallCodeGraceMs` after midnight. */
  accepts(sessionId: string, code: string): boolean {
    const t = this.now();
    const same = (expected: string) =>
      code.length === expected.length && timingSafeEqual(Buffer.from(code), Buffer.from(expected));
    if (same(this.codeOn(sessionId, t))) return true;
    return sinceMidnight(t) < hallCodeGraceMs && same(this.codeOn(sessionId, t - dayMs));
  }
}

/**
 * Wrong hall codes per person, for one room. Six digits are a million codes, so an attacker
 * with a script would find the code in minutes (remote "in the hall" credit); a few tries per
 * person, then a lockout, makes that hopeless while a typo costs nothing. Kept in the room's
 * memory: a room has one owner process at a time (with several nodes, the lease holder).
 */
export class HallCodeTries {
  /** Wrong tries counted from the first; `lockedAt` once they reach the limit. */
  private readonly wrong = new Map<string, { count: number; since: number; lockedAt: number | null }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Checks a try for `memberId` (`right`: the code was accepted): BAD_CODE when wrong, RATE_LIMITED while locked out. */
  check(memberId: string, right: boolean): void {
    const t = this.now();
    const span = limits.hallCodeLockSeconds * 1000;
    let entry = this.wrong.get(memberId);
    // The lockout lasts its full span from when it began, not from the first wrong try; a few
    // typos spread over longer than the span never add up to one.
    if (entry && (entry.lockedAt === null ? t - entry.since >= span : t - entry.lockedAt >= span)) {
      this.wrong.delete(memberId);
      entry = undefined;
    }
    if (entry?.lockedAt != null) {
      throw new AppError('RATE_LIMITED', 'Too many wrong hall codes; ask the staff at the door.');
    }
    if (right) {
      this.wrong.delete(memberId);
      return;
    }
    const count = (entry?.count ?? 0) + 1;
    this.wrong.set(memberId, {
      count,
      since: entry?.since ?? t,
      lockedAt: count >= limits.hallCodeTries ? t : null,
    });
    throw new AppError('BAD_CODE', 'That is not this hall’s code.');
  }
}
