import type { PollView } from '@yitang/shared';

/** Names an option of a poll by its label. */
const labelOf = (poll: PollView, id: string) =>
  poll.settings.kind === 'yesno' ? id : (poll.settings.options.find((o) => o.id === id)?.label ?? id);

/**
 * One line for the minutes (and exports) saying what a closed poll decided, in Chinese,
 * e.g. "是否同意…?——通过(同意 2,反对 1,弃权 0)".
 */
export function describePoll(poll: PollView): string {
  const q = poll.settings.question;
  const r = poll.result;
  const t = poll.tally;
  if (!r || !t) return `${q}——尚未计票`;
  if (r.outcome === 'noQuorum' || (typeof r.outcome === 'object' && r.outcome.type === 'noQuorum')) {
    return `${q}——未达法定人数(投票 ${r.ballots})`;
  }
  switch (r.kind) {
    case 'yesno': {
      const counts = t.kind === 'yesno' ? `同意 ${t.yes},反对 ${t.no},弃权 ${t.abstain}` : '';
      return `${q}——${r.outcome === 'adopted' ? '通过' : '未通过'}(${counts})`;
    }
    case 'multiple': {
      if (r.outcome.type !== 'decided') return `${q}——未达法定人数`;
      const elected = r.outcome.elected.map((id) => labelOf(poll, id)).join('、') || '无';
      const tied = r.outcome.tied.length ? `;并列:${r.outcome.tied.map((id) => labelOf(poll, id)).join('、')}` : '';
      return `${q}——当选:${elected}${tied}(投票 ${r.ballots})`;
    }
    default: {
      const o = r.outcome;
      if (o.type === 'elected') return `${q}——结果:${labelOf(poll, o.winner)}(投票 ${r.ballots})`;
      if (o.type === 'tie') return `${q}——并列:${o.tied.map((id) => labelOf(poll, id)).join('、')}(投票 ${r.ballots})`;
      return `${q}——未获多数(投票 ${r.ballots})`;
    }
  }
}
