import type { DepartmentView } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import { acceptRefusalKey, departmentIdNamed, firstSeatBody, secondConvenerChoices } from './acceptance';

const cgj: DepartmentView = {
  id: 'dep-cgj',
  name: '市城市管理局',
  headId: 'o-liu',
  officials: [
    { id: 'o-an', name: '安平', title: '科员' },
    { id: 'o-liu', name: '刘建国', title: '局长' },
    { id: 'o-qian', name: '钱峰', title: '副局长' },
  ],
};
const kjj: DepartmentView = { id: 'dep-kjj', name: '市科学技术局', headId: null, officials: [] };
const departments = [cgj, kjj];

describe('second convener choices', () => {
  it('offers the department’s officials, its head first and the rest in the records’ order', () => {
    expect(secondConvenerChoices(cgj).map((o) => [o.id, o.head])).toEqual([
      ['o-liu', true],
      ['o-an', false],
      ['o-qian', false],
    ]);
  });

  it('offers nobody before a department is chosen, or for a department without officials', () => {
    expect(secondConvenerChoices(undefined)).toEqual([]);
    expect(secondConvenerChoices(kjj)).toEqual([]);
  });
});

describe('the department a topic names', () => {
  it('is chosen by its record when the topic names one, else left to choose', () => {
    expect(departmentIdNamed(departments, '市城市管理局')).toBe('dep-cgj');
    expect(departmentIdNamed(departments, ' 市科学技术局 ')).toBe('dep-kjj');
    expect(departmentIdNamed(departments, '市排水管理处')).toBe('');
    expect(departmentIdNamed(departments, null)).toBe('');
  });
});

describe('the first seat’s body', () => {
  it('names the department by its record’s name and the chosen official', () => {
    expect(firstSeatBody(departments, 'dep-cgj', 'o-qian')).toEqual({
      seat: 'first',
      department: '市城市管理局',
      secondConvenerId: 'o-qian',
    });
  });

  it('sends no second convener when none is chosen, or one not of this department', () => {
    expect(firstSeatBody(departments, 'dep-cgj', '')?.secondConvenerId).toBeNull();
    // Chosen under another department, then the department changed: not sent along.
    expect(firstSeatBody(departments, 'dep-kjj', 'o-liu')).toEqual({
      seat: 'first',
      department: '市科学技术局',
      secondConvenerId: null,
    });
  });

  it('is not ready until a department is chosen', () => {
    expect(firstSeatBody(departments, '', 'o-liu')).toBeNull();
    expect(firstSeatBody(departments, 'dep-gone', '')).toBeNull();
  });
});

describe('a refused acceptance, in the page’s language', () => {
  it('says what the refusal means for this form', () => {
    expect(acceptRefusalKey('BAD_REQUEST')).toBe('topics.accept.refused.records');
    expect(acceptRefusalKey('FORBIDDEN')).toBe('topics.accept.refused.notConvener');
    expect(acceptRefusalKey('ILLEGAL_TRANSITION')).toBe('topics.accept.refused.state');
    expect(acceptRefusalKey('NETWORK')).toBe('errors.NETWORK');
  });
});
