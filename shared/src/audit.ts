import { z } from 'zod';

/** A JSON value, as an audit entry's details hold them (hashed in canonical form). */
export type AuditJson = string | number | boolean | null | AuditJson[] | { [key: string]: AuditJson };

/** One entry of the tamper-evident audit log, as staff read it (GET /api/audit). */
export const AuditEntryView = z.object({
  seq: z.number().int().min(1),
  at: z.string(),
  actor: z.object({ id: z.string(), name: z.string() }).nullable(),
  action: z.string(),
  target: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;

export const AuditListResponse = z.object({ entries: z.array(AuditEntryView) });
export type AuditListResponse = z.infer<typeof AuditListResponse>;

/** GET /api/audit?action=&actor=&target=&before= (before: a seq, for the next page). */
export const AuditQuery = z.object({
  action: z.string().max(80).optional(),
  actor: z.string().max(80).optional(),
  target: z.string().max(200).optional(),
  before: z.coerce.number().int().min(1).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

/** Entries per page of the audit log. */
export const auditPageSize = 100;
