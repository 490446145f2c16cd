import { type DemoLoginBody, type LoginBody, MembersResponse, type MemberView, MeResponse } from '@yitang/shared';
import { api, ignoreBody } from '../../lib/http';

export async function fetchMe(): Promise<MeResponse> {
  return api('/api/auth/me', MeResponse);
}

export async function fetchMembers(): Promise<MemberView[]> {
  return (await api('/api/members', MembersResponse)).members;
}

/** The demo identities the sign-in page offers; the server has this list only while demo sign-in is on. */
export async function fetchDemoIdentities(): Promise<MemberView[]> {
  return (await api('/api/auth/demo-identities', MembersResponse)).members;
}

/** Signs in with a login name and password; the server sets the session cookie. */
export async function passwordLogin(body: LoginBody): Promise<MemberView | null> {
  return (await api('/api/auth/login', MeResponse, { method: 'POST', body })).member;
}

/** Signs in as a demo identity (only where the server offers it). */
export async function demoLogin(memberId: string): Promise<MemberView | null> {
  const body: DemoLoginBody = { memberId };
  return (await api('/api/auth/demo-login', MeResponse, { method: 'POST', body })).member;
}

export async function logout(): Promise<void> {
  await api('/api/auth/logout', ignoreBody, { method: 'POST' });
}
