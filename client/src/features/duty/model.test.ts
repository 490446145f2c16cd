import { dutyKindLabels, gradeLabels, minimumLabels, proposalFeedbackLabels } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import { fileNameOf } from './api';
import { dutyZhCN } from './i18n.zh-CN';
import {
  committeeToday,
  emptyEntryForm,
  entryBody,
  gradeIsFinal,
  matchDutyPage,
  newestFirst,
  quarterChoices,
  quarterOfDate,
} from './model';

describe('pages under /duty', () => {
  it.each([
    ['/duty', '', { page: 'mine', year: null }],
    ['/duty/', 'year=2025', { page: 'mine', year: 2025 }],
    ['/duty', 'year=20x5', { page: 'mine', year: null }],
    ['/duty/review', '', { page: 'review' }],
    ['/duty/import', '', { page: 'import' }],
    ['/duty/bulletin', 'quarter=2026-Q3', { page: 'bulletin', quarter: '2026-Q3' }],
    ['/duty/bulletin', 'quarter=2026-Q5', { page: 'bulletin', quarter: null }],
    ['/duty/assessment', 'year=2026', { page: 'assessment', year: 2026 }],
    ['/duty/members/m-zhou-min', 'year=2026', { page: 'member', memberId: 'm-zhou-min', year: 2026 }],
    ['/duty/members/%E0%A4%A', '', { page: 'notFound' }],
    ['/duty/nowhere', '', { page: 'notFound' }],
  ])('%s?%s', (path, search, page) => {
    expect(matchDutyPage(path, search)).toEqual(page);
  });
});

describe('committee time and quarters', () => {
  it('reads the date in China, not on the device', () => {
    // 20:00 UTC on 31 March is already 1 April in Beijing.
    expect(committeeToday(new Date('2026-03-31T20:00:00Z'))).toBe('2026-04-01');
  });
  it('offers quarters up to the current one, newest first', () => {
    expect(quarterOfDate('2026-11-27')).toBe('2026-Q4');
    expect(quarterChoices('2026-05-02', 1)).toEqual(['2026-Q2', '2026-Q1', '2025-Q4', '2025-Q3', '2025-Q2', '2025-Q1']);
  });
});

describe('the entry form', () => {
  const today = '2026-11-27';
  it('names every field that is wrong, kind first', () => {
    const res = entryBody({ ...emptyEntryForm(today), link: 'ftp://x', date: '2026-12-01' }, today);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.fields.sort()).toEqual(['date', 'kind', 'link', 'text', 'title']);
  });
  it('builds the body the contract accepts, empty optional fields as null', () => {
    const res = entryBody(
      { kind: 'research', date: today, title: ' 调研 ', text: '走访三个村', link: '', attachmentName: ' ' },
      today,
    );
    expect(res).toEqual({
      ok: true,
      body: {
        kind: 'research',
        date: today,
        title: ' 调研 ',
        evidence: { text: '走访三个村', link: null, attachmentName: null },
      },
    });
  });
  it('names the member when staff enter a record', () => {
    const res = entryBody(
      { kind: 'absence', date: today, title: '缺席', text: '未请假', link: '', attachmentName: '' },
      today,
      'm-he-jun',
    );
    expect(res.ok && res.body.memberId).toBe('m-he-jun');
  });
});

describe('the ledger order', () => {
  it('puts the newest first', () => {
    const e = (id: string, date: string, title: string) => ({ id, date, title });
    expect(
      newestFirst([e('a', '2026-01-01', '甲'), e('b', '2026-03-01', '乙'), e('c', '2026-03-01', '丙')]).map(
        (x) => x.id,
      ),
    ).toEqual(['c', 'b', 'a']);
  });
});

describe('download names', () => {
  it('prefers the UTF-8 name the server gives', () => {
    expect(
      fileNameOf(
        `attachment; filename="bulletin.pdf"; filename*=UTF-8''${encodeURIComponent('2026年第4季度履职通报.pdf')}`,
        'x.pdf',
      ),
    ).toBe('2026年第4季度履职通报.pdf');
    expect(fileNameOf('attachment; filename="bulletin.xlsx"', 'x')).toBe('bulletin.xlsx');
    expect(fileNameOf(null, 'x.pdf')).toBe('x.pdf');
  });
});

describe('the Chinese wording', () => {
  it('uses the committee’s own words from the shared rules', () => {
    expect(dutyZhCN.kind).toEqual(dutyKindLabels);
    expect(dutyZhCN.minimum).toEqual(minimumLabels);
    expect(dutyZhCN.grade).toEqual(gradeLabels);
    expect(dutyZhCN.feedback).toEqual(proposalFeedbackLabels);
  });
});

describe('grades', () => {
  it('are final only once the year is over, in China time', () => {
    expect(gradeIsFinal(2025, '2026-01-01')).toBe(true);
    expect(gradeIsFinal(2026, '2026-12-31')).toBe(false);
    expect(gradeIsFinal(2027, '2026-06-01')).toBe(false);
  });
});
