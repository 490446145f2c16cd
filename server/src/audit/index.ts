export type { AuditEntryDoc } from './audit.model';
export { auditModels } from './audit.model';
export { auditRouter } from './audit.router';
export { type Audit, type AuditHead, type AuditRecord, createAudit, verifyLog } from './audit.service';
export { auditEvents, auditRest } from './hooks';
