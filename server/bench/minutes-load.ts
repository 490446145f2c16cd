import { randomInt } from 'node:crypto';
import { limits } from '@yitang/shared';
import type { Connection } from 'mongoose';
import * as Y from 'yjs';
import { createModels, ensureIndexes } from '../src/db/models';
import { createMinutesStore } from '../src/minutes/minutes.store';
import { medianMs, report } from './report';

/**
 * A long editing trace (typing, with deletions and jumps, one update per keystroke) written
 * through our update log with compaction, beside one merged update of the same document.
 * Stored size: our snapshot + remaining log vs the merged update. Cold load: our load from
 * the database into a fresh document vs one Y.applyUpdate of the merged update in memory.
 */
export async function minutesLoad(conn: Connection, opts: { operations: number }): Promise<void> {
  const models = createModels(conn);
  await ensureIndexes(models);
  const store = createMinutesStore(models);
  const docName = `bench:minutes-load:${Date.now()}`;

  const author = new Y.Doc();
  const text = author.getText('t');
  const updates: Uint8Array[] = [];
  author.on('update', (u: Uint8Array) => updates.push(u));
  const words = '与会委员围绕占道经营油烟污染卫生保洁提出建议责任部门限期整改';
  for (let i = 0; i < opts.operations; i += 1) {
    const len = text.length;
    if (len > 20 && randomInt(10) === 0) text.delete(randomInt(len - 5), randomInt(1, 5));
    else {
      const at = randomInt(10) === 0 && len > 0 ? randomInt(len) : len;
      text.insert(at, words[i % words.length] ?? '。');
    }
  }

  // Our write path: append each update, compact every `minutesCompactAfterUpdates`, and once at the end.
  let seq = 0;
  const mirror = new Y.Doc();
  for (const u of updates) {
    seq += 1;
    await store.append(docName, seq, u);
    Y.applyUpdate(mirror, u);
    if (seq % limits.minutesCompactAfterUpdates === 0) await store.compact(docName, Y.encodeStateAsUpdate(mirror), seq);
  }
  await store.compact(docName, Y.encodeStateAsUpdate(mirror), seq);

  const merged = Y.encodeStateAsUpdate(author);
  const stored = await store.storedBytes(docName);
  report({
    scenario: 'minutes-load',
    metric: `stored size after ${opts.operations} operations`,
    unit: 'bytes',
    ours: stored,
    baseline: merged.byteLength,
    target: 1.5,
  });

  const expected = text.toString();
  const ours = await medianMs(7, async () => {
    const loaded = await store.load(docName);
    const doc = new Y.Doc();
    doc.transact(() => {
      for (const part of loaded.parts) Y.applyUpdate(doc, part);
    });
    if (doc.getText('t').length !== expected.length) throw new Error('load lost text');
  });
  const baseline = await medianMs(7, async () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, merged);
    if (doc.getText('t').length !== expected.length) throw new Error('apply lost text');
  });
  report({
    scenario: 'minutes-load',
    metric: `cold load after ${opts.operations} operations (median of 7)`,
    unit: 'ms',
    ours,
    baseline,
    target: 2,
  });
  await models.MinutesUpdate.deleteMany({ doc: docName });
  await models.MinutesSnapshot.deleteOne({ _id: docName });
}
