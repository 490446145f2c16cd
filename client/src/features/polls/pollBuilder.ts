import {
  type Electorate,
  type MajorityBase,
  type MajorityRule,
  type PollKind,
  PollSettings,
  votingLimits,
} from '@yitang/shared';

export type QuorumType = 'none' | 'ballots' | 'share';

/** The poll builder's fields, as typed. Numbers stay strings until the form is turned into settings. */
export interface PollBuilderForm {
  kind: PollKind;
  question: string;
  options: Array<{ id: string; label: string }>;
  maxChoices: string;
  scoreMin: string;
  scoreMax: string;
  secret: boolean;
  electorate: Electorate;
  quorumType: QuorumType;
  quorumMin: string;
  /** Percent of the present electorate, up to two decimals (the engine keeps four decimals of the share). */
  quorumPercent: string;
  majorityRule: MajorityRule;
  majorityBase: MajorityBase;
}

/** Fields the builder can flag; each has one message. */
export type BuilderField = 'question' | 'options' | 'maxChoices' | 'scoreRange' | 'quorum' | 'majority';

export type BuilderResult = { ok: true; settings: PollSettings } | { ok: false; fields: BuilderField[] };

/** Kinds that list options (every kind but yes/no). */
export const hasOptions = (kind: PollKind) => kind !== 'yesno';
/** Ranking and score polls allow only the simple majority. */
export const simpleOnly = (kind: PollKind) => kind === 'ranking' || kind === 'score';

/** A fresh option id, unique in the list and valid as an OptionId. */
export function newOptionId(options: ReadonlyArray<{ id: string }>): string {
  const taken = new Set(options.map((o) => o.id));
  let n = options.length + 1;
  while (taken.has(`o${n}`)) n += 1;
  return `o${n}`;
}

export function emptyBuilderForm(): PollBuilderForm {
  return {
    kind: 'yesno',
    question: '',
    options: [
      { id: 'o1', label: '' },
      { id: 'o2', label: '' },
    ],
    maxChoices: '1',
    scoreMin: '0',
    scoreMax: '10',
    secret: false,
    electorate: 'members',
    quorumType: 'none',
    quorumMin: '',
    quorumPercent: '50',
    majorityRule: 'simple',
    majorityBase: 'cast',
  };
}

/** A draft poll's settings back in the builder, to edit. */
export function builderFormOf(settings: PollSettings): PollBuilderForm {
  const base = emptyBuilderForm();
  const q = settings.quorum;
  return {
    ...base,
    kind: settings.kind,
    question: settings.question,
    options: settings.kind === 'yesno' ? base.options : settings.options.map((o) => ({ ...o })),
    maxChoices: settings.kind === 'multiple' ? String(settings.maxChoices) : base.maxChoices,
    scoreMin: settings.kind === 'score' ? String(settings.scoreRange.min) : base.scoreMin,
    scoreMax: settings.kind === 'score' ? String(settings.scoreRange.max) : base.scoreMax,
    secret: settings.secret,
    electorate: settings.electorate,
    quorumType: q.type,
    quorumMin: q.type === 'ballots' ? String(q.min) : base.quorumMin,
    quorumPercent: q.type === 'share' ? String(Math.round(q.share * 1_000_000) / 10_000) : base.quorumPercent,
    majorityRule: settings.majority.rule,
    majorityBase: settings.majority.base,
  };
}

const wholeNumber = (text: string): number | null => (/^\s*[-+]?\d+\s*$/.test(text) ? Number(text) : null);

/** "66.67" -> 0.6667; more than two decimals or outside (0, 100] is null. */
export function shareOfPercent(text: string): number | null {
  const m = /^\s*(\d{1,3})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const hundredths = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0') || '0');
  if (hundredths <= 0 || hundredths > 10_000) return null;
  return hundredths / 10_000;
}

const fieldOfPath: Record<string, BuilderField> = {
  question: 'question',
  options: 'options',
  maxChoices: 'maxChoices',
  scoreRange: 'scoreRange',
  quorum: 'quorum',
  majority: 'majority',
};

/**
 * Builds poll settings from the form: only the fields of the chosen kind are sent, numbers are
 * parsed strictly, and the shared `PollSettings` schema has the last word. On failure, the
 * fields to flag.
 */
export function settingsFromForm(form: PollBuilderForm): BuilderResult {
  const fields = new Set<BuilderField>();
  let quorum: PollSettings['quorum'] = { type: 'none' };
  if (form.quorumType === 'ballots') {
    const min = wholeNumber(form.quorumMin);
    if (min === null || min < 1) fields.add('quorum');
    else quorum = { type: 'ballots', min };
  } else if (form.quorumType === 'share') {
    const share = shareOfPercent(form.quorumPercent);
    if (share === null) fields.add('quorum');
    else quorum = { type: 'share', share };
  }
  const common = {
    question: form.question.trim(),
    secret: form.secret,
    electorate: form.electorate,
    quorum,
  };
  const majority = { rule: simpleOnly(form.kind) ? 'simple' : form.majorityRule, base: form.majorityBase };
  const options = form.options.map((o) => ({ id: o.id, label: o.label.trim() }));
  let candidate: unknown;
  switch (form.kind) {
    case 'yesno':
      candidate = { kind: 'yesno', ...common, majority };
      break;
    case 'single':
    case 'ranking':
      candidate = { kind: form.kind, ...common, options, majority };
      break;
    case 'multiple': {
      const maxChoices = wholeNumber(form.maxChoices);
      if (maxChoices === null) fields.add('maxChoices');
      candidate = { kind: 'multiple', ...common, options, maxChoices, majority };
      break;
    }
    case 'score': {
      const min = wholeNumber(form.scoreMin);
      const max = wholeNumber(form.scoreMax);
      if (min === null || max === null) fields.add('scoreRange');
      candidate = { kind: 'score', ...common, options, scoreRange: { min, max }, majority };
      break;
    }
  }
  const parsed = PollSettings.safeParse(candidate);
  if (parsed.success && fields.size === 0) return { ok: true, settings: parsed.data };
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const top = issue.path[0];
      const field = typeof top === 'string' ? fieldOfPath[top] : undefined;
      fields.add(field ?? 'question');
    }
  }
  return { ok: false, fields: [...fields] };
}

export const optionLimits = { min: votingLimits.minOptions, max: votingLimits.maxOptions };
