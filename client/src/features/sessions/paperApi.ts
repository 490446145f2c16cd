import {
  type PaperSessionBody,
  PaperSessionView,
  type PaperSessionView as PaperSessionViewType,
  ThemesResponse,
  type ThemeView,
} from '@yitang/shared';
import { ClientError, errorCodeOf } from '../../lib/errors';
import { api, field } from '../../lib/http';

/** The staff page that records a consultation held on paper. */
export const paperSessionsPath = '/paper-sessions';

export const fetchThemes = (): Promise<ThemeView[]> => api('/api/themes', field('themes', ThemesResponse.shape.themes));

export const recordPaperSession = (body: PaperSessionBody): Promise<PaperSessionViewType> =>
  api('/api/paper-sessions', PaperSessionView, { method: 'POST', body });

/** Uploads the scan of the sign-in sheet (multipart, as proposal attachments). */
export async function uploadScan(sessionId: string, file: File): Promise<PaperSessionViewType> {
  const form = new FormData();
  form.append('files', file, file.name);
  let res: Response;
  try {
    res = await fetch(`/api/paper-sessions/${encodeURIComponent(sessionId)}/scans`, {
      method: 'POST',
      credentials: 'same-origin',
      body: form,
    });
  } catch {
    throw new ClientError('NETWORK');
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok)
    throw new ClientError(errorCodeOf(json) ?? (res.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST'), res.status);
  return PaperSessionView.parse(json);
}
