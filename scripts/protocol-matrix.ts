// Prints the role × event matrix for docs/protocol.md (generated from shared's eventRoles).
// Run: pnpm docs:matrix
import { roleMatrixMarkdown } from '../shared/src/matrix';

console.log(roleMatrixMarkdown());
