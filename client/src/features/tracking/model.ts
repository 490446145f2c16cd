import { attachmentContentTypes, TrackingSourceKind, TrackingStatus, trackingLimits } from '@yitang/shared';

/** The list page's filters; they ride in the address so a filtered list can be shared. */
export interface TrackingFilters {
  status: TrackingStatus | null;
  department: string | null;
  overdue: boolean;
  /** Where the items come from (an outcome, a proposal, a finding…); absent: every kind. */
  kind?: TrackingSourceKind | null;
}

export const trackingListPath = '/tracking';
export const trackingItemPath = (id: string) => `/tracking/${encodeURIComponent(id)}`;
export const departmentPath = (name?: string) =>
  name ? `/department?name=${encodeURIComponent(name)}` : '/department';

/** Reads the filters from a query string; anything unreadable is ignored, not an error. */
export function parseTrackingFilters(search: string): TrackingFilters {
  const q = new URLSearchParams(search);
  const status = TrackingStatus.safeParse(q.get('status'));
  const kind = TrackingSourceKind.safeParse(q.get('kind'));
  const department = q.get('department')?.trim() ?? '';
  return {
    status: status.success ? status.data : null,
    department: department === '' ? null : department.slice(0, 80),
    overdue: q.get('overdue') === 'true',
    ...(kind.success ? { kind: kind.data } : {}),
  };
}

function query(filters: TrackingFilters): URLSearchParams {
  const q = new URLSearchParams();
  if (filters.status) q.set('status', filters.status);
  if (filters.department) q.set('department', filters.department);
  if (filters.overdue) q.set('overdue', 'true');
  if (filters.kind) q.set('kind', filters.kind);
  return q;
}

/** The page's address for these filters. */
export function trackingListHref(filters: TrackingFilters): string {
  const s = query(filters).toString();
  return s ? `${trackingListPath}?${s}` : trackingListPath;
}

/** The REST query for these filters (the same names as the page's). */
export function trackingApiQuery(filters: TrackingFilters): string {
  const s = query(filters).toString();
  return s ? `?${s}` : '';
}

/** Which of the tracking pages a path is. */
export type TrackingPage =
  | { page: 'list'; filters: TrackingFilters }
  | { page: 'item'; id: string }
  | { page: 'department'; name: string | null }
  | { page: 'none' };

export function matchTrackingPage(path: string, search: string): TrackingPage {
  if (path === trackingListPath || path === `${trackingListPath}/`) {
    return { page: 'list', filters: parseTrackingFilters(search) };
  }
  if (path === '/department' || path === '/department/') {
    const name = new URLSearchParams(search).get('name')?.trim() ?? '';
    return { page: 'department', name: name === '' ? null : name };
  }
  const item = /^\/tracking\/([^/]{1,200})\/?$/.exec(path);
  if (item?.[1] !== undefined) {
    try {
      const id = decodeURIComponent(item[1]);
      if (id.length >= 1 && id.length <= 64) return { page: 'item', id };
    } catch {
      // An undecodable id is no page.
    }
  }
  return { page: 'none' };
}

/** A file's size as people read it: 820 B, 14 KB, 3.2 MB. */
export function fileSizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}

export type FileProblem =
  | { kind: 'tooMany'; count: number }
  | { kind: 'tooLarge'; name: string }
  | { kind: 'badType'; name: string };

/** What is wrong with the chosen files before they are sent (the server checks the same). */
export function checkReportFiles(
  files: ReadonlyArray<{ name: string; size: number; type: string }>,
): FileProblem | null {
  if (files.length > trackingLimits.maxAttachmentsPerReport) {
    return { kind: 'tooMany', count: trackingLimits.maxAttachmentsPerReport };
  }
  for (const f of files) {
    if (f.size > trackingLimits.maxAttachmentBytes) return { kind: 'tooLarge', name: f.name };
    if (!(attachmentContentTypes as readonly string[]).includes(f.type)) return { kind: 'badType', name: f.name };
  }
  return null;
}

/** The `accept` attribute of the file input. */
export const attachmentAccept = attachmentContentTypes.join(',');
