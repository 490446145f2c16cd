import { describe, expect, it } from 'vitest';
import { ReplayGuard, signBody, verifySignature } from './signature';

const secret = 'shared-secret';
const body = '{"ticketId":"T-1","title":"桥灯不亮"}';
const now = new Date('2025-03-01T08:00:00Z');
const ts = Math.floor(now.getTime() / 1000);

function verify(overrides: Partial<Parameters<typeof verifySignature>[0]> = {}) {
  return verifySignature({
    secret,
    timestampHeader: String(ts),
    signatureHeader: signBody(secret, ts, body),
    rawBody: body,
    now,
    ...overrides,
  });
}

describe('verifySignature', () => {
  it('accepts what signBody produced, for string and byte bodies', () => {
    const result = verify();
    expect(result).toMatchObject({ ok: true, timestamp: ts });
    expect(verify({ rawBody: Buffer.from(body, 'utf8') })).toMatchObject({ ok: true });
    expect(signBody(secret, ts, body)).toMatch(/^v1=[0-9a-f]{64}$/);
  });

  it('refuses a wrong secret and a tampered body', () => {
    expect(verify({ secret: 'other' })).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(verify({ rawBody: body.replace('T-1', 'T-2') })).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(verify({ rawBody: `${body} ` })).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('binds the timestamp into the signature', () => {
    expect(verify({ timestampHeader: String(ts + 1) })).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('refuses stale and future timestamps outside the tolerance', () => {
    const at = (t: number) => ({ timestampHeader: String(t), signatureHeader: signBody(secret, t, body) });
    expect(verify(at(ts - 300))).toMatchObject({ ok: true });
    expect(verify(at(ts + 300))).toMatchObject({ ok: true });
    expect(verify(at(ts - 301))).toEqual({ ok: false, reason: 'STALE' });
    expect(verify(at(ts + 301))).toEqual({ ok: false, reason: 'STALE' });
    expect(verify({ ...at(ts - 30), toleranceSeconds: 10 })).toEqual({ ok: false, reason: 'STALE' });
  });

  it('reports missing and malformed headers', () => {
    expect(verify({ timestampHeader: undefined })).toEqual({ ok: false, reason: 'MISSING' });
    expect(verify({ signatureHeader: '' })).toEqual({ ok: false, reason: 'MISSING' });
    expect(verify({ signatureHeader: null })).toEqual({ ok: false, reason: 'MISSING' });
    const sig = signBody(secret, ts, body);
    for (const signatureHeader of [
      sig.slice(3),
      `v2=${sig.slice(3)}`,
      sig.slice(0, -2),
      `${sig}00`,
      `v1=${'z'.repeat(64)}`,
    ]) {
      expect(verify({ signatureHeader })).toEqual({ ok: false, reason: 'MALFORMED' });
    }
    for (const timestampHeader of ['abc', '-5', '1.5', `${ts}x`, '1'.repeat(13)]) {
      expect(verify({ timestampHeader })).toEqual({ ok: false, reason: 'MALFORMED' });
    }
  });

  it('accepts an upper-case hex signature', () => {
    const sig = signBody(secret, ts, body);
    expect(verify({ signatureHeader: `v1=${sig.slice(3).toUpperCase()}` })).toMatchObject({ ok: true });
  });
});

describe('ReplayGuard', () => {
  it('refuses the same signature twice within the window and forgets it afterwards', () => {
    const guard = new ReplayGuard(300);
    const result = verify();
    if (!result.ok) throw new Error('expected a valid signature');
    expect(guard.accept(result.signature, result.timestamp, now)).toBe(true);
    expect(guard.accept(result.signature, result.timestamp, new Date(now.getTime() + 299_000))).toBe(false);

    const other = signBody(secret, ts, '{"ticketId":"T-2"}').slice(3);
    expect(guard.accept(other, ts, now)).toBe(true);

    const later = new Date(now.getTime() + 301_000);
    expect(guard.accept('unrelated', ts + 301, later)).toBe(true);
    expect(guard.size).toBe(1);
    // Forgotten, but by then verifySignature refuses the request as stale anyway.
    expect(verify({ now: later })).toEqual({ ok: false, reason: 'STALE' });
    expect(guard.accept(result.signature, result.timestamp, later)).toBe(true);
  });
});
