import {
  ArchiveResponse,
  type ExportFormat,
  type ManualVersionBody,
  MinutesAuthorship,
  type MinutesCommentBody,
  MinutesDiff,
  MinutesInfo,
  type MinutesTransitionBody,
} from '@yitang/shared';
import { api, ignoreBody, type Parser } from '../../lib/http';
import { type ArchiveFilters, archiveApiPath } from './archiveQuery';

const base = (sessionId: string) => `/api/sessions/${encodeURIComponent(sessionId)}/minutes`;

export function fetchMinutesInfo(sessionId: string): Promise<MinutesInfo> {
  return api(base(sessionId), MinutesInfo);
}

/*
 * The answers of the POSTs below are not in the contract; the page reloads MinutesInfo after each,
 * so their bodies are not read.
 */

export function transitionMinutes(
  sessionId: string,
  to: MinutesTransitionBody['to'],
  openCommentsSeen = false,
): Promise<null> {
  const body: MinutesTransitionBody = openCommentsSeen ? { to, openCommentsSeen } : { to };
  return api(`${base(sessionId)}/transition`, ignoreBody, { method: 'POST', body });
}

export function takeSnapshot(sessionId: string, label: string): Promise<null> {
  const body: ManualVersionBody = { label };
  return api(`${base(sessionId)}/versions`, ignoreBody, { method: 'POST', body });
}

/** The text of one version. No schema in the contract for this answer; it is `{ text, markdown }`. */
export interface VersionText {
  text: string;
  markdown: string;
}

const VersionText: Parser<VersionText> = {
  parse: (data) => {
    if (typeof data !== 'object' || data === null || !('text' in data) || typeof data.text !== 'string') {
      throw new Error('missing text');
    }
    const markdown = 'markdown' in data && typeof data.markdown === 'string' ? data.markdown : data.text;
    return { text: data.text, markdown };
  },
};

export function fetchVersionText(sessionId: string, versionId: string): Promise<VersionText> {
  return api(`${base(sessionId)}/versions/${encodeURIComponent(versionId)}/text`, VersionText);
}

export function fetchDiff(sessionId: string, from: string, to: string): Promise<MinutesDiff> {
  const query = new URLSearchParams({ from, to });
  return api(`${base(sessionId)}/diff?${query.toString()}`, MinutesDiff);
}

export function fetchAuthors(sessionId: string): Promise<MinutesAuthorship> {
  return api(`${base(sessionId)}/authors`, MinutesAuthorship);
}

export function postComment(sessionId: string, body: MinutesCommentBody): Promise<null> {
  return api(`${base(sessionId)}/comments`, ignoreBody, { method: 'POST', body });
}

export function resolveComment(sessionId: string, commentId: string): Promise<null> {
  return api(`${base(sessionId)}/comments/${encodeURIComponent(commentId)}/resolve`, ignoreBody, { method: 'POST' });
}

export function fetchArchive(filters: ArchiveFilters): Promise<ArchiveResponse> {
  return api(archiveApiPath(filters), ArchiveResponse);
}

/** Where the browser downloads an export of the published minutes. */
export const exportPath = (sessionId: string, format: ExportFormat) => `${base(sessionId)}/export.${format}`;
