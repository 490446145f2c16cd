import { type SocialReportActionBody, SocialReportListResponse, SocialReportResponse } from '@yitang/shared';
import { api } from '../../lib/http';

export type SocialReportScope = 'mine' | 'queue' | 'all';

const base = (id: string) => `/api/social-reports/${encodeURIComponent(id)}`;

export const fetchSocialReports = (scope: SocialReportScope, cursor?: string) =>
  api(
    `/api/social-reports?scope=${scope}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    SocialReportListResponse,
  );

export const fetchSocialReport = (id: string) => api(base(id), SocialReportResponse);

export function takeSocialReportAction(
  id: string,
  action: SocialReportActionBody['action'],
): Promise<SocialReportResponse> {
  const body: SocialReportActionBody = { action };
  return api(`${base(id)}/actions`, SocialReportResponse, { method: 'POST', body });
}

/** A new report with its files, as multipart/form-data (the browser sets the boundary). */
export function submitSocialReport(form: FormData): Promise<SocialReportResponse> {
  return api('/api/social-reports', SocialReportResponse, { method: 'POST', body: form });
}
