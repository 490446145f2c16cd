import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signature of the inbound 12345 hotline webhook.
 *
 * The hotline signs every request with the secret both sides share:
 *
 * ```
 * X-Yitang-Timestamp: <unix seconds, decimal>
 * X-Yitang-Signature: v1=<lowercase hex HMAC-SHA256 of "<timestamp>.<raw body>">
 * ```
 *
 * The signed string is the timestamp header exactly as sent, a full stop, then the request body
 * byte for byte as received (verify before any JSON parsing). A request is refused when a header
 * is missing (`MISSING`), cannot be read (`MALFORMED`), its timestamp lies more than
 * `toleranceSeconds` (default 300) before or after now (`STALE`), or the HMAC does not match
 * (`BAD_SIGNATURE`). Comparison is constant-time.
 *
 * Replays are refused twice over: an exact replay inside the window is caught by {@link ReplayGuard}
 * and anything older by the timestamp window; a re-sent ticket with a fresh signature is harmless
 * because tickets are imported idempotently by ticket id.
 */

export const TIMESTAMP_HEADER = 'x-yitang-timestamp';
export const SIGNATURE_HEADER = 'x-yitang-signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

const TIMESTAMP_RE = /^\d{1,12}$/;
const SIGNATURE_RE = /^v1=([0-9a-f]{64})$/;

export type RawBody = string | Uint8Array;

export type SignatureFailure = 'MISSING' | 'MALFORMED' | 'STALE' | 'BAD_SIGNATURE';

export type VerifyResult = { ok: true; timestamp: number; signature: string } | { ok: false; reason: SignatureFailure };

export interface VerifyInput {
  secret: string;
  timestampHeader: string | undefined | null;
  signatureHeader: string | undefined | null;
  rawBody: RawBody;
  now: Date;
  toleranceSeconds?: number;
}

function hmacHex(secret: string, timestamp: string, rawBody: RawBody): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** The value of `X-Yitang-Signature` for this body (used by tests and by the hotline simulator). */
export function signBody(secret: string, timestamp: number | string, rawBody: RawBody): string {
  return `v1=${hmacHex(secret, String(timestamp), rawBody)}`;
}

/** Checks the headers of an inbound webhook request against its raw body. */
export function verifySignature(input: VerifyInput): VerifyResult {
  const { secret, rawBody, now } = input;
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const timestampHeader = input.timestampHeader?.trim();
  const signatureHeader = input.signatureHeader?.trim();
  if (!timestampHeader || !signatureHeader) return { ok: false, reason: 'MISSING' };

  const sigMatch = SIGNATURE_RE.exec(signatureHeader.toLowerCase());
  if (!TIMESTAMP_RE.test(timestampHeader) || !sigMatch?.[1]) {
    return { ok: false, reason: 'MALFORMED' };
  }
  const timestamp = Number(timestampHeader);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (Math.abs(nowSeconds - timestamp) > tolerance) return { ok: false, reason: 'STALE' };

  const given = Buffer.from(sigMatch[1], 'hex');
  const expected = Buffer.from(hmacHex(secret, timestampHeader, rawBody), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'BAD_SIGNATURE' };
  }
  return { ok: true, timestamp, signature: sigMatch[1] };
}

/**
 * Remembers the signatures accepted within the timestamp window so that an exact replay of a
 * request (same timestamp, same body) is refused. Entries are dropped once their timestamp has
 * left the window, after which {@link verifySignature} refuses the request as `STALE` anyway.
 * In-memory and per process: enough for one server; idempotency by ticket id covers the rest.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS) {}

  /**
   * Records a verified signature. Returns true the first time it is seen within the window and
   * false for a replay.
   */
  accept(signature: string, timestamp: number, now: Date): boolean {
    this.prune(now);
    if (this.seen.has(signature)) return false;
    this.seen.set(signature, timestamp);
    return true;
  }

  /** Number of signatures currently remembered. */
  get size(): number {
    return this.seen.size;
  }

  private prune(now: Date): void {
    const oldest = Math.floor(now.getTime() / 1000) - this.toleranceSeconds;
    for (const [signature, timestamp] of this.seen) {
      if (timestamp < oldest) this.seen.delete(signature);
    }
  }
}
