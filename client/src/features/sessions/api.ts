import {
  type AddInviteesBody,
  type CreateSessionBody,
  type InviteeRole,
  MembersResponse,
  type MemberView,
  MySessionsResponse,
  type PatchSessionBody,
  RoomsResponse,
  type RoomView,
  type RsvpBody,
  type SessionDetail,
  SessionDetailResponse,
  type SessionListItem,
  SessionsResponse,
} from '@yitang/shared';
import { api } from '../../lib/http';

const url = (id: string) => `/api/sessions/${encodeURIComponent(id)}`;
const detail = (path: string, init: { method: 'POST' | 'PATCH' | 'DELETE'; body?: unknown }) =>
  api(path, SessionDetailResponse, init).then((r) => r.session);

export async function fetchSessions(): Promise<SessionListItem[]> {
  return (await api('/api/sessions', SessionsResponse)).sessions;
}

export const fetchMySessions = () => api('/api/sessions/mine', MySessionsResponse).then((r) => r.sessions);
export const fetchSessionDetail = (id: string): Promise<SessionDetail> =>
  api(`${url(id)}/detail`, SessionDetailResponse).then((r) => r.session);
export const fetchPeople = (): Promise<MemberView[]> => api('/api/members', MembersResponse).then((r) => r.members);
export const fetchRooms = (): Promise<RoomView[]> => api('/api/rooms', RoomsResponse).then((r) => r.rooms);

export const createSession = (body: CreateSessionBody) => detail('/api/sessions', { method: 'POST', body });
export const patchSession = (id: string, body: PatchSessionBody) => detail(url(id), { method: 'PATCH', body });
export const rescheduleSession = (id: string, scheduledAt: string) =>
  detail(`${url(id)}/reschedule`, { method: 'POST', body: { scheduledAt } });
export const cancelSession = (id: string, reason: string) =>
  detail(`${url(id)}/cancel`, { method: 'POST', body: { reason } });
export const addInvitees = (id: string, body: AddInviteesBody) =>
  detail(`${url(id)}/invitees`, { method: 'POST', body });
export const setInviteeRole = (id: string, memberId: string, role: InviteeRole) =>
  detail(`${url(id)}/invitees/${encodeURIComponent(memberId)}`, { method: 'PATCH', body: { role } });
export const removeInvitee = (id: string, memberId: string) =>
  detail(`${url(id)}/invitees/${encodeURIComponent(memberId)}`, { method: 'DELETE' });
export const rsvp = (id: string, body: RsvpBody) => detail(`${url(id)}/rsvp`, { method: 'POST', body });
export const decideLeave = (id: string, memberId: string, decision: 'approved' | 'refused') =>
  detail(`${url(id)}/leave/${encodeURIComponent(memberId)}`, { method: 'POST', body: { decision } });
