import {
  AccountLink,
  type CreateAccountBody,
  type MemberRightsBody,
  OrgMemberView,
  OrgOverview,
  type UpdateMemberBody,
} from '@yitang/shared';
import { ClientError, errorCodeOf } from '../../lib/errors';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A refusal with the server's own words (its message names the field or the record). */
export class OrgError extends ClientError {
  constructor(
    code: ClientError['code'],
    status: number,
    readonly detail: string,
  ) {
    super(code, status);
  }
}

/** One call to /api/org…; a refusal becomes an OrgError with the server's code and message. */
export async function orgCall(path: string, method: Method = 'GET', body?: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`/api/org${path}`, {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { Accept: 'application/json' }
          : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ClientError('NETWORK');
  }
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const message = (data as { error?: { message?: unknown } } | null)?.error?.message;
    const code = errorCodeOf(data) ?? (res.status === 403 ? 'FORBIDDEN' : 'BAD_REQUEST');
    throw new OrgError(code, res.status, typeof message === 'string' ? message : '');
  }
  return data;
}

export const fetchOverview = async (): Promise<OrgOverview> => OrgOverview.parse(await orgCall(''));

export async function fetchMembers(): Promise<OrgMemberView[]> {
  const data = (await orgCall('/members')) as { members: unknown };
  return OrgMemberView.array().parse(data.members);
}

export async function updateMember(id: string, body: UpdateMemberBody): Promise<OrgMemberView> {
  const data = (await orgCall(`/members/${encodeURIComponent(id)}`, 'PATCH', body)) as { member: unknown };
  return OrgMemberView.parse(data.member);
}

export async function setRights(id: string, body: MemberRightsBody): Promise<OrgMemberView> {
  const data = (await orgCall(`/members/${encodeURIComponent(id)}/rights`, 'PUT', body)) as { member: unknown };
  return OrgMemberView.parse(data.member);
}

/** A new member is a new account: the answer carries its one-time activation link. */
export async function createMember(body: CreateAccountBody): Promise<AccountLink> {
  return AccountLink.parse(await orgCall('/members', 'POST', body));
}
