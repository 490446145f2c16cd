import {
  ActivityAppraisalResponse,
  ActivityCodeView,
  type ActivityFindingBody,
  ActivityListResponse,
  type ActivityRatingBody,
  type ActivityRsvpBody,
  ActivityView,
  type CreateActivityBody,
  DashboardDepartmentsResponse,
  DepartmentNamesResponse,
  MembersResponse,
} from '@yitang/shared';
import { api } from '../../lib/http';

const base = (id: string) => `/api/activities/${encodeURIComponent(id)}`;

export const fetchActivities = () => api('/api/activities', ActivityListResponse);
export const fetchActivity = (id: string) => api(base(id), ActivityView);
export const createActivity = (
  body: Partial<CreateActivityBody> & Pick<CreateActivityBody, 'kind' | 'title' | 'date' | 'place'>,
) => api('/api/activities', ActivityView, { method: 'POST', body });
export const answerActivity = (id: string, body: ActivityRsvpBody) =>
  api(`${base(id)}/rsvp`, ActivityView, { method: 'POST', body });
export const decideActivityLeave = (id: string, memberId: string, decision: 'approved' | 'refused') =>
  api(`${base(id)}/leave/${encodeURIComponent(memberId)}`, ActivityView, { method: 'POST', body: { decision } });
export const fetchActivityCode = (id: string) => api(`${base(id)}/code`, ActivityCodeView);
export const signInWithCode = (id: string, code: string) =>
  api(`${base(id)}/sign-in`, ActivityView, { method: 'POST', body: { code } });
export const signInAtDesk = (id: string, memberId: string) =>
  api(`${base(id)}/desk/${encodeURIComponent(memberId)}`, ActivityView, { method: 'POST', body: {} });
export const cancelActivity = (id: string) => api(`${base(id)}/cancel`, ActivityView, { method: 'POST', body: {} });
export const inviteMembers = (id: string, memberIds: string[]) =>
  api(`${base(id)}/invitees`, ActivityView, { method: 'POST', body: { memberIds } });
export const closeActivity = (id: string) => api(`${base(id)}/close`, ActivityView, { method: 'POST', body: {} });
export const addFinding = (id: string, body: ActivityFindingBody) =>
  api(`${base(id)}/findings`, ActivityView, { method: 'POST', body });
export const rateDepartment = (id: string, body: ActivityRatingBody) =>
  api(`${base(id)}/ratings`, ActivityView, { method: 'POST', body });
export const fetchAppraisal = (id: string) => api(`${base(id)}/appraisal`, ActivityAppraisalResponse);
export const fetchDepartmentTable = (from: string, to: string) =>
  api(
    `/api/reports/departments?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    DashboardDepartmentsResponse,
  );
export const fetchMembers = () => api('/api/members', MembersResponse);
export const fetchDepartments = () => api('/api/org/departments', DepartmentNamesResponse);

/** Materials as multipart/form-data, under `files` (the browser sets the boundary). */
export function uploadMaterials(id: string, form: FormData): Promise<ActivityView> {
  return api(`${base(id)}/materials`, ActivityView, { method: 'POST', body: form });
}
