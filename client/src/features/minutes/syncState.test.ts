import { MinutesCloseCode } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en';
import { zhCN as zh } from '../../i18n/zh-CN';
import { type MinutesRefusal, refusalOf, syncState } from './syncState';

describe('refusalOf', () => {
  it.each([
    [MinutesCloseCode.documentFull, 'documentFull'],
    [MinutesCloseCode.updateTooLarge, 'updateTooLarge'],
    [MinutesCloseCode.removed, 'removed'],
    [MinutesCloseCode.signedOut, 'signedOut'],
  ] as const)('names the reason of close code %i', (code, reason) => {
    expect(refusalOf(code)).toBe(reason);
  });

  it('names none for a close the provider recovers from, or no close code', () => {
    for (const code of [
      MinutesCloseCode.shuttingDown,
      MinutesCloseCode.permissionsChanged,
      MinutesCloseCode.rateLimited,
      1006,
      undefined,
    ]) {
      expect(refusalOf(code)).toBeNull();
    }
  });

  it('has a message for every reason in both languages, Chinese first with Chinese punctuation', () => {
    const reasons: MinutesRefusal[] = ['documentFull', 'updateTooLarge', 'removed', 'signedOut'];
    for (const reason of reasons) {
      expect(zh.minutes.refusal[reason]).toMatch(/。$/);
      expect(zh.minutes.refusal[reason]).not.toMatch(/[,:;()]/);
      expect(en.minutes.refusal[reason].length).toBeGreaterThan(10);
    }
  });
});

describe('syncState', () => {
  it('says refused only when the server closed for good', () => {
    expect(syncState('refused', false, true)).toBe('refused');
    expect(syncState('offline', false, true)).toBe('offline');
  });
});
