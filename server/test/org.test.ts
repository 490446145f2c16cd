import {
  AccountLink,
  AuditListResponse,
  DepartmentView,
  NamedView,
  OrgMemberView,
  OrgOverview,
  OrgRoomView,
  ProposeTopicResponse,
  TopicResponse,
} from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demo, signIn, startTestServer, type TestServer } from '../src/testing';

let server: TestServer;
const cookies = new Map<string, string>();
const cookieOf = async (memberId: string) => {
  let c = cookies.get(memberId);
  if (!c) {
    c = await signIn(server.url, memberId);
    cookies.set(memberId, c);
  }
  return c;
};

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

async function call(memberId: string, method: Method, path: string, body?: unknown) {
  const res = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', cookie: await cookieOf(memberId) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
const errorOf = (r: { json: Record<string, unknown> }) =>
  (r.json.error as { code?: string; message?: string } | undefined) ?? {};

const admin = demo.staffId; // 周婷, the demo's administrator
const staff = demo.recorderId; // 李娜, staff but not administrator
const member = 'm-zhou-min';
const official = 'o-liu-jianguo';

/** Creates an official through the records page and activates the account: answers its id and cookie. */
async function newOfficial(name: string, login: string, title: string, departmentId: string | null) {
  const made = await call(staff, 'POST', '/org/members', { name, kind: 'official', login, title, departmentId });
  expect(made.status).toBe(201);
  const link = AccountLink.parse(made.json);
  const res = await fetch(`${server.url}/api/accounts/links/${link.token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password: 'org-test-password-1' }),
  });
  expect(res.status).toBe(200);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  cookies.set(link.account.id, cookie);
  return link.account.id;
}

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterAll(async () => {
  await server.close();
});

describe('organisation records (/api/org)', () => {
  it('shows the demo organisation: committee term, departments with heads, rooms village → town → city', async () => {
    const r = await call(member, 'GET', '/org');
    expect(r.status).toBe(200);
    const org = OrgOverview.parse(r.json);
    expect(org.committee).toMatchObject({ id: demo.committeeId, name: '海安市政协', term: 15 });
    expect(org.departments.map((d) => [d.id, d.name, d.headId])).toEqual(
      expect.arrayContaining([
        ['dep-scjg', '市市场监督管理局', demo.secondConvenerId],
        ['dep-cgj', '市城市管理局', official],
        ['dep-kjj', '市科学技术局', 'o-zhao-ming'],
      ]),
    );
    const cgj = org.departments.find((d) => d.id === 'dep-cgj');
    expect(cgj?.officials.map((o) => o.id)).toContain(official);
    const parentOf = new Map(org.rooms.map((room) => [room.id, room.parentId]));
    const town = parentOf.get(demo.roomId) ?? '';
    const city = parentOf.get(town) ?? '';
    expect(org.rooms.find((room) => room.id === town)?.level).toBe('town');
    expect(org.rooms.find((room) => room.id === city)?.level).toBe('city');
    expect(new Set(org.leaders.map((l) => l.level))).toEqual(new Set(['city', 'town']));
    expect(org.workingGroups.length).toBeGreaterThanOrEqual(2);
    expect(org.districts.length).toBeGreaterThanOrEqual(2);
  });

  it('lets staff write records and refuses members and officials, and members’ contact details to non-staff', async () => {
    const writes: Array<[Method, string, unknown]> = [
      ['PATCH', '/org/committee', { year: 2027 }],
      ['POST', '/org/sectors', { name: '科技界' }],
      ['POST', '/org/working-groups', { name: '文史委员会', kind: 'specialCommittee' }],
      ['POST', '/org/districts', { name: '高新区政协工委' }],
      ['POST', '/org/departments', { name: '市应急管理局', headId: null }],
      ['POST', '/org/leaders', { name: '吴海燕', post: '城东镇镇长', level: 'town' }],
      ['POST', '/org/rooms', { name: '测试镇协商议事室', level: 'town', parentId: 'room-city', ownerUnit: '测试镇' }],
      ['PATCH', `/org/members/m-song-tao`, { phone: '0513-8888 1234', status: 'suspended' }],
      ['POST', '/org/members', { name: '邱平', kind: 'member', login: 'qiu-ping', sectorId: 'sec-economy' }],
    ];
    for (const [method, path, body] of writes) {
      for (const who of [member, official]) {
        const refused = await call(who, method, path, body);
        expect(refused.status, `${who} ${method} ${path}`).toBe(403);
      }
      const done = await call(staff, method, path, body);
      expect(done.status, `staff ${method} ${path}: ${JSON.stringify(done.json)}`).toBeLessThan(300);
    }
    expect((await call(member, 'GET', '/org/members')).status).toBe(403);
    const list = await call(staff, 'GET', '/org/members');
    const songTao = (list.json.members as unknown[])
      .map((m) => OrgMemberView.parse(m))
      .find((m) => m.id === 'm-song-tao');
    expect(songTao).toMatchObject({ phone: '0513-8888 1234', status: 'suspended', districtId: 'dist-kaifaqu' });
    const created = (list.json.members as unknown[]).map((m) => OrgMemberView.parse(m)).find((m) => m.name === '邱平');
    expect(created).toMatchObject({ kind: 'member', sectorId: 'sec-economy', status: 'serving' });

    // Every write is in the audit log, under the staff member who made it.
    const log = AuditListResponse.parse((await call(admin, 'GET', '/audit?action=org.sector.create')).json);
    expect(log.entries.find((e) => e.details.name === '科技界')?.actor?.id).toBe(staff);
  });

  it('leaves staff and administrator rights to the administrator alone', async () => {
    const body = { kind: 'staff', admin: false };
    expect((await call(staff, 'PUT', '/org/members/m-tang-li/rights', body)).status).toBe(403);
    expect((await call(member, 'PUT', '/org/members/m-tang-li/rights', body)).status).toBe(403);
    const granted = await call(admin, 'PUT', '/org/members/m-tang-li/rights', body);
    expect(granted.status).toBe(200);
    expect(OrgMemberView.parse(granted.json.member)).toMatchObject({ kind: 'staff', admin: false });
    // A staff account's record is the administrator's too; an administrator is staff; not oneself.
    expect((await call(staff, 'PATCH', '/org/members/m-tang-li', { phone: '123' })).status).toBe(403);
    expect(
      errorOf(await call(admin, 'PUT', '/org/members/m-tang-li/rights', { kind: 'member', admin: true })).code,
    ).toBe('BAD_REQUEST');
    expect((await call(admin, 'PUT', `/org/members/${admin}/rights`, { kind: 'staff', admin: false })).status).toBe(
      409,
    );
    expect((await call(admin, 'PUT', '/org/members/m-tang-li/rights', { kind: 'member', admin: false })).status).toBe(
      200,
    );
  });

  it('lets staff appoint a member to convene (委员召集人), audited, and take the appointment back', async () => {
    const appointee = 'm-xiao-bo';
    const proposed = await call(member, 'POST', '/topics', {
      title: '农村饮用水管网老化漏损',
      description: '群众反映',
      source: 'member',
    });
    expect(proposed.status).toBe(201);
    const topicId = ProposeTopicResponse.parse(proposed.json).topic.id;
    const takeFirst = () =>
      call(appointee, 'POST', `/topics/${topicId}/accept`, {
        seat: 'first',
        secondConvenerId: null,
        department: '市城市管理局',
      });
    expect((await takeFirst()).status).toBe(403);

    // Staff only; an official is not appointed; the flag is a boolean.
    expect((await call(member, 'PATCH', `/org/members/${appointee}`, { canConvene: true })).status).toBe(403);
    const ofOfficial = await call(staff, 'PATCH', `/org/members/${official}`, { canConvene: true });
    expect(ofOfficial.status).toBe(400);
    expect(errorOf(ofOfficial).message).toMatch(/canConvene/);
    expect((await call(staff, 'PATCH', `/org/members/${appointee}`, { canConvene: 'yes' })).status).toBe(400);

    const appointed = await call(staff, 'PATCH', `/org/members/${appointee}`, { canConvene: true });
    expect(appointed.status, JSON.stringify(appointed.json)).toBe(200);
    expect(OrgMemberView.parse(appointed.json.member).canConvene).toBe(true);
    const log = AuditListResponse.parse(
      (await call(admin, 'GET', `/audit?action=org.member.update&target=${appointee}`)).json,
    );
    expect(log.entries[0]).toMatchObject({
      actor: { id: staff },
      details: { fields: ['canConvene'], canConvene: true },
    });
    const accepted = await takeFirst();
    expect(accepted.status, JSON.stringify(accepted.json)).toBe(200);
    expect(TopicResponse.parse(accepted.json).topic.firstConvener?.id).toBe(appointee);

    // Taken back, and lost with a move to official.
    const removed = await call(staff, 'PATCH', `/org/members/${appointee}`, { canConvene: false });
    expect(OrgMemberView.parse(removed.json.member).canConvene).toBe(false);
    expect((await call(staff, 'PATCH', `/org/members/${appointee}`, { canConvene: true })).status).toBe(200);
    const moved = await call(staff, 'PATCH', `/org/members/${appointee}`, { kind: 'official' });
    expect(OrgMemberView.parse(moved.json.member)).toMatchObject({ kind: 'official', canConvene: false });
    expect((await call(staff, 'PATCH', `/org/members/${appointee}`, { kind: 'member' })).status).toBe(200);
    const list = (await call(staff, 'GET', '/org/members')).json.members as unknown[];
    expect(list.map((m) => OrgMemberView.parse(m)).find((m) => m.id === appointee)?.canConvene).toBe(false);
  });

  it('refuses bad input with a clear error', async () => {
    const bad: Array<[Method, string, unknown, number, RegExp]> = [
      ['POST', '/org/sectors', { name: '   ' }, 400, /name/],
      ['POST', '/org/sectors', { name: '中共' }, 409, /exists/],
      ['POST', '/org/sectors', { name: '工商联', extra: 1 }, 400, /extra|Unrecognized/i],
      ['PATCH', '/org/sectors/sec-minmeng', { name: '民建' }, 409, /exists/],
      ['PATCH', '/org/sectors/sec-nowhere', { name: '无党派' }, 404, /No such sector/],
      ['PUT', '/org/sectors/order', { ids: ['sec-cpc'] }, 400, /every sector/],
      ['PUT', '/org/sectors/order', { ids: ['sec-cpc', 'sec-cpc'] }, 400, /once/],
      ['POST', '/org/working-groups', { name: '提案委员会', kind: 'committee' }, 400, /kind/],
      ['PATCH', '/org/committee', { term: 0 }, 400, /term/],
      ['POST', '/org/departments', { name: '市城市管理局' }, 409, /exists/],
      ['POST', '/org/departments', { name: '市民政局', headId: 'm-ma-li' }, 400, /headId/],
      ['POST', '/org/departments', { name: '市民政局', headId: demo.secondConvenerId }, 400, /another department/],
      ['PATCH', '/org/departments/dep-cgj', { headId: 'o-zhao-ming' }, 400, /another department/],
      ['POST', '/org/leaders', { name: '钱卫东', level: 'province' }, 400, /level/],
      ['POST', '/org/leaders', { name: '钱卫东', level: 'city', memberId: 'm-nobody' }, 400, /memberId/],
      ['POST', '/org/rooms', { name: '某村议事室', level: 'village', parentId: 'room-nowhere' }, 400, /parentId/],
      ['POST', '/org/rooms', { name: '某村议事室', level: 'village', parentId: demo.roomId }, 400, /higher level/],
      ['POST', '/org/rooms', { name: '开发区协商议事室', level: 'town', parentId: null }, 409, /exists/],
      ['PATCH', '/org/members/m-feng-gang', { sectorId: 'sec-nowhere' }, 400, /sectorId/],
      ['PATCH', '/org/members/m-feng-gang', { departmentId: 'dep-cgj' }, 400, /official/],
      ['PATCH', '/org/members/m-feng-gang', { email: 'not-an-address' }, 400, /email/],
      ['PATCH', '/org/members/m-feng-gang', { phone: 'call me' }, 400, /phone/],
      ['PATCH', `/org/members/${official}`, { departmentId: 'dep-kjj' }, 409, /heads the department/],
      [
        'POST',
        '/org/members',
        { name: '某人', kind: 'member', login: 'mou-ren', districtId: 'dist-x' },
        400,
        /districtId/,
      ],
    ];
    for (const [method, path, body, status, message] of bad) {
      const r = await call(staff, method, path, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
      expect(errorOf(r).message).toMatch(message);
    }
  });

  it('reorders a list, renames a record and changes a working group’s kind', async () => {
    const before = OrgOverview.parse((await call(staff, 'GET', '/org')).json).districts.map((d) => d.id);
    const reversed = [...before].reverse();
    const after = await call(staff, 'PUT', '/org/districts/order', { ids: reversed });
    expect(after.status).toBe(200);
    expect((after.json.districts as Array<{ id: string; order: number }>).map((d) => d.id)).toEqual(reversed);
    expect((await call(staff, 'PUT', '/org/districts/order', { ids: before })).status).toBe(200);

    const renamed = await call(staff, 'PATCH', '/org/working-groups/wg-grassroots', {
      name: '基层协商委员会',
      kind: 'specialCommittee',
    });
    expect(renamed.json).toMatchObject({ id: 'wg-grassroots', name: '基层协商委员会', kind: 'specialCommittee' });
    const leader = await call(staff, 'POST', '/org/leaders', { name: '测试领导', level: 'city' });
    const id = (leader.json.leader as { id: string }).id;
    expect(id).toMatch(/^ldr-/);
    const moved = await call(staff, 'PATCH', `/org/leaders/${id}`, { level: 'town', post: '镇长' });
    expect(moved.json.leader).toMatchObject({ id, level: 'town', post: '镇长' });
    expect((await call(staff, 'DELETE', `/org/leaders/${id}`)).status).toBe(200);
    expect((await call(staff, 'DELETE', `/org/leaders/${id}`)).status).toBe(404);
  });

  it('refuses to delete a record still referenced, and deletes it once free', async () => {
    const sector = await call(staff, 'DELETE', '/org/sectors/sec-cpc');
    expect(sector.status).toBe(409);
    expect(errorOf(sector).message).toMatch(/member/);
    expect((await call(staff, 'DELETE', '/org/working-groups/wg-economy')).status).toBe(409);
    expect((await call(staff, 'DELETE', '/org/districts/dist-chengdong')).status).toBe(409);
    expect((await call(staff, 'DELETE', '/org/departments/dep-scjg')).status).toBe(409);
    const town = await call(staff, 'DELETE', '/org/rooms/room-kaifaqu');
    expect(town.status).toBe(409);
    expect(errorOf(town).message).toMatch(/under this room/);
    expect((await call(staff, 'DELETE', `/org/rooms/${demo.roomId}`)).status).toBe(409);

    const made = NamedView.parse((await call(staff, 'POST', '/org/districts', { name: '临时工委' })).json);
    expect((await call(staff, 'PATCH', '/org/members/m-yuan-mei', { districtId: made.id })).status).toBe(200);
    expect((await call(staff, 'DELETE', `/org/districts/${made.id}`)).status).toBe(409);
    expect((await call(staff, 'PATCH', '/org/members/m-yuan-mei', { districtId: null })).status).toBe(200);
    expect((await call(staff, 'DELETE', `/org/districts/${made.id}`)).status).toBe(200);
    expect((await call(staff, 'DELETE', `/org/districts/${made.id}`)).status).toBe(404);
  });

  it('keeps rooms a tree: no room above itself, levels falling from parent to child', async () => {
    const city = OrgRoomView.parse(
      (await call(staff, 'POST', '/org/rooms', { name: '测试市级议事室', level: 'city', parentId: null })).json.room,
    );
    const town = OrgRoomView.parse(
      (await call(staff, 'POST', '/org/rooms', { name: '测试镇级议事室', level: 'town', parentId: city.id })).json.room,
    );
    expect(town.parentId).toBe(city.id);
    const self = await call(staff, 'PATCH', `/org/rooms/${city.id}`, { parentId: city.id });
    expect(self.status).toBe(400);
    const cycle = await call(staff, 'PATCH', `/org/rooms/${city.id}`, { parentId: town.id });
    expect(cycle.status).toBe(400);
    expect(errorOf(cycle).message).toMatch(/parentId/);
    // The city room cannot drop to town level while a town room hangs under it.
    expect((await call(staff, 'PATCH', `/org/rooms/${city.id}`, { level: 'town' })).status).toBe(400);
    expect((await call(staff, 'DELETE', `/org/rooms/${city.id}`)).status).toBe(409);
    expect((await call(staff, 'DELETE', `/org/rooms/${town.id}`)).status).toBe(200);
    expect((await call(staff, 'DELETE', `/org/rooms/${city.id}`)).status).toBe(200);
  });

  it('gives departments their officials by record, the head among them', async () => {
    const made = await call(staff, 'POST', '/org/departments', { name: '市水务局', headId: null });
    expect(made.status).toBe(201);
    const dep = DepartmentView.parse(made.json.department);
    const headId = await newOfficial('周海', 'zhou-hai', '局长', null);
    const named = DepartmentView.parse(
      (await call(staff, 'PATCH', `/org/departments/${dep.id}`, { headId })).json.department,
    );
    expect(named).toMatchObject({ headId, officials: [{ id: headId, name: '周海' }] });
    expect((await call(staff, 'PATCH', `/org/members/${headId}`, { kind: 'member' })).status).toBe(409);
    expect((await call(staff, 'DELETE', `/org/departments/${dep.id}`)).status).toBe(409);

    // Renamed, the department keeps its old name: items that name it still reach its officials.
    const renamed = await call(staff, 'PATCH', `/org/departments/${dep.id}`, { name: '市水利局' });
    expect(renamed.status, JSON.stringify(renamed.json)).toBe(200);
    expect(DepartmentView.parse(renamed.json.department).name).toBe('市水利局');
    for (const name of ['市水务局', '市水利局']) {
      const view = await call(headId, 'GET', `/tracking/department?name=${encodeURIComponent(name)}`);
      expect(view.status, name).toBe(200);
    }
    expect((await call(staff, 'POST', '/org/departments', { name: '市水务局' })).status).toBe(409);
    expect((await call(staff, 'PATCH', '/org/departments/dep-kjj', { name: '市水务局' })).status).toBe(409);
  });

  it('lets an official of the named department take the second seat, and refuses one of another', async () => {
    const ofCgj = await newOfficial('钱峰', 'qian-feng', '副局长', 'dep-cgj');
    const propose = async (title: string) => {
      const r = await call(member, 'POST', '/topics', { title, description: '群众反映', source: 'member' });
      expect(r.status).toBe(201);
      return ProposeTopicResponse.parse(r.json).topic.id;
    };
    const accept = (id: string, secondConvenerId: string | null, department: string) =>
      call(demo.firstConvenerId, 'POST', `/topics/${id}/accept`, { seat: 'first', secondConvenerId, department });

    const id = await propose('老旧小区雨污分流改造进度缓慢');
    const wrong = await accept(id, 'o-zhao-ming', '市城市管理局');
    expect(wrong.status).toBe(400);
    expect(errorOf(wrong).message).toMatch(/secondConvenerId/);
    const unknown = await accept(id, ofCgj, '市排水管理处');
    expect(unknown.status).toBe(400);
    expect(errorOf(unknown).message).toMatch(/department/);
    const ok = await accept(id, ofCgj, '市城市管理局');
    expect(ok.status).toBe(200);
    expect(TopicResponse.parse(ok.json).topic).toMatchObject({
      department: '市城市管理局',
      secondConvener: { id: ofCgj },
    });
    const second = await call(ofCgj, 'POST', `/topics/${id}/accept`, { seat: 'second' });
    expect(second.status).toBe(200);
    expect(TopicResponse.parse(second.json).topic.state).toBe('accepted');
  });

  it('opens a department’s tracking view to its officials by record, not by the words of their title', async () => {
    // The title names the department, the record another one: refused.
    const byTitle = await newOfficial('孔亮', 'kong-liang', '市城市管理局科员', 'dep-kjj');
    const byRecord = await newOfficial('严华', 'yan-hua', '科员', 'dep-cgj');
    const view = (who: string) => call(who, 'GET', `/tracking/department?name=${encodeURIComponent('市城市管理局')}`);
    expect((await view(byTitle)).status).toBe(403);
    expect((await view(byRecord)).status).toBe(200);
    expect((await view(official)).status).toBe(200);
    expect((await view(staff)).status).toBe(200);
    expect((await view(member)).status).toBe(403);
    // Moved to the department by its record: now in.
    expect((await call(staff, 'PATCH', `/org/members/${byTitle}`, { departmentId: 'dep-cgj' })).status).toBe(200);
    expect((await view(byTitle)).status).toBe(200);
  });
});
