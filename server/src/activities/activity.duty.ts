import { activityDutyKind, activityKindLabels } from '@yitang/shared';
import type { ActivityDoc } from './activity.model';

/**
 * A duty record an activity earned, in the shape the scoring ledger's `recordDerived` writes:
 * verified, under its natural key; `retired`: the record stops counting (leave approved after
 * the absence was written).
 */
export interface ActivityDutyRecord {
  id: string;
  memberId: string;
  kind: 'research' | 'inspection' | 'training' | 'activity' | 'absence';
  date: string;
  title: string;
  source: 'activity';
  proposal: null;
  note: string;
  retired?: boolean;
}

/**
 * Keys, parsed nowhere else: `act:<activityId>:<memberId>` (attended), `act:<activityId>:<memberId>:absent`
 * (缺席未请假). Activity ids hold no colon.
 */
export const attendanceKey = (activityId: string, memberId: string) => `act:${activityId}:${memberId}`;
export const absenceKey = (activityId: string, memberId: string) => `act:${activityId}:${memberId}:absent`;

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);
const labelOf = (doc: Pick<ActivityDoc, 'kind' | 'title'>) =>
  `${activityKindLabels[doc.kind]}《${clip(doc.title, 60)}》`;

/** The record one attendance earns (none for a kind that is no member's duty: a staff visit). */
export function attendanceRecord(
  doc: Pick<ActivityDoc, '_id' | 'kind' | 'title' | 'date'>,
  memberId: string,
): ActivityDutyRecord | null {
  const kind = activityDutyKind[doc.kind];
  if (!kind) return null;
  const label = labelOf(doc);
  return {
    id: attendanceKey(doc._id, memberId),
    memberId,
    kind: kind as ActivityDutyRecord['kind'],
    date: doc.date,
    title: `参加${label}`,
    source: 'activity',
    proposal: null,
    note: label,
  };
}

/**
 * Every record a closed activity has earned: one per attendee, and for each invitee who neither
 * signed in nor had leave approved an absence (缺席未请假), as sessions derive theirs. An absence
 * whose leave was approved later (or who was signed in at the desk later) is retired. Deriving
 * again gives the same keys: the ledger adds nothing on a re-run.
 */
export function activityDutyRecords(
  doc: Pick<ActivityDoc, '_id' | 'kind' | 'title' | 'date' | 'state' | 'invitations'>,
  signedIn: ReadonlySet<string>,
): ActivityDutyRecord[] {
  if (doc.state !== 'closed') return [];
  const label = labelOf(doc);
  const records: ActivityDutyRecord[] = [];
  for (const memberId of signedIn) {
    const r = attendanceRecord(doc, memberId);
    if (r) records.push(r);
  }
  // A staff visit is no member's duty: not being there is no absence either.
  if (!activityDutyKind[doc.kind]) return records;
  for (const i of doc.invitations) {
    if (signedIn.has(i.memberId)) continue;
    const excused = i.answer === 'leave' && i.leave === 'approved';
    records.push({
      id: absenceKey(doc._id, i.memberId),
      memberId: i.memberId,
      kind: 'absence',
      date: doc.date,
      title: `缺席未请假：${label}`,
      source: 'activity',
      proposal: null,
      note: excused ? `${label}：请假已批准` : label,
      ...(excused ? { retired: true } : {}),
    });
  }
  return records;
}
