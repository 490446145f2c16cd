import { type DemoLoginBody, MembersResponse, type MemberView, MeResponse } from '@yitang/shared';
import { api, ignoreBody } from '../../lib/http';

export async function fetchMe(): Promise<MemberView | null> {
  return (await api('/api/auth/me', MeResponse)).member;
}

export async function fetchMembers(): Promise<MemberView[]> {
  return (await api('/api/members', MembersResponse)).members;
}

/** Signs in as a demo identity; the server sets the session cookie. */
export async function demoLogin(memberId: string): Promise<MemberView | null> {
  const body: DemoLoginBody = { memberId };
  return (await api('/api/auth/demo-login', MeResponse, { method: 'POST', body })).member;
}

export async function logout(): Promise<void> {
  await api('/api/auth/logout', ignoreBody, { method: 'POST' });
}
