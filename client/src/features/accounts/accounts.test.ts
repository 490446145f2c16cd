import { limits } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import { matchRoute } from '../../lib/router';
import { passwordProblem } from './PasswordFields';

const token = 'A'.repeat(43);

describe('account links', () => {
  it('the printed setup link and the links staff pass on open their pages', () => {
    expect(matchRoute(`/setup/${token}`)).toEqual({ name: 'setup', token });
    expect(matchRoute(`/activate/${token}`)).toEqual({ name: 'accountLink', token });
    expect(matchRoute(`/reset/${token}/`)).toEqual({ name: 'accountLink', token });
    expect(matchRoute('/accounts')).toEqual({ name: 'accounts' });
    expect(matchRoute('/account/password')).toEqual({ name: 'changePassword' });
    expect(matchRoute('/activate/not%20a%20token')).toEqual({ name: 'notFound' });
  });

  it('a new password is long enough and typed the same twice', () => {
    const ok = 'x'.repeat(limits.minPasswordLength);
    expect(passwordProblem(ok, ok)).toBeNull();
    expect(passwordProblem(ok.slice(1), ok.slice(1))).toBe('passwordTooShort');
    expect(passwordProblem(ok, `${ok}y`)).toBe('passwordMismatch');
  });
});
