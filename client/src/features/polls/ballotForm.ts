import {
  type BallotContent,
  type PollSettings,
  type PollSettingsOf,
  validateBallot,
  type YesNoChoice,
} from '@yitang/shared';
import { moveItem } from '../../lib/arrays';

/**
 * What a voter has filled in so far, by kind. Scores are kept as typed (strings) so a half-typed
 * "-" or an empty box is not silently turned into a number.
 */
export type BallotForm =
  | { kind: 'yesno'; choice: YesNoChoice | null }
  | { kind: 'single'; optionId: string | null }
  | { kind: 'multiple'; optionIds: string[] }
  | { kind: 'ranking'; order: string[] }
  | { kind: 'score'; scores: Record<string, string> };

/** Why a filled-in form is not a ballot yet. A blank ballot is cast with its own button, never by accident. */
export type BallotFormProblem =
  | 'NO_CHOICE'
  | 'NOT_RANKED'
  | 'TOO_MANY_CHOICES'
  | 'INCOMPLETE_SCORES'
  | 'SCORE_NOT_WHOLE'
  | 'SCORE_OUT_OF_RANGE'
  | 'INVALID';

export type BallotFormResult = { ok: true; content: BallotContent } | { ok: false; problem: BallotFormProblem };

/**
 * An empty form. A ranking starts unranked: the voter puts the options in order themselves (one
 * pre-filled in the builder's order could be sent without a thought, a vote for that order).
 */
export function initialBallotForm(settings: PollSettings): BallotForm {
  switch (settings.kind) {
    case 'yesno':
      return { kind: 'yesno', choice: null };
    case 'single':
      return { kind: 'single', optionId: null };
    case 'multiple':
      return { kind: 'multiple', optionIds: [] };
    case 'ranking':
      return { kind: 'ranking', order: [] };
    case 'score':
      return { kind: 'score', scores: {} };
  }
}

/** The blank ballot of each kind (voting/README.md): it counts as cast but for no option. */
export function blankBallot(kind: PollSettings['kind']): BallotContent {
  switch (kind) {
    case 'yesno':
      return { kind: 'yesno', choice: 'abstain' };
    case 'single':
      return { kind: 'single', optionId: null };
    case 'multiple':
      return { kind: 'multiple', optionIds: [] };
    case 'ranking':
      return { kind: 'ranking', ranking: [] };
    case 'score':
      return { kind: 'score', scores: {} };
  }
}

/**
 * Ticks or unticks an option of a multiple-choice form. Ticking beyond `maxChoices` is refused
 * (the form stays as it was), so the form can never hold too many.
 */
export function toggleChoice(optionIds: readonly string[], id: string, maxChoices: number): string[] {
  if (optionIds.includes(id)) return optionIds.filter((x) => x !== id);
  if (optionIds.length >= maxChoices) return [...optionIds];
  return [...optionIds, id];
}

/** Puts an option at the end of the ranking so far, or takes it out; the rest keep their order. */
export function toggleRank(order: readonly string[], id: string): string[] {
  return order.includes(id) ? order.filter((x) => x !== id) : [...order, id];
}

/** Moves the option at `index` up (-1) or down (+1) in a ranking; out of range leaves it as it is. */
export function moveRank(order: readonly string[], index: number, by: -1 | 1): string[] {
  return moveItem(order, index, by);
}

function scoreContent(settings: PollSettingsOf<'score'>, raw: Record<string, string>): BallotFormResult {
  const scores: Record<string, number> = {};
  let filled = 0;
  for (const option of settings.options) {
    const text = (Object.hasOwn(raw, option.id) ? (raw[option.id] ?? '') : '').trim();
    if (text === '') continue;
    if (!/^[-+]?\d+$/.test(text)) return { ok: false, problem: 'SCORE_NOT_WHOLE' };
    const score = Number(text);
    if (score < settings.scoreRange.min || score > settings.scoreRange.max) {
      return { ok: false, problem: 'SCORE_OUT_OF_RANGE' };
    }
    scores[option.id] = score;
    filled += 1;
  }
  if (filled === 0) return { ok: false, problem: 'NO_CHOICE' };
  if (filled < settings.options.length) return { ok: false, problem: 'INCOMPLETE_SCORES' };
  return { ok: true, content: { kind: 'score', scores } };
}

function contentOf(settings: PollSettings, form: BallotForm): BallotFormResult {
  switch (settings.kind) {
    case 'yesno':
      if (form.kind !== 'yesno') return { ok: false, problem: 'INVALID' };
      return form.choice === null
        ? { ok: false, problem: 'NO_CHOICE' }
        : { ok: true, content: { kind: 'yesno', choice: form.choice } };
    case 'single':
      if (form.kind !== 'single') return { ok: false, problem: 'INVALID' };
      return form.optionId === null
        ? { ok: false, problem: 'NO_CHOICE' }
        : { ok: true, content: { kind: 'single', optionId: form.optionId } };
    case 'multiple': {
      if (form.kind !== 'multiple') return { ok: false, problem: 'INVALID' };
      if (form.optionIds.length === 0) return { ok: false, problem: 'NO_CHOICE' };
      if (form.optionIds.length > settings.maxChoices) return { ok: false, problem: 'TOO_MANY_CHOICES' };
      // In the order the options are offered, whatever order they were ticked in.
      const ticked = new Set(form.optionIds);
      const optionIds = settings.options.filter((o) => ticked.has(o.id)).map((o) => o.id);
      return { ok: true, content: { kind: 'multiple', optionIds } };
    }
    case 'ranking':
      if (form.kind !== 'ranking') return { ok: false, problem: 'INVALID' };
      if (form.order.length === 0) return { ok: false, problem: 'NO_CHOICE' };
      if (form.order.length < settings.options.length) return { ok: false, problem: 'NOT_RANKED' };
      return { ok: true, content: { kind: 'ranking', ranking: [...form.order] } };
    case 'score':
      if (form.kind !== 'score') return { ok: false, problem: 'INVALID' };
      return scoreContent(settings, form.scores);
  }
}

/**
 * Turns a filled-in form into the ballot to send, checked with the shared `validateBallot` so the
 * server will not refuse it for its content.
 */
export function ballotFromForm(settings: PollSettings, form: BallotForm): BallotFormResult {
  const result = contentOf(settings, form);
  if (!result.ok) return result;
  return validateBallot(settings, result.content).ok ? result : { ok: false, problem: 'INVALID' };
}
