import {
  AssessmentResponse,
  BulletinResponse,
  type ChangeDutyEntryBody,
  DutyEntriesResponse,
  DutyEntryResponse,
  type DutyEntryView,
  DutyImportRejected,
  DutyImportResponse,
  type DutyRatingBody,
  DutySettings,
  type DutyStatus,
  type ImportProblem,
  MemberDutyResponse,
  type Quarter,
  type ReviewDutyEntryBody,
  type SubmitDutyEntryBody,
} from '@yitang/shared';
import { ClientError, errorCodeOf } from '../../lib/errors';
import { api, field, ignoreBody } from '../../lib/http';

const base = '/api/duty';

export function fetchMyYear(year: number): Promise<MemberDutyResponse> {
  return api(`${base}/me?year=${year}`, MemberDutyResponse);
}

/** Staff: one member's year (a member asking for someone else's is refused by the server). */
export function fetchMemberYear(memberId: string, year: number): Promise<MemberDutyResponse> {
  return api(`${base}/members/${encodeURIComponent(memberId)}?year=${year}`, MemberDutyResponse);
}

export async function submitEntry(body: SubmitDutyEntryBody): Promise<DutyEntryView> {
  return (await api(`${base}/entries`, DutyEntryResponse, { method: 'POST', body })).entry;
}

export async function fetchEntries(q: { status?: DutyStatus; year?: number }): Promise<DutyEntryView[]> {
  const query = new URLSearchParams();
  if (q.status) query.set('status', q.status);
  if (q.year) query.set('year', String(q.year));
  return (await api(`${base}/entries?${query.toString()}`, DutyEntriesResponse)).entries;
}

export async function reviewEntry(id: string, body: ReviewDutyEntryBody): Promise<DutyEntryView> {
  return (await api(`${base}/entries/${encodeURIComponent(id)}/review`, DutyEntryResponse, { method: 'POST', body }))
    .entry;
}

export function fetchAssessment(year: number): Promise<AssessmentResponse> {
  return api(`${base}/assessment?year=${year}`, AssessmentResponse);
}

export function fetchSettings(): Promise<DutySettings> {
  return api(`${base}/settings`, field('settings', DutySettings));
}

export function fetchBulletin(quarter: Quarter): Promise<BulletinResponse> {
  return api(`${base}/bulletin?quarter=${encodeURIComponent(quarter)}`, BulletinResponse);
}

export type BulletinFormat = 'pdf' | 'xlsx';
export const bulletinFormats: readonly BulletinFormat[] = ['pdf', 'xlsx'];

export const bulletinExportPath = (quarter: Quarter, format: BulletinFormat) =>
  `${base}/bulletin/export.${format}?quarter=${encodeURIComponent(quarter)}`;

/*
 * The shared `api` helper speaks GET/POST with JSON bodies. The few calls below need PUT, PATCH,
 * a raw file body or a binary answer, so they use fetch directly with the same error handling.
 */

async function send(path: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, { credentials: 'same-origin', ...init });
  } catch {
    throw new ClientError('NETWORK');
  }
  return res;
}

async function jsonOf(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function failure(res: Response, body: unknown): ClientError {
  return new ClientError(errorCodeOf(body) ?? (res.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST'), res.status);
}

async function sendJson<T>(
  path: string,
  method: 'PUT' | 'PATCH',
  body: unknown,
  parse: (data: unknown) => T,
): Promise<T> {
  const res = await send(path, {
    method,
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const data = await jsonOf(res);
  if (!res.ok) throw failure(res, data);
  try {
    return parse(data);
  } catch {
    throw new ClientError('BAD_RESPONSE', res.status);
  }
}

export function changeSettings(next: DutySettings): Promise<DutySettings> {
  return sendJson(`${base}/settings`, 'PUT', next, (d) => field('settings', DutySettings).parse(d));
}

/** A member's feedback on a department's reply (or any other change to an entered record). */
export function changeEntry(id: string, body: ChangeDutyEntryBody): Promise<DutyEntryView> {
  return sendJson(`${base}/entries/${encodeURIComponent(id)}`, 'PATCH', body, (d) => DutyEntryResponse.parse(d).entry);
}

/** What an import came to: written (or, on a dry run, would be), or refused with every problem. */
export type ImportOutcome =
  | { ok: true; result: DutyImportResponse }
  | { ok: false; message: string; problems: ImportProblem[] };

/** Sends the sheet itself as the body; a file with problems is refused whole (nothing written). */
export async function importFile(file: Blob, dryRun: boolean): Promise<ImportOutcome> {
  const res = await send(`${base}/import${dryRun ? '?dryRun=1' : ''}`, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/octet-stream' },
    body: file,
  });
  const data = await jsonOf(res);
  if (res.ok) {
    const parsed = DutyImportResponse.safeParse(data);
    if (!parsed.success) throw new ClientError('BAD_RESPONSE', res.status);
    return { ok: true, result: parsed.data };
  }
  const refused = DutyImportRejected.safeParse(data);
  if (refused.success) return { ok: false, message: refused.data.error.message, problems: refused.data.problems };
  throw failure(res, data);
}

/** The file name the server proposes (its UTF-8 form first), or `fallback`. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (utf8?.[1]) {
    try {
      return decodeURIComponent(utf8[1]);
    } catch {
      // An undecodable name: fall through to the plain one.
    }
  }
  const plain = /filename="([^"]+)"/i.exec(disposition);
  return plain?.[1] ?? fallback;
}

/** Fetches a generated file (a PDF takes a few seconds) so the page can show it is being made. */
export async function downloadFile(path: string, fallbackName: string): Promise<{ blob: Blob; name: string }> {
  const res = await send(path, { method: 'GET' });
  if (!res.ok) throw failure(res, await jsonOf(res));
  return { blob: await res.blob(), name: fileNameOf(res.headers.get('content-disposition'), fallbackName) };
}

/** A democratic-evaluation score (by a member or staff) or a duty-report panel score (staff); again replaces it. */
export function rate(body: DutyRatingBody): Promise<null> {
  return api(`${base}/ratings`, ignoreBody, { method: 'POST', body });
}
