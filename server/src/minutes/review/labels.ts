import {
  type PollResult,
  type PollSettings,
  type PollTally,
  type SessionRole,
  sessionRoleNames,
  type VersionReason,
  yesNoOutcomeNames,
} from '@yitang/shared';
import type { AttendanceGroup } from '../export';

/** Roles as the printed minutes name them (the roles' Chinese names), in the order attendance is listed. */
export const roleLabels: Readonly<Record<SessionRole, string>> = sessionRoleNames['zh-CN'];

export const roleOrder = Object.keys(roleLabels) as SessionRole[];

/**
 * The line of the printed minutes each role stands on: the conveners preside (主持), members
 * attend (出席), officials, guests and observers sit in (列席), the recorder and staff take the
 * minutes (记录).
 */
export const roleGroups: Record<SessionRole, AttendanceGroup> = {
  firstConvener: 'presiding',
  secondConvener: 'presiding',
  member: 'attending',
  departmentRep: 'sittingIn',
  stakeholder: 'sittingIn',
  citizenRep: 'sittingIn',
  leader: 'sittingIn',
  recorder: 'recording',
  staff: 'recording',
  observer: 'sittingIn',
};

/** The label a version gets when nobody named it. */
export const reasonLabels: Record<VersionReason, string> = {
  sessionClosed: '会后初稿',
  review: '送审稿',
  approval: '审定稿',
  published: '发布稿',
  manual: '手动保存',
};

const yesNoOutcome = yesNoOutcomeNames['zh-CN'];

/**
 * A closed poll's result in one Chinese line, e.g. "通过：同意 2，反对 1，弃权 0", or for a
 * choice poll "选出：方案甲（方案甲 5 票，方案乙 3 票）": Chinese punctuation throughout. Option ids are shown by their labels.
 */
export function resultText(settings: PollSettings, result: PollResult | null, tally: PollTally | null): string {
  if (!result) return '未计票';
  const label = (id: string) =>
    settings.kind === 'yesno' ? id : (settings.options.find((o) => o.id === id)?.label ?? id);
  const names = (ids: string[]) => ids.map(label).join('、');
  switch (result.kind) {
    case 'yesno': {
      const head = yesNoOutcome[result.outcome];
      if (tally?.kind !== 'yesno') return `${head}：共 ${result.ballots} 票`;
      return `${head}：同意 ${tally.yes}，反对 ${tally.no}，弃权 ${tally.abstain}`;
    }
    case 'single':
      return `${winnerText(result.outcome, names)}（${result.standings.map((s) => `${label(s.optionId)} ${s.votes} 票`).join('，')}）`;
    case 'ranking':
      return `${winnerText(result.outcome, names)}（${result.standings.map((s) => `${label(s.optionId)} ${s.points} 分`).join('，')}）`;
    case 'score':
      return `${winnerText(result.outcome, names)}（${result.standings
        .map((s) => `${label(s.optionId)} ${s.average === null ? '未评分' : `平均 ${formatAverage(s.average)} 分`}`)
        .join('，')}）`;
    case 'multiple': {
      const standings = result.standings.map((s) => `${label(s.optionId)} ${s.votes} 票`).join('，');
      const o = result.outcome;
      if (o.type === 'noQuorum') return `未达法定人数（${standings}）`;
      const parts = [o.elected.length > 0 ? `选出：${names(o.elected)}` : '无选项达到多数'];
      if (o.tied.length > 0) parts.push(`并列争 ${o.tiedSeats} 席：${names(o.tied)}`);
      return `${parts.join('；')}（${standings}）`;
    }
  }
}

type WinnerOutcome = Extract<PollResult, { kind: 'single' }>['outcome'];

function winnerText(o: WinnerOutcome, names: (ids: string[]) => string): string {
  switch (o.type) {
    case 'elected':
      return `选出：${names([o.winner])}`;
    case 'tie':
      return `并列第一：${names(o.tied)}`;
    case 'noMajority':
      return '未形成多数';
    case 'noQuorum':
      return '未达法定人数';
  }
}

function formatAverage(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}
