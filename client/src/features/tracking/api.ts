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
import { ClientError, errorCodeOf } from '../../lib/errors';
import { api, type Parser } from '../../lib/http';
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
  return send(`${base(id)}/rating`, 'PUT', TrackingItemResponse, JSON.stringify(body), 'application/json');
}

/** A progress report with its files, sent as multipart/form-data (the browser sets the boundary). */
export function postProgressReport(id: string, form: FormData): Promise<TrackingItemResponse> {
  return send(`${base(id)}/reports`, 'POST', TrackingItemResponse, form);
}

export function fetchDepartments(): Promise<TrackingDepartmentsResponse> {
  return api('/api/tracking/departments', TrackingDepartmentsResponse);
}

export function fetchDepartmentView(name: string): Promise<DepartmentViewResponse> {
  return api(`/api/tracking/department?name=${encodeURIComponent(name)}`, DepartmentViewResponse);
}

/** Like `api`, for the bodies it does not send (multipart) and for PUT. */
async function send<T>(
  path: string,
  method: 'POST' | 'PUT',
  parser: Parser<T>,
  body: string | FormData,
  contentType?: string,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: contentType
        ? { Accept: 'application/json', 'Content-Type': contentType }
        : { Accept: 'application/json' },
      body,
    });
  } catch {
    throw new ClientError('NETWORK');
  }
  let data: unknown = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok) {
    const code =
      errorCodeOf(data) ?? (res.status === 413 ? 'PAYLOAD_TOO_LARGE' : res.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
    throw new ClientError(code, res.status);
  }
  try {
    return parser.parse(data);
  } catch {
    throw new ClientError('BAD_RESPONSE', res.status);
  }
}
