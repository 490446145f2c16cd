import { emptyFigures, figureKeys } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import { csvCell, dashboardCsv, dashboardFileName } from './dashboard.csv';

describe('dashboard CSV', () => {
  it('quotes separators, quotes and line breaks, and defuses formulas', () => {
    expect(csvCell('上湖村协商议事室')).toBe('上湖村协商议事室');
    expect(csvCell('甲,乙')).toBe('"甲,乙"');
    expect(csvCell('说"好"')).toBe('"说""好"""');
    expect(csvCell('一\n二')).toBe('"一\n二"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell(0)).toBe('0');
  });

  it('starts with a BOM, uses CRLF, and names the room', () => {
    const totals = { ...emptyFigures(), sessions: 3, leadersDistinct: 1 };
    const csv = dashboardCsv(
      {
        from: '2026-05-01',
        to: '2026-05-31',
        level: 'village',
        room: { id: 'rv-1', name: '上湖村, 协商议事室', level: 'village' },
        totals,
        months: [{ month: '2026-05', ...totals }],
        theme: { id: 'th-防诈骗', name: '防诈骗' },
        byTheme: [
          { themeId: 'th-防诈骗', name: '防诈骗', ...totals },
          { themeId: null, name: '', ...emptyFigures() },
        ],
        byLevel: [{ level: 'village', ...totals }],
        members: { committee: 30, withoutProposal: 0, withoutSocialReport: 2 },
      },
      'zh-CN',
    );
    expect(
      csv.startsWith(
        '\uFEFF统计期间,2026-05-01,2026-05-31\r\n层级,村（社区）级\r\n议事室,"上湖村, 协商议事室"\r\n专题,防诈骗\r\n委员人数,30\r\n未提交提案的委员,0\r\n未报送社情民意信息的委员,2\r\n\r\n',
      ),
    ).toBe(true);
    expect(csv).toContain(`\r\n合计,${figureKeys.map((k) => totals[k]).join(',')}\r\n\r\n专题,`);
    expect(csv).toContain(`\r\n防诈骗,${figureKeys.map((k) => totals[k]).join(',')}\r\n`);
    expect(csv).toContain(`\r\n未设专题,${figureKeys.map(() => 0).join(',')}\r\n`);
    expect(csv.endsWith(`村（社区）级,${figureKeys.map((k) => totals[k]).join(',')}\r\n`)).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(19);
    expect(
      dashboardFileName({
        from: '2026-05-01',
        to: '2026-05-31',
        level: 'all',
        room: null,
        totals,
        months: [],
        theme: null,
        byTheme: [],
        byLevel: [],
        members: { committee: 0, withoutProposal: 0, withoutSocialReport: 0 },
      }),
    ).toBe('yitang-dashboard-2026-05-01_2026-05-31-all.csv');
  });
});
