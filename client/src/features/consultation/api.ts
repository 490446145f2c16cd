import { type ConsultationPostBody, ConsultationView } from '@yitang/shared';
import { api } from '../../lib/http';

const url = (topicId: string) => `/api/consultations/${encodeURIComponent(topicId)}`;
const publicUrl = (code: string) => `/api/public/consultations/${encodeURIComponent(code)}`;

export const fetchConsultation = (topicId: string) => api(url(topicId), ConsultationView);

export const postSuggestion = (topicId: string, body: ConsultationPostBody) =>
  api(`${url(topicId)}/suggestions`, ConsultationView, { method: 'POST', body });

export const supportSuggestion = (topicId: string, id: string) =>
  api(`${url(topicId)}/suggestions/${encodeURIComponent(id)}/support`, ConsultationView, { method: 'POST' });

export const hideSuggestion = (topicId: string, id: string, hidden: boolean) =>
  api(`${url(topicId)}/suggestions/${encodeURIComponent(id)}/hide`, ConsultationView, {
    method: 'POST',
    body: { hidden },
  });

export const saveSettings = (topicId: string, closeAfterDays: number) =>
  api(`${url(topicId)}/settings`, ConsultationView, { method: 'POST', body: { closeAfterDays } });

export const bringGroup = (topicId: string, groupId: string) =>
  api(`${url(topicId)}/groups/${encodeURIComponent(groupId)}/bring`, ConsultationView, { method: 'POST' });

export const fetchPublic = (code: string, visitor: string) =>
  api(`${publicUrl(code)}?visitor=${encodeURIComponent(visitor)}`, ConsultationView);

export const postPublic = (
  code: string,
  body: { text: string; name?: string; parentId?: string | null; visitor: string },
) => api(`${publicUrl(code)}/suggestions`, ConsultationView, { method: 'POST', body });

export const supportPublic = (code: string, id: string, visitor: string) =>
  api(`${publicUrl(code)}/suggestions/${encodeURIComponent(id)}/support`, ConsultationView, {
    method: 'POST',
    body: { visitor },
  });

/** This browser's own random key for the public page: one +1 per suggestion from here. */
export function visitorKey(): string {
  const name = 'yitang-visitor';
  try {
    const kept = window.localStorage.getItem(name);
    if (kept && /^[A-Za-z0-9_-]{16,64}$/.test(kept)) return kept;
  } catch {
    // Storage refused (private mode): a key for this page only.
  }
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  const key = btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replaceAll('=', '');
  try {
    window.localStorage.setItem(name, key);
  } catch {
    // As above.
  }
  return key;
}
