import {
  type PublishRubricDraftBody,
  PublishRubricDraftResponse,
  RubricDraftResponse,
  type RubricDraftView,
  RubricPreviewResponse,
  RubricVersionsResponse,
  type RubricVersionView,
  type SaveRubricDraftBody,
} from '@yitang/shared';
import { api, ignoreBody } from '../../lib/http';

const base = '/api/duty/rubrics';

/** Staff: a year's rubric versions, which is in force, and the open draft. */
export function fetchRubricVersions(year: number): Promise<RubricVersionsResponse> {
  return api(`${base}/${year}/versions`, RubricVersionsResponse);
}

/** Starts the year's draft (revision 0) or saves it over the revision loaded. */
export async function saveRubricDraft(year: number, body: SaveRubricDraftBody): Promise<RubricDraftView> {
  return (await api(`${base}/${year}/draft`, RubricDraftResponse, { method: 'POST', body })).draft;
}

export function fetchRubricPreview(year: number): Promise<RubricPreviewResponse> {
  return api(`${base}/${year}/draft/preview`, RubricPreviewResponse);
}

export async function publishRubricDraft(year: number, body: PublishRubricDraftBody): Promise<RubricVersionView> {
  return (await api(`${base}/${year}/draft/publish`, PublishRubricDraftResponse, { method: 'POST', body })).version;
}

export async function discardRubricDraft(year: number): Promise<void> {
  await api(`${base}/${year}/draft`, ignoreBody, { method: 'DELETE' });
}
