import { type ProposalView, proposalFeedbackLabels, trackingSourceLimits } from '@yitang/shared';
import type { SourceStep, TrackingService } from '../tracking/tracking.service';
import { sourceItemId } from '../tracking/tracking.service';
import type { ProposalChange, ProposalService } from './proposal.service';

/** `text` cut to `max` characters, an ellipsis marking the cut. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** How many times the proposal has been assigned (交办): each assignment has items of its own. */
const assignments = (p: ProposalView) => p.trail.filter((e) => e.action === 'assign').length;

/**
 * The item of one department in one assignment. The first assignment's items are keyed by the
 * department alone (`tr-proposal-<id>-<dep>`); after a granted reassignment the next assignment's
 * are told apart by its count, so a department assigned again gets a new item, not its closed one.
 */
export function proposalItemId(proposalId: string, departmentId: string, assignment: number): string {
  const part = assignment <= 1 ? departmentId : `${departmentId}-${assignment}`;
  return sourceItemId({ kind: 'proposal', id: proposalId, part });
}

/** The items of the proposal's current (or, for `before`, previous) assignment: lead first. */
function itemsOf(p: ProposalView): string[] {
  const n = assignments(p);
  if (n === 0) return [];
  return [...(p.lead ? [p.lead] : []), ...p.co].map((d) => proposalItemId(p.id, d.id, n));
}

/**
 * A proposal's tracking items follow the proposal (issue 15, req. 3): the proposal's steps drive
 * them, nobody moves them by hand to an end the proposal has not reached.
 *
 * - 交办: one item per department, the lead's (主办) and each co-handling one's (会办), with the
 *   proposal's deadline, the proposer following, the key proposal's leader overseeing. The
 *   department hears of it once, by the proposal's notice (the item's own is not sent).
 * - 答复: the lead's item gets the reply as a progress report that marks the work done.
 * - 满意/基本满意: the lead's item is verified and closed; the co-handling items are closed.
 * - 不满意: the lead's item is returned with the reason and the new round's deadline.
 * - 同意改办: the relieved departments' items are closed with the reason; the next 交办 makes new ones.
 * - 重点提案: the leader oversees the items (verifies nothing there, but chases with escalation).
 *
 * Chases live on the lead's item only (proposal.service.ts `chase`).
 */
export function followProposals(deps: {
  proposals: Pick<ProposalService, 'onChange' | 'setTracking'>;
  tracking: Pick<TrackingService, 'createFromSource' | 'followSource'>;
}): () => void {
  const { proposals, tracking } = deps;
  const follow = (ids: string[], step: SourceStep, by: ProposalChange['by']) =>
    Promise.all(ids.map((id) => tracking.followSource(id, step, by)));

  return proposals.onChange(async ({ action, proposal: p, before, by, leaderMemberId }) => {
    const [lead, ...co] = itemsOf(p);
    switch (action) {
      case 'assign': {
        if (!p.lead) return;
        const n = assignments(p);
        const title = clip(`提案${p.number ? ` ${p.number}` : ''}《${p.title}》`, trackingSourceLimits.maxTitleLength);
        const departments = [{ ...p.lead, role: '主办' }, ...p.co.map((d) => ({ ...d, role: '会办' }))];
        let leadId: string | null = null;
        for (const d of departments) {
          const part = n <= 1 ? d.id : `${d.id}-${n}`;
          const head =
            d.role === '主办'
              ? '主办：办理提案并答复提案人。建议：'
              : `会办：向主办单位（${p.lead.name}）提出会办意见。建议：`;
          const { id } = await tracking.createFromSource(
            { kind: 'proposal', id: p.id, part, title, summary: clip(p.case, trackingSourceLimits.maxSummaryLength) },
            {
              text: clip(`${head}${p.suggestions}`, trackingSourceLimits.maxTextLength),
              department: d.name,
              deadline: p.deadline,
              followers: [p.author.id],
              overseers: leaderMemberId ? [leaderMemberId] : [],
            },
            by,
          );
          leadId ??= id;
        }
        if (leadId) await proposals.setTracking(p.id, leadId);
        return;
      }
      case 'reply': {
        const reply = p.replies.at(-1);
        if (lead && reply) await tracking.followSource(lead, { type: 'reply', text: reply.text }, by);
        return;
      }
      case 'feedback': {
        const fb = p.feedback.at(-1);
        if (!lead || !fb) return;
        const label = proposalFeedbackLabels[fb.value];
        const note = [label, fb.comment].filter(Boolean).join('：');
        if (fb.value === 'dissatisfied') {
          await tracking.followSource(lead, { type: 'return', reason: `提案人${note}`, deadline: p.deadline }, by);
          return;
        }
        await tracking.followSource(lead, { type: 'accept', note: `提案人${note}` }, by);
        await follow(co, { type: 'close', reason: `提案办结（提案人${label}）` }, by);
        return;
      }
      case 'grantReassign':
        {
          const why = p.trail.at(-1)?.note;
          await follow(itemsOf(before), { type: 'close', reason: why ? `同意改办：${why}` : '同意改办' }, by);
        }
        return;
      case 'markKey':
        if (leaderMemberId) await follow(itemsOf(p), { type: 'oversee', memberIds: [leaderMemberId] }, by);
        return;
      default:
        return;
    }
  });
}
