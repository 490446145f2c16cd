import { limits } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import { ScreenLinks } from './screen-link';

const key = Buffer.alloc(32, 7);

describe('hall screen links', () => {
  it('open the screen of their own session until they run out, then say so', () => {
    let now = Date.parse('2026-12-06T08:00:00Z');
    const links = new ScreenLinks(key, () => now);
    const link = links.make('s-a');
    expect(Date.parse(link.expiresAt) - now).toBe(limits.screenLinkSeconds * 1000);
    expect(links.check('s-a', link.key)).toBe(Date.parse(link.expiresAt));
    now = Date.parse(link.expiresAt);
    expect(links.check('s-a', link.key)).toBe('expired');
  });

  it('open nothing else: another session, another server key, a moved expiry, garbage', () => {
    const links = new ScreenLinks(key);
    const link = links.make('s-a');
    const [expires, mac] = link.key.split('.');
    expect(links.check('s-b', link.key)).toBeNull();
    expect(new ScreenLinks(Buffer.alloc(32, 8)).check('s-a', link.key)).toBeNull();
    expect(links.check('s-a', `${Number(expires) + 1}.${mac}`)).toBeNull();
    for (const bad of ['', '.', `${expires}.`, `x.${mac}`, `${expires}.${mac}x`, `${'9'.repeat(16)}.${mac}`]) {
      expect(links.check('s-a', bad)).toBeNull();
    }
  });
});
