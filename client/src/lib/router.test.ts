import { describe, expect, it } from 'vitest';
import { loginPath, matchRoute, safeNext } from './router';

describe('routes', () => {
  it('matches the pages', () => {
    expect(matchRoute('/')).toEqual({ name: 'lobby' });
    expect(matchRoute('/s/s-nanmen-snacks')).toEqual({ name: 'session', sessionId: 's-nanmen-snacks' });
    expect(matchRoute('/s/bad%20id')).toEqual({ name: 'notFound' });
    expect(matchRoute('/invite/aF17Onof_-x9')).toEqual({ name: 'invite', token: 'aF17Onof_-x9' });
    expect(matchRoute('/login?next=%2Fs%2Fs-1')).toEqual({ name: 'login', next: '/s/s-1' });
    expect(matchRoute('/login')).toEqual({ name: 'login', next: '/' });
    expect(matchRoute('/nope')).toEqual({ name: 'notFound' });
  });

  it('only follows a sign-in to a path on this site', () => {
    expect(safeNext('/s/x')).toBe('/s/x');
    expect(safeNext('//evil.example/x')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext(null)).toBe('/');
    expect(matchRoute(loginPath('/s/s-1'))).toEqual({ name: 'login', next: '/s/s-1' });
  });
});
