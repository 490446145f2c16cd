/** Test-only helpers (not exported from index.ts). */
import { type Majority, PollSettings, type Quorum } from './settings';

export const opts = (...ids: string[]) => ids.map((id) => ({ id, label: id.toUpperCase() }));

const none: Quorum = { type: 'none' };
const simpleCast: Majority = { rule: 'simple', base: 'cast' };

const parse = (kind: string, quorum: Quorum, majority: Majority, rest: object) =>
  PollSettings.parse({ kind, question: 'Q', secret: false, electorate: 'members', quorum, majority, ...rest });

const wrongKind = () => new Error('fixture parsed to another kind');

export function yesno(majority = simpleCast, quorum = none) {
  const s = parse('yesno', quorum, majority, {});
  if (s.kind !== 'yesno') throw wrongKind();
  return s;
}
export function single(ids: string[], majority = simpleCast, quorum = none) {
  const s = parse('single', quorum, majority, { options: opts(...ids) });
  if (s.kind !== 'single') throw wrongKind();
  return s;
}
export function multiple(ids: string[], maxChoices: number, majority = simpleCast, quorum = none) {
  const s = parse('multiple', quorum, majority, { options: opts(...ids), maxChoices });
  if (s.kind !== 'multiple') throw wrongKind();
  return s;
}
export function ranking(ids: string[], quorum = none) {
  const s = parse('ranking', quorum, simpleCast, { options: opts(...ids) });
  if (s.kind !== 'ranking') throw wrongKind();
  return s;
}
export function score(ids: string[], min = 1, max = 5, quorum = none) {
  const s = parse('score', quorum, simpleCast, { options: opts(...ids), scoreRange: { min, max } });
  if (s.kind !== 'score') throw wrongKind();
  return s;
}
