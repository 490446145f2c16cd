import { trackingLimits } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import {
  checkReportFiles,
  fileSizeText,
  matchTrackingPage,
  parseTrackingFilters,
  trackingApiQuery,
  trackingListHref,
} from './model';

describe('tracking filters in the address', () => {
  it('round-trips', () => {
    const filters = { status: 'inProgress' as const, department: '市市场监督管理局', overdue: true };
    const href = trackingListHref(filters);
    expect(parseTrackingFilters(href.slice(href.indexOf('?')))).toEqual(filters);
    expect(trackingApiQuery(filters)).toBe(href.slice(href.indexOf('?')));
  });

  it('ignores what it cannot read', () => {
    expect(parseTrackingFilters('?status=done&overdue=yes&department=%20')).toEqual({
      status: null,
      department: null,
      overdue: false,
    });
    expect(trackingListHref({ status: null, department: null, overdue: false })).toBe('/tracking');
  });
});

describe('tracking pages', () => {
  it('matches the list, an item and the department view', () => {
    expect(matchTrackingPage('/tracking', '?overdue=true')).toMatchObject({ page: 'list', filters: { overdue: true } });
    expect(parseTrackingFilters('?kind=supervision')).toMatchObject({ kind: 'supervision' });
    expect(parseTrackingFilters('?kind=rumour')).not.toHaveProperty('kind');
    expect(trackingListHref({ status: null, department: null, overdue: false, kind: 'proposal' })).toBe(
      '/tracking?kind=proposal',
    );
    expect(matchTrackingPage('/tracking/tr-oc-1', '')).toEqual({ page: 'item', id: 'tr-oc-1' });
    expect(matchTrackingPage('/department', `?name=${encodeURIComponent('市城市管理局')}`)).toEqual({
      page: 'department',
      name: '市城市管理局',
    });
    expect(matchTrackingPage('/department', '')).toEqual({ page: 'department', name: null });
    expect(matchTrackingPage('/tracking/%E0%A4%A', '')).toEqual({ page: 'none' });
    expect(matchTrackingPage('/tracking/a/b', '')).toEqual({ page: 'none' });
  });
});

describe('report files', () => {
  const png = (name: string, size = 10) => ({ name, size, type: 'image/png' });

  it('accepts photos and documents within the limits', () => {
    expect(checkReportFiles([png('a.png'), { name: 'b.pdf', size: 5, type: 'application/pdf' }])).toBeNull();
  });

  it('names the first problem', () => {
    const many = Array.from({ length: trackingLimits.maxAttachmentsPerReport + 1 }, (_, i) => png(`${i}.png`));
    expect(checkReportFiles(many)).toEqual({ kind: 'tooMany', count: trackingLimits.maxAttachmentsPerReport });
    expect(checkReportFiles([png('big.png', trackingLimits.maxAttachmentBytes + 1)])).toEqual({
      kind: 'tooLarge',
      name: 'big.png',
    });
    expect(checkReportFiles([{ name: 'x.html', size: 3, type: 'text/html' }])).toEqual({
      kind: 'badType',
      name: 'x.html',
    });
  });

  it('writes sizes as people read them', () => {
    expect(fileSizeText(820)).toBe('820 B');
    expect(fileSizeText(14 * 1024)).toBe('14 KB');
    expect(fileSizeText(5 * 1024 * 1024)).toBe('5 MB');
    expect(fileSizeText(3.25 * 1024 * 1024)).toBe('3.3 MB');
  });
});
