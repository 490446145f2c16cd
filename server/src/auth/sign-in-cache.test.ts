import type { MemberView } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import { SignInCache } from './sign-in-cache';

const signIn = (memberId: string) => ({ memberId, createdAt: 1, expiresAt: 2, lastSeenAt: 1 });
const view = (id: string, name: string) => ({ id, name }) as MemberView;

/** A cache whose outside write counts and clock the test moves by hand. */
function cacheWithCounts(max?: number) {
  const counts = { signIns: 0, views: 0 };
  const clock = { now: 1_000 };
  const cache = new SignInCache(
    { signIns: () => counts.signIns, views: () => counts.views },
    { max, trustMs: 100, now: () => clock.now },
  );
  return { cache, counts, clock };
}

describe('SignInCache', () => {
  it('does not let a read begun before a sign-out put that sign-in back', () => {
    const { cache } = cacheWithCounts();
    const read = cache.mark();
    cache.forgetMember('m1');
    cache.put('h1', signIn('m1'), read);
    expect(cache.get('h1')).toBeUndefined();
    cache.put('h1', signIn('m1'), cache.mark());
    expect(cache.get('h1')?.memberId).toBe('m1');
  });

  it('forgets every sign-in of a member but the one kept', () => {
    const { cache } = cacheWithCounts();
    cache.put('h1', signIn('m1'));
    cache.put('h2', signIn('m1'));
    cache.put('h3', signIn('m2'));
    cache.forgetMember('m1', 'h2');
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.get('h2')).toBeDefined();
    expect(cache.get('h3')).toBeDefined();
  });

  it('trusts nothing it copied before a write it did not make, nor a read begun before one', () => {
    const { cache, counts } = cacheWithCounts();
    cache.put('h1', signIn('m1'));
    cache.putView(view('m1', '甲'));
    const read = cache.mark();
    counts.signIns += 1;
    counts.views += 1;
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.view('m1')).toBeUndefined();
    cache.putView(view('m1', '旧'), read);
    expect(cache.view('m1')).toBeUndefined();
    cache.putView(view('m1', '新'));
    expect(cache.view('m1')?.name).toBe('新');
  });

  it('drops the member views another node wrote, and everything when notices were missed', () => {
    const { cache } = cacheWithCounts();
    cache.put('h1', signIn('m1'));
    cache.putView(view('m1', '甲'));
    const read = cache.mark();
    cache.forgetViews();
    expect(cache.view('m1')).toBeUndefined();
    cache.putView(view('m1', '甲'), read);
    expect(cache.view('m1')).toBeUndefined();
    expect(cache.get('h1')).toBeDefined();
    cache.clear();
    expect(cache.get('h1')).toBeUndefined();
  });

  it('keeps at most its limit, the oldest put going first', () => {
    const { cache } = cacheWithCounts(2);
    cache.put('h1', signIn('m1'));
    cache.put('h2', signIn('m2'));
    cache.put('h3', signIn('m3'));
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.get('h3')).toBeDefined();
    // Forgetting m1 later must not touch what replaced it.
    cache.forgetMember('m1');
    expect(cache.get('h2')).toBeDefined();
  });

  it('moves the idle clock of a copy forward only', () => {
    const { cache } = cacheWithCounts();
    cache.put('h1', { ...signIn('m1'), lastSeenAt: 50 });
    cache.touched('h1', 40);
    expect(cache.get('h1')?.lastSeenAt).toBe(50);
    cache.touched('h1', 60);
    expect(cache.get('h1')?.lastSeenAt).toBe(60);
  });

  it("spoils only the reads of what it forgot: an unknown cookie or another member's sign-out leaves a read alone", () => {
    const { cache } = cacheWithCounts();
    const read = cache.mark();
    cache.forget('unknown');
    cache.forgetMember('m2');
    expect(cache.put('h1', signIn('m1'), read)).toBe(true);
    expect(cache.put('h2', signIn('m2'), read)).toBe(false);
    expect(cache.put('unknown', signIn('m3'), read)).toBe(false);
  });

  it('trusts a copy for a while only, then reads again; nor takes a read that old', () => {
    const { cache, clock } = cacheWithCounts();
    cache.put('h1', signIn('m1'));
    cache.putView(view('m1', '甲'));
    clock.now += 100;
    expect(cache.get('h1')).toBeDefined();
    expect(cache.view('m1')).toBeDefined();
    const read = cache.mark();
    clock.now += 1;
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.view('m1')).toBeUndefined();
    clock.now += 100;
    expect(cache.put('h1', signIn('m1'), read)).toBe(false);
  });
});
