import { limits } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import {
  archiveApiPath,
  archivePagePath,
  archiveSearch,
  filtersFromSearch,
  filtersProblem,
  hasFilters,
  highlightSegments,
  noFilters,
} from './archiveQuery';

describe('archive query building', () => {
  it('leaves out empty filters', () => {
    expect(archiveSearch(noFilters)).toBe('');
    expect(archiveApiPath(noFilters)).toBe('/api/minutes/archive');
    expect(archivePagePath(noFilters)).toBe('/minutes');
    expect(hasFilters({ ...noFilters, q: '   ' })).toBe(false);
  });

  it('sends every filter the server knows, with Chinese phrases encoded whole', () => {
    const search = archiveSearch({
      q: '  路灯 修复 ',
      from: '2025-01-01',
      to: '2025-12-31',
      roomId: 'r-haibin',
      status: 'published',
    });
    const params = new URLSearchParams(search);
    expect(params.get('q')).toBe('路灯 修复');
    expect(params.get('from')).toBe('2025-01-01');
    expect(params.get('to')).toBe('2025-12-31');
    expect(params.get('roomId')).toBe('r-haibin');
    expect(params.get('status')).toBe('published');
    expect(search).toContain('q=%E8%B7%AF%E7%81%AF');
    expect(archiveApiPath({ ...noFilters, q: '摊位' })).toBe('/api/minutes/archive?q=%E6%91%8A%E4%BD%8D');
  });

  it('drops what the server would refuse', () => {
    const params = new URLSearchParams(
      archiveSearch({ q: '', from: '2025-02-30', to: '20250101', roomId: 'bad id', status: '' }),
    );
    expect([...params.keys()]).toEqual([]);
  });

  it('cuts the search text to the limit by characters, not bytes', () => {
    const long = '协'.repeat(limits.maxSearchLength + 5);
    expect(new URLSearchParams(archiveSearch({ ...noFilters, q: long })).get('q')).toBe(
      '协'.repeat(limits.maxSearchLength),
    );
  });

  it('reads the filters back from the page address', () => {
    const filters = { q: '有事好商量', from: '2025-03-01', to: '', roomId: 'r-1', status: 'inReview' as const };
    expect(filtersFromSearch(`?${archiveSearch(filters)}`)).toEqual(filters);
    expect(filtersFromSearch('status=nope&from=x')).toEqual(noFilters);
  });

  it('refuses a start date after the end date', () => {
    expect(filtersProblem({ ...noFilters, from: '2025-05-02', to: '2025-05-01' })).toBe('dateOrder');
    expect(filtersProblem({ ...noFilters, from: '2025-05-01', to: '2025-05-01' })).toBeNull();
    expect(filtersProblem({ ...noFilters, from: '2025-05-02' })).toBeNull();
  });
});

describe('search hit highlighting', () => {
  const hits = (text: string, q: string) =>
    highlightSegments(text, q)
      .filter((s) => s.hit)
      .map((s) => s.text);

  it('marks a Chinese phrase wherever it occurs', () => {
    const segments = highlightSegments('建议修复桥上路灯，路灯已坏十年。', '路灯');
    expect(segments.map((s) => s.text).join('')).toBe('建议修复桥上路灯，路灯已坏十年。');
    expect(hits('建议修复桥上路灯，路灯已坏十年。', '路灯')).toEqual(['路灯', '路灯']);
  });

  it('marks each word of a spaced query, the whole phrase first', () => {
    expect(hits('设置临时摊位区，规范摊位管理', '摊位 管理')).toEqual(['摊位', '摊位', '管理']);
    expect(hits('Street Lights and lights', 'lights')).toEqual(['Lights', 'lights']);
  });

  it('treats regular-expression characters literally', () => {
    expect(hits('a.b (c) a*b', 'a.b')).toEqual(['a.b']);
    expect(hits('(c)', '(c)')).toEqual(['(c)']);
  });

  it('returns the text unmarked without a query', () => {
    expect(highlightSegments('纪要', '  ')).toEqual([{ text: '纪要', hit: false }]);
    expect(highlightSegments('', '纪要')).toEqual([]);
  });
});
