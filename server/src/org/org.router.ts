import {
  CreateAccountBody,
  CreateDepartmentBody,
  CreateLeaderBody,
  CreateNamedBody,
  CreateRoomBody,
  CreateWorkingGroupBody,
  MemberRightsBody,
  type MemberView,
  type OrgMembersResponse,
  RenameBody,
  ReorderBody,
  UpdateCommitteeBody,
  UpdateDepartmentBody,
  UpdateLeaderBody,
  UpdateMemberBody,
  UpdateRoomBody,
  UpdateWorkingGroupBody,
} from '@yitang/shared';
import { type Request, type Response, Router } from 'express';
import type { Accounts } from '../accounts/accounts.service';
import type { Audit, AuditRecord } from '../audit';
import type { AuthService } from '../auth/auth.service';
import { AppError } from '../errors';
import { requireMember, validateBody } from '../http/middleware';
import type { OrderedKind, OrgService } from './org.service';

export interface OrgRouterDeps {
  auth: AuthService;
  org: OrgService;
  accounts: Accounts;
  audit: Audit;
}

const who = (m: MemberView) => ({ id: m.id, name: m.name });
const idOf = (req: Request) => String(req.params.id);

/**
 * REST under /api/org: the organisation's records. Committee accounts read them (pickers need
 * sectors, departments and rooms); staff write them and read members' contact details; rights
 * are the administrator's. Every write is in the audit log.
 */
export function orgRouter(deps: OrgRouterDeps): Router {
  const { org, audit } = deps;
  const r = Router();
  const signedIn = requireMember(deps.auth);

  const reader = (res: Response): MemberView => {
    const member = res.locals.member as MemberView;
    if (member.kind === 'guest') throw new AppError('FORBIDDEN', 'Guests do not see the organisation records.');
    return member;
  };
  const staffOnly = (res: Response): MemberView => {
    const member = res.locals.member as MemberView;
    if (member.kind !== 'staff') throw new AppError('FORBIDDEN', 'Only staff manage the organisation records.');
    return member;
  };
  const record = (by: MemberView, action: string, target: string, details?: AuditRecord['details']) =>
    audit.record({ actor: who(by), action: `org.${action}`, target, details });

  r.get('/org', signedIn, async (_req, res) => {
    res.json(await org.overview(reader(res)));
  });

  r.get('/org/committee', signedIn, async (_req, res) => {
    res.json({ committee: await org.committee(reader(res)) });
  });

  r.patch('/org/committee', signedIn, validateBody(UpdateCommitteeBody), async (req, res) => {
    const by = staffOnly(res);
    const committee = await org.updateCommittee(by, req.body as UpdateCommitteeBody);
    await record(by, 'committee.update', committee.id, { ...committee });
    res.json({ committee });
  });

  // Sectors, working groups and district committees: ordered lists of the committee.
  const lists: Array<{ path: string; kind: OrderedKind; one: string }> = [
    { path: 'sectors', kind: 'sectors', one: 'sector' },
    { path: 'working-groups', kind: 'workingGroups', one: 'workingGroup' },
    { path: 'districts', kind: 'districts', one: 'district' },
  ];
  for (const { path, kind, one } of lists) {
    const writes = org[kind];
    const present = async (res: Response) => ({ [kind]: (await org.overview(reader(res)))[kind] });
    r.get(`/org/${path}`, signedIn, async (_req, res) => {
      res.json(await present(res));
    });
    const createBody = kind === 'workingGroups' ? CreateWorkingGroupBody : CreateNamedBody;
    r.post(`/org/${path}`, signedIn, validateBody(createBody), async (req, res) => {
      const by = staffOnly(res);
      const body = req.body as CreateWorkingGroupBody | CreateNamedBody;
      const doc =
        kind === 'workingGroups'
          ? await org.createWorkingGroup(by, body as CreateWorkingGroupBody)
          : await writes.create(by, body.name);
      await record(by, `${one}.create`, doc._id, { name: doc.name });
      res
        .status(201)
        .json({ id: doc._id, name: doc.name, order: doc.order, ...('kind' in body ? { kind: body.kind } : {}) });
    });
    const updateBody = kind === 'workingGroups' ? UpdateWorkingGroupBody : RenameBody;
    r.patch(`/org/${path}/:id`, signedIn, validateBody(updateBody), async (req, res) => {
      const by = staffOnly(res);
      const body = req.body as UpdateWorkingGroupBody;
      const doc =
        kind === 'workingGroups'
          ? await org.updateWorkingGroup(by, idOf(req), body)
          : await writes.update(by, idOf(req), { name: body.name });
      await record(by, `${one}.update`, doc._id, { ...body });
      res.json({ id: doc._id, name: doc.name, order: doc.order, ...('kind' in doc ? { kind: doc.kind } : {}) });
    });
    r.put(`/org/${path}/order`, signedIn, validateBody(ReorderBody), async (req, res) => {
      const by = staffOnly(res);
      const { ids } = req.body as ReorderBody;
      await writes.reorder(by, ids);
      await record(by, `${one}.reorder`, ids.join(','), { ids });
      res.json(await present(res));
    });
    r.delete(`/org/${path}/:id`, signedIn, async (req, res) => {
      const by = staffOnly(res);
      await writes.remove(by, idOf(req));
      await record(by, `${one}.delete`, idOf(req));
      res.json({ ok: true });
    });
  }

  r.get('/org/departments', signedIn, async (_req, res) => {
    reader(res);
    res.json({ departments: await org.departments() });
  });
  r.get('/org/departments/:id', signedIn, async (req, res) => {
    reader(res);
    res.json({ department: await org.department(idOf(req)) });
  });
  r.post('/org/departments', signedIn, validateBody(CreateDepartmentBody), async (req, res) => {
    const by = staffOnly(res);
    const department = await org.createDepartment(req.body as CreateDepartmentBody);
    await record(by, 'department.create', department.id, { name: department.name, headId: department.headId });
    res.status(201).json({ department });
  });
  r.patch('/org/departments/:id', signedIn, validateBody(UpdateDepartmentBody), async (req, res) => {
    const by = staffOnly(res);
    const body = req.body as UpdateDepartmentBody;
    const department = await org.updateDepartment(idOf(req), body);
    await record(by, 'department.update', department.id, { ...body });
    res.json({ department });
  });
  r.delete('/org/departments/:id', signedIn, async (req, res) => {
    const by = staffOnly(res);
    await org.removeDepartment(idOf(req));
    await record(by, 'department.delete', idOf(req));
    res.json({ ok: true });
  });

  r.get('/org/leaders', signedIn, async (_req, res) => {
    reader(res);
    res.json({ leaders: await org.leaders() });
  });
  r.post('/org/leaders', signedIn, validateBody(CreateLeaderBody), async (req, res) => {
    const by = staffOnly(res);
    const leader = await org.createLeader(req.body as CreateLeaderBody);
    await record(by, 'leader.create', leader.id, { name: leader.name, level: leader.level });
    res.status(201).json({ leader });
  });
  r.patch('/org/leaders/:id', signedIn, validateBody(UpdateLeaderBody), async (req, res) => {
    const by = staffOnly(res);
    const body = req.body as UpdateLeaderBody;
    const leader = await org.updateLeader(idOf(req), body);
    await record(by, 'leader.update', leader.id, { ...body });
    res.json({ leader });
  });
  r.delete('/org/leaders/:id', signedIn, async (req, res) => {
    const by = staffOnly(res);
    await org.removeLeader(idOf(req));
    await record(by, 'leader.delete', idOf(req));
    res.json({ ok: true });
  });

  r.get('/org/rooms', signedIn, async (_req, res) => {
    reader(res);
    res.json({ rooms: await org.rooms() });
  });
  r.post('/org/rooms', signedIn, validateBody(CreateRoomBody), async (req, res) => {
    const by = staffOnly(res);
    const room = await org.createRoom(req.body as CreateRoomBody);
    await record(by, 'room.create', room.id, { name: room.name, level: room.level, parentId: room.parentId });
    res.status(201).json({ room });
  });
  r.patch('/org/rooms/:id', signedIn, validateBody(UpdateRoomBody), async (req, res) => {
    const by = staffOnly(res);
    const body = req.body as UpdateRoomBody;
    const room = await org.updateRoom(idOf(req), body);
    await record(by, 'room.update', room.id, { ...body });
    res.json({ room });
  });
  r.delete('/org/rooms/:id', signedIn, async (req, res) => {
    const by = staffOnly(res);
    await org.removeRoom(idOf(req));
    await record(by, 'room.delete', idOf(req));
    res.json({ ok: true });
  });

  r.get('/org/members', signedIn, async (_req, res) => {
    staffOnly(res);
    res.json({ members: await org.members() } satisfies OrgMembersResponse);
  });
  r.get('/org/members/:id', signedIn, async (req, res) => {
    staffOnly(res);
    res.json({ member: await org.member(idOf(req)) });
  });
  // A new member is a new account: the accounts service makes it and answers its activation link.
  r.post('/org/members', signedIn, validateBody(CreateAccountBody), async (req, res) => {
    const by = staffOnly(res);
    const link = await deps.accounts.create(req.body as CreateAccountBody, by);
    await audit.record({
      actor: who(by),
      action: 'account.create',
      target: link.account.id,
      details: { kind: link.account.kind, login: link.account.login },
    });
    res.status(201).json({ ...link, member: await org.member(link.account.id) });
  });
  r.patch('/org/members/:id', signedIn, validateBody(UpdateMemberBody), async (req, res) => {
    const by = staffOnly(res);
    const body = req.body as UpdateMemberBody;
    const member = await org.updateMember(by, idOf(req), body);
    // Contact details are personal: the log keeps which fields changed, not their values; an
    // appointment to convene is a public role, so the log keeps it.
    const details: AuditRecord['details'] = { fields: Object.keys(body) };
    if (body.canConvene !== undefined) details.canConvene = body.canConvene;
    await record(by, 'member.update', member.id, details);
    res.json({ member });
  });
  r.put('/org/members/:id/rights', signedIn, validateBody(MemberRightsBody), async (req, res) => {
    const by = staffOnly(res);
    const body = req.body as MemberRightsBody;
    const member = await org.setRights(by, idOf(req), body);
    await record(by, 'member.rights', member.id, { ...body });
    res.json({ member });
  });

  return r;
}
