import { describe, expect, it } from 'vitest';
import { activitiesZhCN } from '../activities/i18n.zh-CN';
import { dutyZhCN } from './i18n.zh-CN';

/** Every string of a nested label object. */
const strings = (o: unknown): string[] =>
  typeof o === 'string' ? [o] : o && typeof o === 'object' ? Object.values(o).flatMap(strings) : [];

/*
 * 民主评议 is members appraising government departments (an activity, issue 16); the members'
 * scores of each other in the annual assessment are 民主测评. The duty pages must not call the
 * second by the first's name, as they once did.
 */
describe('the assessment’s words', () => {
  it('call members scoring each other 民主测评, and keep 民主评议 for the appraisal of departments', () => {
    const duty = strings(dutyZhCN);
    expect(duty.filter((s) => s.includes('民主评议'))).toEqual([]);
    expect(duty.filter((s) => s.includes('民主测评')).length).toBeGreaterThan(0);
    expect(strings(activitiesZhCN).some((s) => s.includes('民主评议'))).toBe(true);
  });
});
