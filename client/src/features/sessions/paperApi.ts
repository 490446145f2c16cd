import {
  type PaperSessionBody,
  PaperSessionView,
  type PaperSessionView as PaperSessionViewType,
  ThemesResponse,
  type ThemeView,
} from '@yitang/shared';
import { api, field } from '../../lib/http';

/** The staff page that records a consultation held on paper. */
export const paperSessionsPath = '/paper-sessions';

export const fetchThemes = (): Promise<ThemeView[]> => api('/api/themes', field('themes', ThemesResponse.shape.themes));

export const recordPaperSession = (body: PaperSessionBody): Promise<PaperSessionViewType> =>
  api('/api/paper-sessions', PaperSessionView, { method: 'POST', body });

/** Uploads the scan of the sign-in sheet (multipart, as proposal attachments). */
export function uploadScan(sessionId: string, file: File): Promise<PaperSessionViewType> {
  const form = new FormData();
  form.append('files', file, file.name);
  return api(`/api/paper-sessions/${encodeURIComponent(sessionId)}/scans`, PaperSessionView, {
    method: 'POST',
    body: form,
  });
}
