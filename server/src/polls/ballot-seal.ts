import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BallotContent, PollSettings } from '@yitang/shared';

/**
 * Sealing a secret ballot: its content, encrypted with a key the database never holds, so the
 * stored ballot (one document: the voter mark and the sealed content together) says who voted
 * and never what. The key of a poll is derived from the server's ballot secret and the poll id.
 *
 * The plaintext is a fixed-size encoding of the content whose length depends only on the poll's
 * settings (one 32-bit slot per option, plus one), so the ciphertext's length does not depend
 * on the choice either. AES-256-GCM with a random 96-bit IV per ballot: two equal choices give
 * unrelated ciphertexts, and a ciphertext moved to another poll fails to open (the poll id is
 * the associated data).
 */
export class BallotSeal {
  constructor(private readonly secret: Buffer) {
    if (secret.length < 32) throw new Error('the ballot secret must be at least 32 bytes');
  }

  private key(pollId: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.secret, Buffer.from('yitang ballot seal'), Buffer.from(pollId), 32));
  }

  seal(settings: PollSettings, pollId: string, content: BallotContent): string {
    return this.encrypt(pollId, encodeBallot(settings, content));
  }

  /** Throws if the ciphertext was not sealed for this poll with this secret. */
  open(settings: PollSettings, pollId: string, sealed: string): BallotContent {
    return decodeBallot(settings, this.decrypt(pollId, sealed));
  }

  /**
   * A paper batch: its ballots one after the other, each encoded as above, so the ciphertext's
   * length says how many ballots (which is stored in the clear anyway) and nothing of what.
   */
  sealBatch(settings: PollSettings, pollId: string, contents: BallotContent[]): string {
    return this.encrypt(pollId, Buffer.concat(contents.map((c) => encodeBallot(settings, c))));
  }

  openBatch(settings: PollSettings, pollId: string, sealed: string): BallotContent[] {
    const raw = this.decrypt(pollId, sealed);
    const size = 4 * slots(settings);
    if (raw.length % size !== 0) throw new Error('a sealed paper batch of the wrong size for its poll');
    const out: BallotContent[] = [];
    for (let at = 0; at < raw.length; at += size) out.push(decodeBallot(settings, raw.subarray(at, at + size)));
    return out;
  }

  private encrypt(pollId: string, plain: Buffer): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key(pollId), iv);
    cipher.setAAD(Buffer.from(pollId));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  private decrypt(pollId: string, sealed: string): Buffer {
    const raw = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key(pollId), raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(pollId));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  }
}

const slots = (settings: PollSettings) => 1 + (settings.kind === 'yesno' ? 0 : settings.options.length);

/**
 * The content as `slots(settings)` signed 32-bit integers. Slot 0 says "not blank" (and for
 * yes/no and single, which choice); the option slots hold, per option in the settings' order:
 * multiple 1 if chosen; ranking the option's place (1-based); score the score.
 */
export function encodeBallot(settings: PollSettings, content: BallotContent): Buffer {
  const ids = settings.kind === 'yesno' ? [] : settings.options.map((o) => o.id);
  const out = Buffer.alloc(4 * slots(settings));
  const put = (slot: number, value: number) => out.writeInt32LE(value, 4 * slot);
  switch (content.kind) {
    case 'yesno':
      put(0, content.choice === 'yes' ? 1 : content.choice === 'no' ? 2 : 0);
      break;
    case 'single':
      put(0, content.optionId === null ? 0 : ids.indexOf(content.optionId) + 1);
      break;
    case 'multiple':
      put(0, content.optionIds.length > 0 ? 1 : 0);
      for (const id of content.optionIds) put(1 + ids.indexOf(id), 1);
      break;
    case 'ranking':
      put(0, content.ranking.length > 0 ? 1 : 0);
      for (const [place, id] of content.ranking.entries()) put(1 + ids.indexOf(id), place + 1);
      break;
    case 'score': {
      const entries = Object.entries(content.scores);
      put(0, entries.length > 0 ? 1 : 0);
      for (const [id, score] of entries) put(1 + ids.indexOf(id), score);
      break;
    }
  }
  return out;
}

export function decodeBallot(settings: PollSettings, raw: Buffer): BallotContent {
  if (raw.length !== 4 * slots(settings)) throw new Error('a sealed ballot of the wrong size for its poll');
  const at = (slot: number) => raw.readInt32LE(4 * slot);
  if (settings.kind === 'yesno') {
    return { kind: 'yesno', choice: at(0) === 1 ? 'yes' : at(0) === 2 ? 'no' : 'abstain' };
  }
  const ids = settings.options.map((o) => o.id);
  const filled = at(0) !== 0;
  switch (settings.kind) {
    case 'single':
      return { kind: 'single', optionId: filled ? (ids[at(0) - 1] ?? null) : null };
    case 'multiple':
      return { kind: 'multiple', optionIds: filled ? ids.filter((_, i) => at(1 + i) === 1) : [] };
    case 'ranking': {
      if (!filled) return { kind: 'ranking', ranking: [] };
      const ranking = [...ids].sort((a, b) => at(1 + ids.indexOf(a)) - at(1 + ids.indexOf(b)));
      return { kind: 'ranking', ranking };
    }
    case 'score':
      return {
        kind: 'score',
        scores: filled ? Object.fromEntries(ids.map((id, i) => [id, at(1 + i)])) : {},
      };
  }
}

/**
 * The ballot secret: `BALLOT_SECRET` when set (several nodes share it), otherwise a random one
 * generated once into `<dataDir>/ballot.key` (mode 0600). Never in the database: whoever reads
 * the database alone cannot open a sealed ballot.
 */
export async function loadBallotSecret(opts: { secret?: string | undefined; dataDir: string }): Promise<Buffer> {
  if (opts.secret) return Buffer.from(hkdfSync('sha256', opts.secret, Buffer.alloc(0), 'yitang ballot secret', 32));
  const file = path.join(opts.dataDir, 'ballot.key');
  try {
    const stored = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
    if (stored.length >= 32) return stored;
    throw new Error(`${file} holds no ballot secret; remove it only if no secret poll is open or unclosed`);
  } catch (err) {
    if (!(err instanceof Error && 'code' in err && err.code === 'ENOENT')) throw err;
  }
  await mkdir(opts.dataDir, { recursive: true });
  const secret = randomBytes(32);
  // `wx`: two processes starting at once on one data dir do not overwrite each other's key.
  try {
    await writeFile(file, `${secret.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'EEXIST') return loadBallotSecret(opts);
    throw err;
  }
  await chmod(file, 0o600);
  return secret;
}
