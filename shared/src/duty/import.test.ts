import { describe, expect, it } from 'vitest';
import { validateImport } from './import';

const known = { memberIds: new Set(['m-a', 'm-b']) };
const header = ['委员编号', '类别', '日期', '标题', '说明', '链接', '附件', '承办单位', '办理答复', '委员评价'];

describe('import validation', () => {
  it('accepts good rows, by label or by code', () => {
    const { rows, problems } = validateImport(
      [
        header,
        ['m-a', '提案', '2025-03-02', '关于加强校园周边交通管理的提案', '', '', '', '市公安局', '已采纳', '满意'],
        [
          'm-b',
          'goodDeed',
          '2025-05-01',
          '为村小捐赠图书',
          '捐赠图书 300 册',
          'https://example.org/x',
          '照片.jpg',
          '',
          '',
          '',
        ],
        ['', '', '', '', '', '', '', '', '', ''],
      ],
      known,
    );
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(2);
    expect(rows[0]?.proposal).toEqual({ department: '市公安局', reply: '已采纳', feedback: 'satisfied' });
    expect(rows[1]?.evidence).toEqual({
      text: '捐赠图书 300 册',
      link: 'https://example.org/x',
      attachmentName: '照片.jpg',
    });
    expect(rows[1]?.row).toBe(3);
  });

  it('reports every problem with its row and column, and returns no rows', () => {
    const { rows, problems } = validateImport(
      [
        header,
        ['m-a', '提案', '2025-03-02', '好的一行', '', '', '', '', '', ''],
        ['m-x', '发言', '2025-02-30', '', '', 'ftp://x', '', '', '', ''],
        ['m-b', '视察', '2025-04-01', '视察', '', '', '', '', '', '满意'],
        ['m-a', '提案', '2025-03-02', '好的一行', '', '', '', '', '', ''],
      ],
      known,
    );
    expect(rows).toEqual([]);
    expect(problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [3, '委员编号', 'unknownMember'],
      [3, '类别', 'unknownKind'],
      [3, '日期', 'badDate'],
      [3, '标题', 'required'],
      [3, '链接', 'badLink'],
      [4, '委员评价', 'proposalOnly'],
      [5, null, 'duplicateInFile'],
    ]);
    expect(problems[0]?.problem).toBe('没有这个委员编号');
  });

  it('reports missing and unknown headings on row 1', () => {
    const { problems } = validateImport(
      [
        ['委员编号', '日期', '备注'],
        ['m-a', '2025-01-01', 'x'],
      ],
      known,
    );
    expect(problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [1, '备注', 'unknownColumn'],
      [1, '类别', 'missingColumn'],
      [1, '标题', 'missingColumn'],
    ]);
  });

  it('refuses a file without records', () => {
    expect(validateImport([header], known).problems[0]?.code).toBe('emptyFile');
    expect(validateImport([], known).problems[0]?.code).toBe('emptyFile');
  });
});
