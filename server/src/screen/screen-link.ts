import { createHmac, timingSafeEqual } from 'node:crypto';
import { limits, type ScreenLink } from '@yitang/shared';

/**
 * Hall screen links: `<expiry>.<mac>`, the HMAC of the session id and the expiry under a key the
 * database never holds (lib/server-key.ts). A link names no person and opens nothing but the
 * screen's read-only view of one session (screen.socket.ts), so it is short-lived rather than
 * stored and revocable: what it shows is what the hall's wall shows anyway, and it stops working
 * `limits.screenLinkSeconds` after it was made.
 */
export class ScreenLinks {
  constructor(
    private readonly key: Buffer,
    private readonly now: () => number = Date.now,
  ) {}

  private mac(sessionId: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${sessionId}\u0000${expires}`).digest('base64url');
  }

  /** A new link for one session's screen. */
  make(sessionId: string): ScreenLink {
    const expires = this.now() + limits.screenLinkSeconds * 1000;
    return { key: `${expires}.${this.mac(sessionId, expires)}`, expiresAt: new Date(expires).toISOString() };
  }

  /**
   * When the key for this session runs out (ms since the epoch), or 'expired' for a genuine key
   * past its time, or null for anything else (another session's, forged, malformed).
   */
  check(sessionId: string, key: string): number | 'expired' | null {
    const m = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(key);
    if (!m?.[1] || !m[2]) return null;
    const expires = Number(m[1]);
    const given = Buffer.from(m[2]);
    const wanted = Buffer.from(this.mac(sessionId, expires));
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return null;
    return expires > this.now() ? expires : 'expired';
  }
}
