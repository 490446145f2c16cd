import {
  AssigneeCandidatesResponse,
  DepartmentViewResponse,
  type TrackingAction,
  type TrackingActionBody,
  type TrackingAssignBody,
  type TrackingChaseBody,
  type TrackingCreateBody,
  TrackingDepartmentsResponse,
  TrackingItemResponse,
  TrackingListResponse,
  type TrackingRatingBody,
} from '@yitang/shared';
import { api } from '../../lib/http';
import { type TrackingFilters, trackingApiQuery } from './model';

const base = (id: string) => `/api/tracking/${encodeURIComponent(id)}`;

export function fetchTrackingList(filters: TrackingFilters): Promise<TrackingListResponse> {
  return api(`/api/tracking${trackingApiQuery(filters)}`, TrackingListResponse);
}

/** Staff's own item, or a supervision or inspection finding. */
export function createTrackingItem(body: TrackingCreateBody): Promise<TrackingItemResponse> {
  return api('/api/tracking', TrackingItemResponse, { method: 'POST', body });
}

export function fetchTrackingItem(id: string): Promise<TrackingItemResponse> {
  return api(base(id), TrackingItemResponse);
}

export function takeAction(id: string, action: TrackingAction, note?: string): Promise<TrackingItemResponse> {
  const body: TrackingActionBody = note ? { action, note } : { action };
  return api(`${base(id)}/actions`, TrackingItemResponse, { method: 'POST', body });
}

export function chaseItem(id: string, note: string): Promise<TrackingItemResponse> {
  const body: TrackingChaseBody = note ? { note } : {};
  return api(`${base(id)}/chase`, TrackingItemResponse, { method: 'POST', body });
}

export function fetchCandidates(id: string): Promise<AssigneeCandidatesResponse> {
  return api(`${base(id)}/candidates`, AssigneeCandidatesResponse);
}

export function assignItem(id: string, assigneeId: string): Promise<TrackingItemResponse> {
  const body: TrackingAssignBody = { assigneeId };
  return api(`${base(id)}/assignee`, TrackingItemResponse, { method: 'POST', body });
}

export function rateItem(id: string, body: TrackingRatingBody): Promise<TrackingItemResponse> {
  return api(`${base(id)}/rating`, TrackingItemResponse, { method: 'PUT', body });
}

/** A progress report with its files, sent as multipart/form-data (the browser sets the boundary). */
export function postProgressReport(id: string, form: FormData): Promise<TrackingItemResponse> {
  return api(`${base(id)}/reports`, TrackingItemResponse, { method: 'POST', body: form });
}

export function fetchDepartments(): Promise<TrackingDepartmentsResponse> {
  return api('/api/tracking/departments', TrackingDepartmentsResponse);
}

export function fetchDepartmentView(name: string): Promise<DepartmentViewResponse> {
  return api(`/api/tracking/department?name=${encodeURIComponent(name)}`, DepartmentViewResponse);
}
