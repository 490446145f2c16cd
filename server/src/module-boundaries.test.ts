import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Each module reads another's data only through that module's functions (issue 13): a file in
 * module X may not name a model that module Y declares in its *.model.ts (`models.Member`, or
 * `const { Member } = models`). The module is the first folder under server/src.
 */
const src = path.dirname(fileURLToPath(import.meta.url));

/** Folders that are no feature module: the wiring, the demo seed and the test helpers see every model. */
const infrastructure = new Set(['db', 'seed', 'testing']);

/**
 * Models more than one module owns. The sessions module owns the session records (creating,
 * editing, RSVP) while rooms/room.model.ts declares them and the live room writes them.
 */
const sharedOwners: Record<string, string[]> = { Session: ['rooms', 'sessions'] };

/**
 * The reads still to move, by file, each with the models it may still name. This list documents
 * what remains of issue 13's "no reads of another module's collections": it may only shrink. An
 * entry a file no longer needs fails the test too, so moved reads come off the list.
 */
const stillToMove: Record<string, string[]> = {
  // None left: a new cross-module read needs a function in the owning module instead.
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}

const moduleOf = (file: string) => path.relative(src, file).split(path.sep)[0] ?? '';
const relative = (file: string) => path.relative(src, file).split(path.sep).join('/');

/** Model name → the modules that own it, from each *.model.ts's `return { A, B }` of compiled models. */
function owners(files: string[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of files.filter((f) => f.endsWith('.model.ts'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\breturn\s*\{([^}]*)\}\s*;/g)) {
      for (const name of (m[1] ?? '').split(',').map((s) => s.trim().split(':')[0]?.trim() ?? '')) {
        if (name) found.set(name, sharedOwners[name] ?? [moduleOf(file)]);
      }
    }
  }
  return found;
}

/** The model names a file takes from the model set: `models.X` and `const { X, Y } = models`. */
function modelsNamed(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(/\bmodels\??\.([A-Z]\w*)/g)) names.add(m[1] ?? '');
  for (const m of code.matchAll(/\{([^{}]*)\}\s*=\s*(?:\w+\.)?models\b/g)) {
    for (const part of (m[1] ?? '').split(',')) {
      const name = part.trim().split(':')[0]?.trim() ?? '';
      if (/^[A-Z]\w*$/.test(name)) names.add(name);
    }
  }
  return names;
}

/** Every `file: Model` where a file names a model another module owns. */
function crossReads(): string[] {
  const files = sourceFiles(src);
  const owner = owners(files);
  const reads: string[] = [];
  for (const file of files) {
    const mod = moduleOf(file);
    if (infrastructure.has(mod) || !file.slice(src.length + 1).includes(path.sep)) continue;
    for (const name of modelsNamed(readFileSync(file, 'utf8'))) {
      const by = owner.get(name);
      if (by && !by.includes(mod)) reads.push(`${relative(file)}: ${name}`);
    }
  }
  return reads.sort();
}

describe('module boundaries', () => {
  it('finds the models each module declares', () => {
    const owner = owners(sourceFiles(src));
    expect(owner.get('Member')).toEqual(['members']);
    expect(owner.get('Credential')).toEqual(['auth']);
    expect(owner.get('Session')).toEqual(['rooms', 'sessions']);
    expect(owner.get('Department')).toEqual(['org']);
  });

  it('sees both ways of naming a model', () => {
    const code = 'const a = deps.models.Member.find(); const { Room, Sector: s } = models; models?.Poll;';
    expect([...modelsNamed(code)].sort()).toEqual(['Member', 'Poll', 'Room', 'Sector']);
  });

  it("reads no other module's models except the listed ones still to move", () => {
    const allowed = new Set(Object.entries(stillToMove).flatMap(([file, names]) => names.map((n) => `${file}: ${n}`)));
    const reads = crossReads();
    expect(
      reads.filter((r) => !allowed.has(r)),
      'read through the owning module’s functions instead',
    ).toEqual([]);
    expect(
      [...allowed].filter((a) => !reads.includes(a)),
      'moved already: take these off stillToMove',
    ).toEqual([]);
  });
});
