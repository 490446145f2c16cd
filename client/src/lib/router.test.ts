import { describe, expect, it } from 'vitest';
import { loginPath, matchRoute, minutesPath, safeNext } from './router';

describe('routes', () => {
  it('matches the pages', () => {
    expect(matchRoute('/')).toEqual({ name: 'lobby' });
    expect(matchRoute('/s/s-nanmen-snacks')).toEqual({ name: 'session', sessionId: 's-nanmen-snacks' });
    expect(matchRoute('/s/bad%20id')).toEqual({ name: 'notFound' });
    expect(matchRoute('/invite/aF17Onof_-x9')).toEqual({ name: 'invite', token: 'aF17Onof_-x9' });
    expect(matchRoute('/login?next=%2Fs%2Fs-1')).toEqual({ name: 'login', next: '/s/s-1' });
    expect(matchRoute('/login')).toEqual({ name: 'login', next: '/' });
    expect(matchRoute('/nope')).toEqual({ name: 'notFound' });
    expect(matchRoute('/s/s-nanmen-snacks/minutes')).toEqual({ name: 'minutes', sessionId: 's-nanmen-snacks' });
    expect(matchRoute(minutesPath('s-1'))).toEqual({ name: 'minutes', sessionId: 's-1' });
    expect(matchRoute('/s/bad%20id/minutes')).toEqual({ name: 'notFound' });
    expect(matchRoute('/s/s-1/other')).toEqual({ name: 'notFound' });
    expect(matchRoute('/minutes')).toEqual({ name: 'archive', search: '' });
    expect(matchRoute('/minutes?q=%E8%B7%AF%E7%81%AF&status=published')).toEqual({
      name: 'archive',
      search: 'q=%E8%B7%AF%E7%81%AF&status=published',
    });
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
