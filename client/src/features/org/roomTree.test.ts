import type { OrgMemberView, OrgRoomView } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import { buildRoomTree, filterMembers, flattenTree, noFilter, parseTags } from './roomTree';

const room = (id: string, name: string, level: OrgRoomView['level'], parentId: string | null): OrgRoomView => ({
  id,
  name,
  level,
  parentId,
  ownerUnit: '',
});

describe('room tree', () => {
  it('nests village under town under city, and keeps rooms with a missing parent or a loop', () => {
    const rooms = [
      room('v', '上湖村', 'village', 't'),
      room('t', '开发区', 'town', 'c'),
      room('c', '海安市', 'city', null),
      room('lost', '某村', 'village', 'gone'),
      room('a', '甲', 'town', 'b'),
      room('b', '乙', 'town', 'a'),
    ];
    const tree = buildRoomTree(rooms);
    const flat = flattenTree(tree).map((n) => [n.room.id, n.depth]);
    expect(flat).toContainEqual(['c', 0]);
    expect(flat).toContainEqual(['t', 1]);
    expect(flat).toContainEqual(['v', 2]);
    expect(flat).toContainEqual(['lost', 0]);
    expect(flat.map(([id]) => id).sort()).toEqual(['a', 'b', 'c', 'lost', 't', 'v']);
    const c = tree.find((n) => n.room.id === 'c');
    expect(c?.children.map((n) => n.room.id)).toEqual(['t']);
  });
});

const member = (over: Partial<OrgMemberView>): OrgMemberView => ({
  id: 'm',
  name: '某人',
  kind: 'member',
  title: '',
  sectorId: null,
  workingGroupId: null,
  districtId: null,
  departmentId: null,
  phone: '',
  email: '',
  expertise: [],
  status: 'serving',
  canConvene: false,
  admin: false,
  deactivated: false,
  ...over,
});

describe('member filter', () => {
  it('keeps only members matching every filter set', () => {
    const list = [
      member({ id: '1', name: '陈立群', sectorId: 's1', districtId: 'd1', expertise: ['基层治理'] }),
      member({ id: '2', name: '周敏', sectorId: 's2', status: 'left' }),
      member({ id: '3', name: '吴国强', sectorId: 's1', workingGroupId: 'g1' }),
    ];
    expect(filterMembers(list, noFilter).map((m) => m.id)).toEqual(['1', '2', '3']);
    expect(filterMembers(list, { ...noFilter, sectorId: 's1' }).map((m) => m.id)).toEqual(['1', '3']);
    expect(filterMembers(list, { ...noFilter, sectorId: 's1', workingGroupId: 'g1' }).map((m) => m.id)).toEqual(['3']);
    expect(filterMembers(list, { ...noFilter, status: 'left' }).map((m) => m.id)).toEqual(['2']);
    expect(filterMembers(list, { ...noFilter, districtId: 'd1' }).map((m) => m.id)).toEqual(['1']);
    expect(filterMembers(list, { ...noFilter, text: '治理' }).map((m) => m.id)).toEqual(['1']);
  });

  it('reads tags split by Chinese or Latin commas, each once', () => {
    expect(parseTags('教育，医疗, 教育、 养老 ;')).toEqual(['教育', '医疗', '养老']);
    expect(parseTags('  ')).toEqual([]);
  });
});
