import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { roleMatrixMarkdown, sessionRightsMarkdown } from './matrix';

describe('docs/protocol.md', () => {
  it('holds the role × event matrix exactly as the server enforces it', () => {
    const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
    expect(doc).toContain(roleMatrixMarkdown());
  });

  it('holds the session rights exactly as the sessions module enforces them', () => {
    const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
    expect(doc).toContain(sessionRightsMarkdown());
  });
});
