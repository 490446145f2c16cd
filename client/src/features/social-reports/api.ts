import { type SocialReportActionBody, SocialReportListResponse, SocialReportResponse } from '@yitang/shared';
import { ClientError, errorCodeOf } from '../../lib/errors';
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
export async function submitSocialReport(form: FormData): Promise<SocialReportResponse> {
  let res: Response;
  try {
    res = await fetch('/api/social-reports', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
      body: form,
    });
  } catch {
    throw new ClientError('NETWORK');
  }
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    throw new ClientError(errorCodeOf(data) ?? (res.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST'), res.status);
  }
  try {
    return SocialReportResponse.parse(data);
  } catch {
    throw new ClientError('BAD_RESPONSE', res.status);
  }
}
