import { hotlineLimits } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import { parseTicketsCsv } from './ticket';

describe('parseTicketsCsv', () => {
  it('reads a good file with English headers', () => {
    const csv = [
      'ticketId,title,description,district,reportedAt,category',
      'T-001,Bridge lights out,Dark for ten years,Riverside,2025-03-01T08:00:00Z,lighting',
      'T-002,Pothole,,Old town,2025-03-02T09:30:00+08:00,roads',
    ].join('\r\n');
    const { tickets, errors } = parseTicketsCsv(csv);
    expect(errors).toEqual([]);
    expect(tickets).toEqual([
      {
        ticketId: 'T-001',
        title: 'Bridge lights out',
        description: 'Dark for ten years',
        district: 'Riverside',
        reportedAt: '2025-03-01T08:00:00Z',
        category: 'lighting',
      },
      {
        ticketId: 'T-002',
        title: 'Pothole',
        description: '',
        district: 'Old town',
        reportedAt: '2025-03-02T09:30:00+08:00',
        category: 'roads',
      },
    ]);
  });

  it('reads Chinese headers in another order, with a BOM, as text or bytes', () => {
    const csv =
      '\uFEFF工单编号,类别,标题,受理时间,区域,内容,状态\nA1,照明,桥灯不亮,2025-03-01T08:00:00Z,滨江,十年未亮,已受理\n';
    for (const input of [csv, new TextEncoder().encode(csv)]) {
      const { tickets, errors } = parseTicketsCsv(input);
      expect(errors).toEqual([]);
      expect(tickets).toEqual([
        {
          ticketId: 'A1',
          title: '桥灯不亮',
          description: '十年未亮',
          district: '滨江',
          reportedAt: '2025-03-01T08:00:00Z',
          category: '照明',
          status: '已受理',
        },
      ]);
    }
  });

  it('keeps commas, quotes and newlines inside quoted fields', () => {
    const csv =
      'ticketId,title,description,reportedAt\n' +
      'T-1,"Lights, bridge","Line one\nLine two, with ""quotes""",2025-03-01T08:00:00Z\n' +
      'T-2,Second,,2025-03-01T08:00:00Z\n';
    const { tickets, errors } = parseTicketsCsv(csv);
    expect(errors).toEqual([]);
    expect(tickets.map((t) => [t.title, t.description, t.district])).toEqual([
      ['Lights, bridge', 'Line one\nLine two, with "quotes"', ''],
      ['Second', '', ''],
    ]);
  });

  it('reports every bad row with its number and still checks the rest', () => {
    const csv = [
      'ticketId,title,description,district,reportedAt,category',
      'T-1,Good,,,2025-03-01T08:00:00Z,',
      'T-2,,,,2025-03-01T08:00:00Z,',
      'T-3,Bad date,,,2025-13-45,',
      'T 4!,Bad id,,,2025-03-01T08:00:00Z,',
      'T-1,Duplicate,,,2025-03-01T08:00:00Z,',
      'T-6,Too few fields',
      'T-7,Also good,,,2025-03-01T08:00:00Z,',
    ].join('\n');
    const { tickets, errors } = parseTicketsCsv(csv);
    expect(errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [2, 'title', 'required'],
      [3, 'reportedAt', 'badFormat'],
      [4, 'ticketId', 'badFormat'],
      [5, 'ticketId', 'duplicateInFile'],
      [6, undefined, 'fieldCount'],
    ]);
    expect(errors[3]?.message).toContain('row 1');
    expect(tickets.map((t) => t.ticketId)).toEqual(['T-1', 'T-7']);
  });

  it('reports header problems as row 0', () => {
    expect(parseTicketsCsv('ticketId,description\nT-1,x\n').errors).toEqual([
      { row: 0, field: 'title', code: 'missingColumn', message: 'Missing column "title".' },
      { row: 0, field: 'reportedAt', code: 'missingColumn', message: 'Missing column "reportedAt".' },
    ]);
    expect(parseTicketsCsv('ticketId,工单编号,title,reportedAt\n').errors[0]).toMatchObject({
      row: 0,
      field: 'ticketId',
    });
    expect(parseTicketsCsv('').errors).toEqual([{ row: 0, code: 'emptyFile', message: 'The file is empty.' }]);
    expect(parseTicketsCsv('ticketId,title,reportedAt\n').errors).toEqual([
      { row: 0, code: 'noTickets', message: 'The file has no tickets.' },
    ]);
  });

  it('names a field that is too long', () => {
    const { errors } = parseTicketsCsv(`ticketId,title,reportedAt\nT-1,${'长'.repeat(201)},2025-03-01T08:00:00Z\n`);
    expect(errors).toMatchObject([{ row: 1, field: 'title', code: 'tooLong' }]);
  });

  it('refuses a file with more tickets than one import takes', () => {
    const rows = Array.from({ length: hotlineLimits.maxCsvTickets + 1 }, (_, i) => `T-${i},t,2025-03-01T08:00:00Z`);
    const { tickets, errors } = parseTicketsCsv(['ticketId,title,reportedAt', ...rows].join('\n'));
    expect(tickets).toEqual([]);
    expect(errors).toMatchObject([{ row: 0, code: 'tooManyTickets' }]);
  });

  it('reports broken CSV instead of throwing', () => {
    const { tickets, errors } = parseTicketsCsv('ticketId,title,reportedAt\nT-1,"unclosed,2025-03-01T08:00:00Z\n');
    expect(tickets).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.row).toBe(0);
  });
});
