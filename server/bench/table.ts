/**
 * `pnpm --silent bench … | tsx bench/table.ts`: the JSON lines of a run as the Markdown table in
 * docs/performance.md (ratio within target: yes / no).
 */
import { createInterface } from 'node:readline';
import type { Figure } from './report';

const rows: string[] = [
  '| scenario | metric | unit | ours | baseline | ratio | target | within |',
  '|---|---|---|---:|---:|---:|---:|:---:|',
];
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.startsWith('{')) continue;
  const f = JSON.parse(line) as Figure;
  const within = f.target === 0 ? f.ratio === 0 : f.ratio <= f.target;
  rows.push(
    `| ${f.scenario} | ${f.metric} | ${f.unit} | ${f.ours} | ${f.baseline} | ${f.ratio} | ${f.target} | ${within ? 'yes' : '**no**'} |`,
  );
}
console.log(rows.join('\n'));
