import {
  type CreateProposalBody,
  type ProposalActionBody,
  ProposalListResponse,
  type ProposalListScope,
  ProposalOptionsResponse,
  type ProposalPeriod,
  ProposalPeriodResponse,
  ProposalResponse,
  ProposalStatsResponse,
} from '@yitang/shared';
import { api } from '../../lib/http';

const base = (id: string) => `/api/proposals/${encodeURIComponent(id)}`;

/** A list; `all` comes a page at a time (`cursor`: the previous page's `next`) and can be searched (`q`). */
export function fetchProposals(scope: ProposalListScope, opts: { year?: number; q?: string; cursor?: string } = {}) {
  const params = new URLSearchParams({ scope });
  if (opts.year) params.set('year', String(opts.year));
  if (opts.q) params.set('q', opts.q);
  if (opts.cursor) params.set('cursor', opts.cursor);
  return api(`/api/proposals?${params}`, ProposalListResponse);
}

export const fetchProposal = (id: string) => api(base(id), ProposalResponse);

export const createProposal = (body: CreateProposalBody) =>
  api('/api/proposals', ProposalResponse, { method: 'POST', body });

export function takeProposalAction(id: string, action: ProposalActionBody['action']): Promise<ProposalResponse> {
  const body: ProposalActionBody = { action };
  return api(`${base(id)}/actions`, ProposalResponse, { method: 'POST', body });
}

export const fetchOptions = () => api('/api/proposals/options', ProposalOptionsResponse);

export const fetchPeriod = () => api('/api/proposals/period', ProposalPeriodResponse);

export const savePeriod = (period: ProposalPeriod) =>
  api('/api/proposals/period', ProposalPeriodResponse, { method: 'PUT', body: period });

export const fetchStats = (year: number) => api(`/api/proposals/stats?year=${year}`, ProposalStatsResponse);

export const statsExportUrl = (year: number, ext: 'csv' | 'xlsx') => `/api/proposals/stats.${ext}?year=${year}`;

/** A reply (or a draft's files) as multipart/form-data; the browser sets the boundary. */
export const postReply = (id: string, form: FormData) =>
  api(`${base(id)}/replies`, ProposalResponse, { method: 'POST', body: form });
export const postFiles = (id: string, form: FormData) =>
  api(`${base(id)}/files`, ProposalResponse, { method: 'POST', body: form });
