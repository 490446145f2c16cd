import { describe, expect, it } from 'vitest';
import { mayManageAccount, StaffCreatedKind } from './accounts';

describe('mayManageAccount', () => {
  it('leaves staff accounts to the administrator and every other kind to any staff member', () => {
    for (const kind of StaffCreatedKind.options) {
      expect(mayManageAccount(kind, true)).toBe(true);
      expect(mayManageAccount(kind, false)).toBe(kind !== 'staff');
    }
  });
});
