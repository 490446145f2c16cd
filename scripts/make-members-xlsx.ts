// Writes e2e/fixtures/members-30.xlsx: a sample member sheet for people to copy and for the tests
// (30 invented members, 4 sectors, 2 working groups, 2 district committees; the headings as the
// member import reads them). Run: pnpm --filter @yitang/server exec tsx ../scripts/make-members-xlsx.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sampleMembers, sheetXlsx } from '../server/src/org/import.sample';

const out = fileURLToPath(new URL('../e2e/fixtures/members-30.xlsx', import.meta.url));
writeFileSync(out, await sheetXlsx(sampleMembers()));
console.log(`wrote ${out}`);
