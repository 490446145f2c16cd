import { ProposalListScope } from '@yitang/shared';

export const proposalsPath = '/proposals';
export const newPath = '/proposals/new';
export const statsPath = '/proposals/stats';
export const proposalPath = (id: string) => `/proposals/${encodeURIComponent(id)}`;

export type ProposalPage =
  | { page: 'list'; scope: ProposalListScope }
  | { page: 'new' }
  | { page: 'stats' }
  | { page: 'item'; id: string }
  | { page: 'none' };

const scopes: readonly ProposalListScope[] = ProposalListScope.options;

/** Which proposal page a path names: a list by scope, a new draft, statistics, one proposal. */
export function matchProposalPage(path: string, search: string): ProposalPage {
  const clean = path.replace(/\/+$/, '') || '/';
  if (clean === proposalsPath) {
    const scope = new URLSearchParams(search).get('scope');
    return { page: 'list', scope: scopes.find((s) => s === scope) ?? 'mine' };
  }
  if (clean === newPath) return { page: 'new' };
  if (clean === statsPath) return { page: 'stats' };
  const m = /^\/proposals\/([^/]+)$/.exec(clean);
  if (m?.[1]) {
    try {
      return { page: 'item', id: decodeURIComponent(m[1]) };
    } catch {
      return { page: 'none' };
    }
  }
  return { page: 'none' };
}
