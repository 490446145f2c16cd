import { Id, limits, MinutesStatus } from '@yitang/shared';

/** The archive's filters as the form holds them; '' means "any". */
export interface ArchiveFilters {
  q: string;
  from: string;
  to: string;
  roomId: string;
  status: MinutesStatus | '';
}

export const noFilters: ArchiveFilters = { q: '', from: '', to: '', roomId: '', status: '' };

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

function validDate(value: string): string {
  const v = value.trim();
  if (!datePattern.test(v)) return '';
  // 2025-02-30 matches the pattern but is no date.
  const when = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(when.getTime()) && when.toISOString().startsWith(v) ? v : '';
}

/**
 * Filters as the server accepts them (`ArchiveQuery`): the search text trimmed, its inner runs of
 * spaces collapsed and cut to the search limit (Chinese phrases are kept whole), dates as
 * YYYY-MM-DD, a known status, a well-formed room id. Anything else is dropped, not sent.
 */
export function cleanFilters(filters: ArchiveFilters): ArchiveFilters {
  const q = Array.from(filters.q.trim().replace(/\s+/g, ' ')).slice(0, limits.maxSearchLength).join('').trim();
  const status = MinutesStatus.safeParse(filters.status);
  const roomId = Id.safeParse(filters.roomId.trim());
  return {
    q,
    from: validDate(filters.from),
    to: validDate(filters.to),
    roomId: roomId.success ? roomId.data : '',
    status: status.success ? status.data : '',
  };
}

/** The query string (without `?`) for the filters; fields left empty are left out. */
export function archiveSearch(filters: ArchiveFilters): string {
  const clean = cleanFilters(filters);
  const params = new URLSearchParams();
  for (const key of ['q', 'from', 'to', 'roomId', 'status'] as const) {
    if (clean[key] !== '') params.set(key, clean[key]);
  }
  return params.toString();
}

const withQuery = (path: string, search: string) => (search === '' ? path : `${path}?${search}`);

/** The REST path of an archive search. */
export const archiveApiPath = (filters: ArchiveFilters) => withQuery('/api/minutes/archive', archiveSearch(filters));

/** The page path showing an archive search (shareable; the back button walks through searches). */
export const archivePagePath = (filters: ArchiveFilters) => withQuery('/minutes', archiveSearch(filters));

/** Reads the filters back from a page query string (with or without the leading `?`). */
export function filtersFromSearch(search: string): ArchiveFilters {
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const statusParam = params.get('status') ?? '';
  const status = MinutesStatus.safeParse(statusParam);
  return cleanFilters({
    q: params.get('q') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    roomId: params.get('roomId') ?? '',
    status: status.success ? status.data : '',
  });
}

/** A problem to show on the form instead of searching, or null. */
export function filtersProblem(filters: ArchiveFilters): 'dateOrder' | null {
  const clean = cleanFilters(filters);
  return clean.from !== '' && clean.to !== '' && clean.from > clean.to ? 'dateOrder' : null;
}

export function hasFilters(filters: ArchiveFilters): boolean {
  return archiveSearch(filters) !== '';
}

export interface TextSegment {
  text: string;
  hit: boolean;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Splits `text` into plain and matching runs for highlighting a search: the whole phrase and each of
 * its space-separated words, case-insensitively, longest first (a Chinese phrase has no spaces, so it
 * is matched whole).
 */
export function highlightSegments(text: string, query: string): TextSegment[] {
  const phrase = query.trim();
  if (phrase === '' || text === '') return text === '' ? [] : [{ text, hit: false }];
  const terms = [...new Set([phrase, ...phrase.split(/\s+/)])]
    .filter((t) => t !== '')
    .sort((a, b) => b.length - a.length);
  const pattern = new RegExp(terms.map(escapeRegExp).join('|'), 'giu');
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const at = match.index;
    if (match[0] === '') continue;
    if (at > last) segments.push({ text: text.slice(last, at), hit: false });
    segments.push({ text: match[0], hit: true });
    last = at + match[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last), hit: false });
  return segments;
}
