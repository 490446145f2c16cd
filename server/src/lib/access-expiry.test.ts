/**
 * AccessExpiry's timer callback is async: a close() that throws must be logged, not become an
 * unhandled rejection (which ends a Node process). Waits on the log line, never on time.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { AccessExpiry } from './access-expiry';

describe('AccessExpiry', () => {
  it('logs a close() that throws instead of leaving an unhandled rejection', async () => {
    let logged: (line: string) => void = () => undefined;
    const errorLine = new Promise<string>((resolve) => {
      logged = resolve;
    });
    const logger = pino(
      { level: 'error' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          logged(chunk.toString());
          done();
        },
      }),
    );
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const expiry = new AccessExpiry(async () => null, logger);
      // Access already ended: the timer fires at once, finds no access and closes.
      expiry.watch('token', Date.now() - 1, () => {
        throw new Error('close broke');
      });
      expect(await errorLine).toContain('closing an expired connection failed');
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
