import {
  type AuditEntryView,
  AuditListResponse,
  type AuditQuery,
  LoginFailuresResponse,
  type LoginFailureView,
} from '@yitang/shared';
import { api } from '../../lib/http';

/** A page of the audit log, newest first (staff only). */
export async function fetchAudit(query: AuditQuery): Promise<AuditEntryView[]> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return (await api(`/api/audit${qs ? `?${qs}` : ''}`, AuditListResponse)).entries;
}

/** The recent refused sign-ins (staff only). */
export async function fetchLoginFailures(): Promise<LoginFailureView[]> {
  return (await api('/api/auth/failures', LoginFailuresResponse)).failures;
}
