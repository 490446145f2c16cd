/**
 * `tsx bench/heap-summary.ts <a.heapsnapshot> [<b.heapsnapshot>] [top]`: self size by constructor
 * name; with two snapshots, what grew from a to b (e.g. before and after a thousand joins).
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

function bySize(file: string): Map<string, { size: number; count: number }> {
  const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = s.snapshot.meta.node_fields;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const types = s.snapshot.meta.node_types[0];
  const out = new Map<string, { size: number; count: number }>();
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + typeAt] ?? 0] ?? '?';
    const name = type === 'object' || type === 'closure' ? (s.strings[s.nodes[i + nameAt] ?? 0] ?? '?') : `(${type})`;
    const key = `${type}:${name.slice(0, 60)}`;
    const e = out.get(key) ?? { size: 0, count: 0 };
    e.size += s.nodes[i + sizeAt] ?? 0;
    e.count += 1;
    out.set(key, e);
  }
  return out;
}

const args = process.argv.slice(2);
const top = Number(args.find((a) => /^\d+$/.test(a)) ?? 30);
const [a, b] = args.filter((x) => !/^\d+$/.test(x));
if (!a) throw new Error('usage: heap-summary <a.heapsnapshot> [<b.heapsnapshot>] [top]');
const first = bySize(a);
const rows = b
  ? [...bySize(b).entries()].map(
      ([k, v]) => [k, v.size - (first.get(k)?.size ?? 0), v.count - (first.get(k)?.count ?? 0)] as const,
    )
  : [...first.entries()].map(([k, v]) => [k, v.size, v.count] as const);
rows.sort((x, y) => y[1] - x[1]);
for (const [k, size, count] of rows.slice(0, top))
  console.log(`${(size / 1024).toFixed(0).padStart(8)} KB ${String(count).padStart(8)}  ${k}`);
