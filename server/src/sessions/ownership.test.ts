import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every production source file under server/src (no tests), relative to it. */
function sources(dir = src): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(path.relative(src, full));
  }
  return out;
}

/** Where code reads model `name` itself: `models.X`, `{ …, X, … } = models`, `rawCollection(X)`. */
const readsModel = (code: string, name: string): boolean =>
  new RegExp(
    `\\.${name}\\b(?!\\s*:)|[{,]\\s*${name}\\s*(?:,|\\})[^;]*=\\s*(?:deps\\.)?models\\b|rawCollection\\(\\s*${name}\\s*\\)`,
  ).test(code);

/** The modules that own the sessions collection (sessions/, and the live room's repository) and write it (seed). */
const owners = ['sessions/', 'rooms/', 'seed/', 'db/'];

describe('each module reads another’s data through that module’s functions', () => {
  it('no module but the sessions module (and the room it runs) reads the sessions collection', () => {
    const readers = sources()
      .filter((file) => !owners.some((o) => file.startsWith(o)))
      .filter((file) => readsModel(readFileSync(path.join(src, file), 'utf8'), 'Session'));
    expect(readers).toEqual([]);
  });

  it('the topic service reads rooms and tracking items through their modules', () => {
    const topicFiles = sources().filter((file) => file.startsWith('topics/'));
    expect(topicFiles).toContain(path.join('topics', 'topic.service.ts'));
    const readers = topicFiles.flatMap((file) => {
      const code = readFileSync(path.join(src, file), 'utf8');
      return ['Room', 'TrackingItem'].filter((name) => readsModel(code, name)).map((name) => `${file}: ${name}`);
    });
    expect(readers).toEqual([]);
  });

  it('the check sees the ways a module reads a collection', () => {
    expect(readsModel('const s = await models.Session.findById(id);', 'Session')).toBe(true);
    expect(readsModel('const { Room, Session, Poll } = deps.models;', 'Session')).toBe(true);
    expect(readsModel('const {\n  Session,\n  Poll,\n} = models;', 'Session')).toBe(true);
    expect(readsModel('const sessions = rawCollection(Session);', 'Session')).toBe(true);
    expect(readsModel("models: Pick<Models, 'Session'>; const s: SessionDoc = x;", 'Session')).toBe(false);
    expect(readsModel('const { AuthSession } = models;', 'Session')).toBe(false);
  });
});
