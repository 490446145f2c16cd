import { hkdfSync } from 'node:crypto';

/**
 * One key per purpose, all from the server's secret (polls/ballot-seal.ts `loadBallotSecret`:
 * BALLOT_SECRET or the key file in the data dir, never the database). Separate HKDF labels keep
 * a key that leaks through one use (say a hall code brute-forced) from opening another.
 */
export type ServerKeyPurpose = 'hall code' | 'audit chain' | 'screen link';

export function serverSubkey(secret: Buffer, purpose: ServerKeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `yitang ${purpose}`, 32));
}
