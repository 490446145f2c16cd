import { describe, expect, it } from 'vitest';
import { sharedPlaces } from './TallyView';

describe('places of standings', () => {
  it('gives equal values one place and skips the places they fill', () => {
    expect(sharedPlaces([9, 7, 7, 3]).map((p) => p.place)).toEqual([1, 2, 2, 4]);
    expect(sharedPlaces([9, 7, 7, 3]).map((p) => p.tied)).toEqual([false, true, true, false]);
    expect(sharedPlaces([5, 5]).map((p) => p.place)).toEqual([1, 1]);
    expect(sharedPlaces([4, null, null]).map((p) => p.place)).toEqual([1, 2, 2]);
  });
});
