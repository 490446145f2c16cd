import { describe, expect, it } from 'vitest';
import { matchProposalPage, proposalPath } from './model';

describe('proposal pages', () => {
  it.each([
    ['/proposals', '', { page: 'list', scope: 'mine' }],
    ['/proposals/', 'scope=review', { page: 'list', scope: 'review' }],
    ['/proposals', 'scope=supervised', { page: 'list', scope: 'supervised' }],
    ['/proposals', 'scope=everything', { page: 'list', scope: 'mine' }],
    ['/proposals/new', '', { page: 'new' }],
    ['/proposals/stats', '', { page: 'stats' }],
    ['/proposals/pp-1a2b3c4d', '', { page: 'item', id: 'pp-1a2b3c4d' }],
    ['/proposals/%E0%A4%A', '', { page: 'none' }],
    ['/proposals/a/b', '', { page: 'none' }],
  ] as const)('%s?%s', (path, search, page) => {
    expect(matchProposalPage(path, search)).toEqual(page);
  });

  it('links to a proposal by its id', () => {
    expect(matchProposalPage(proposalPath('pp-x y'), '')).toEqual({ page: 'item', id: 'pp-x y' });
  });
});
