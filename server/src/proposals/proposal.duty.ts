import type { DerivedRecord } from '../scoring/ledger';
import type { ProposalDoc } from './proposal.model';

/** A date (YYYY-MM-DD) in the committee's time zone. */
export const chinaDay = (at: Date | string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(at));

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** Keys of a proposal's duty records, parsed nowhere else: `pp:<id>:author`, `pp:<id>:cosign:<member>`. */
export const authorRecordKey = (proposalId: string) => `pp:${proposalId}:author`;
export const cosignRecordKey = (proposalId: string, memberId: string) => `pp:${proposalId}:cosign:${memberId}`;

/**
 * The duty records a proposal has earned so far (履职记录), all under natural keys: its author's
 * record once it was accepted (立案, or merged into another: 并案 counts as accepted), dated
 * that day, carrying the lead department, the latest reply and the proposer's feedback on it,
 * and whether it is a key proposal; one record per co-signer who accepted. Deriving again gives
 * the same keys and dates, so the ledger adds nothing on a re-run.
 */
export function proposalDutyRecords(doc: ProposalDoc): DerivedRecord[] {
  const decided = doc.trail.find((e) => e.action === 'accept' || e.action === 'merge');
  if (!decided) return [];
  const date = chinaDay(decided.at);
  const label = `提案${doc.number ? ` ${doc.number}` : ''}《${clip(doc.title, 60)}》`;
  const lastReply = doc.replies.at(-1) ?? null;
  // Feedback counts for the reply it answered: a reply after a 不满意 awaits new feedback.
  const lastFeedback = doc.feedback.at(-1) ?? null;
  const feedback = lastReply && lastFeedback && lastFeedback.round === lastReply.round ? lastFeedback.value : null;
  const records: DerivedRecord[] = [
    {
      id: authorRecordKey(doc._id),
      memberId: doc.authorId,
      kind: 'proposal',
      date,
      title: label,
      source: 'proposal',
      proposal: {
        department: doc.lead?.name ?? null,
        reply: lastReply ? clip(lastReply.text, 4000) : null,
        feedback,
        key: doc.key,
      },
      note: label,
    },
  ];
  for (const c of doc.cosigners) {
    if (c.status !== 'accepted') continue;
    records.push({
      id: cosignRecordKey(doc._id, c.memberId),
      memberId: c.memberId,
      kind: 'cosigned',
      date,
      title: `联名${label}`,
      source: 'proposal',
      proposal: null,
      note: label,
    });
  }
  return records;
}
