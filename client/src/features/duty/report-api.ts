import {
  type ChangeDutyReportRoundBody,
  DutyReportPublishResponse,
  DutyReportResponse,
  DutyReportRoundView,
  DutyReportView,
  MemberBulletinResponse,
  MembersResponse,
  type OpenDutyReportRoundBody,
} from '@yitang/shared';
import { api, field, ignoreBody } from '../../lib/http';

const base = '/api/duty-reports';

export const fetchDutyReport = (year: number) => api(`${base}/${year}`, DutyReportResponse);

export const openDutyReportRound = (body: OpenDutyReportRoundBody) =>
  api(base, field('round', DutyReportRoundView), { method: 'POST', body });

export const changeDutyReportRound = (year: number, body: ChangeDutyReportRoundBody) =>
  api(`${base}/${year}`, field('round', DutyReportRoundView), { method: 'PATCH', body });

export const submitDutyReportText = (year: number, text: string) =>
  api(`${base}/${year}/report`, field('report', DutyReportView), { method: 'POST', body: { text } });

/** The report as a file: multipart/form-data under `files` (the browser sets the boundary). */
export function uploadDutyReport(year: number, form: FormData): Promise<DutyReportView> {
  return api(`${base}/${year}/report`, field('report', DutyReportView), { method: 'POST', body: form });
}

export const dutyReportFilePath = (year: number, memberId: string) =>
  `${base}/${year}/reports/${encodeURIComponent(memberId)}/file`;

export const scoreDutyReport = (year: number, memberId: string, scores: Record<string, number>) =>
  api(`${base}/${year}/scores/${encodeURIComponent(memberId)}`, ignoreBody, { method: 'POST', body: { scores } });

export const publishDutyReports = (year: number) =>
  api(`${base}/${year}/publish`, DutyReportPublishResponse, { method: 'POST', body: {} });

export const fetchPeople = () => api('/api/members', MembersResponse);

export function fetchMyBulletin(year: number, memberId?: string): Promise<MemberBulletinResponse> {
  const q = new URLSearchParams({ year: String(year) });
  if (memberId) q.set('memberId', memberId);
  return api(`/api/duty/bulletin/mine?${q.toString()}`, MemberBulletinResponse);
}
