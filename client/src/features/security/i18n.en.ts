import type { securityZhCN } from './i18n.zh-CN';

/** The staff security page in English; the same shape as i18n.zh-CN.ts. */
export const securityEn: typeof securityZhCN = {
  nav: 'Security',
  title: 'Security and audit',
  intro:
    'Sign-ins, role and membership changes, polls, check-ins, minutes approval and duty records go to a tamper-evident audit log (each entry carries the hash of the one before).',
  failures: {
    title: 'Recent failed sign-ins',
    empty: 'No failed sign-ins.',
    at: 'Time',
    username: 'Login name',
    address: 'Address',
    reason: 'Reason',
    badCredentials: 'Wrong name or password',
    rateLimited: 'Too many tries; locked for now',
  },
  audit: {
    title: 'Audit log',
    filters: 'Filters',
    action: 'Action',
    actor: 'Actor id',
    target: 'Target',
    apply: 'Filter',
    clear: 'Clear',
    empty: 'No matching entries.',
    seq: 'No.',
    at: 'Time',
    details: 'Details',
    hash: 'Hash',
    system: 'System',
    more: 'Load older entries',
  },
};
