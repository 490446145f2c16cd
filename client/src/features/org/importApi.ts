import { MemberImportRejected, type MemberImportReport, MemberImportResponse } from '@yitang/shared';
import { ClientError, errorCodeOf } from '../../lib/errors';

export const memberImportPath = '/api/org/members/import';

/** A checked or committed file: the server's answer, or its refusal with the report (nothing written). */
export type MemberImportOutcome =
  | ({ ok: true } & MemberImportResponse)
  | { ok: false; report: MemberImportReport; message: string };

const statusCode = (status: number) =>
  status === 401
    ? 'UNAUTHENTICATED'
    : status === 403
      ? 'FORBIDDEN'
      : status === 413
        ? 'PAYLOAD_TOO_LARGE'
        : status >= 500
          ? 'INTERNAL'
          : 'BAD_REQUEST';

/** Reads the server's answer to an upload: a report, a refusal with one, or an error. */
export function importOutcome(status: number, body: unknown): MemberImportOutcome {
  if (status >= 200 && status < 300) {
    const parsed = MemberImportResponse.safeParse(body);
    if (!parsed.success) throw new ClientError('BAD_RESPONSE', status);
    return { ok: true, ...parsed.data };
  }
  const refused = MemberImportRejected.safeParse(body);
  if (refused.success) return { ok: false, report: refused.data.report, message: refused.data.error.message };
  throw new ClientError(errorCodeOf(body) ?? statusCode(status), status);
}

/**
 * Sends the file itself as the body (XMLHttpRequest: fetch tells nothing of an upload's
 * progress); `onProgress` gets the bytes sent and the total, and `onSent` once the file is up
 * and the server is at work.
 */
export function uploadMembers(
  file: Blob,
  dryRun: boolean,
  on: { onProgress: (loaded: number, total: number) => void; onSent: () => void },
): Promise<MemberImportOutcome> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${memberImportPath}${dryRun ? '?dryRun=1' : ''}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => on.onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.upload.onload = () => on.onSent();
    xhr.onerror = () => reject(new ClientError('NETWORK'));
    xhr.onabort = () => reject(new ClientError('NETWORK'));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText === '' ? null : JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      try {
        resolve(importOutcome(xhr.status, body));
      } catch (err) {
        reject(err);
      }
    };
    xhr.send(file);
  });
}
