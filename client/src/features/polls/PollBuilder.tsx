import { Electorate, limits, MajorityBase, MajorityRule, PollKind, type PollView, votingLimits } from '@yitang/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { HindranceNote } from '../../components/HindranceNote';
import { useCapability } from '../room/hooks';
import { call } from '../room/roomSocket';
import {
  type BuilderField,
  builderFormOf,
  emptyBuilderForm,
  hasOptions,
  newOptionId,
  optionLimits,
  type PollBuilderForm,
  type QuorumType,
  settingsFromForm,
  simpleOnly,
} from './pollBuilder';

const quorumTypes: readonly QuorumType[] = ['none', 'ballots', 'share'];

function FieldError({ id, show, children }: { id: string; show: boolean; children: string }) {
  if (!show) return null;
  return (
    <p id={id} className="field-error">
      {children}
    </p>
  );
}

/**
 * Conveners build a poll of any kind and save it as a draft (poll:create), or edit a draft
 * (poll:update). Opening it is a separate step on the poll itself.
 */
export function PollBuilder({ editing, onDone }: { editing: PollView | null; onDone: () => void }) {
  const { t } = useTranslation();
  const ids = {
    quorumType: useId(),
    err: useId(),
    note: useId(),
    status: useId(),
  };
  const create = useCapability('poll:create');
  const update = useCapability('poll:update');
  const [form, setForm] = useState<PollBuilderForm>(() =>
    editing ? builderFormOf(editing.settings) : emptyBuilderForm(),
  );
  const [flagged, setFlagged] = useState<BuilderField[]>([]);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<'created' | 'updated' | null>(null);
  const questionRef = useRef<HTMLInputElement>(null);
  const editingId = editing?.id ?? null;

  // Loading another draft into the builder replaces the form.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a change of draft reloads the form.
  useEffect(() => {
    setForm(editing ? builderFormOf(editing.settings) : emptyBuilderForm());
    setFlagged([]);
    // After the folded section has opened (its effect runs after this one).
    if (editing) requestAnimationFrame(() => questionRef.current?.focus());
  }, [editingId]);

  const capability = editing ? update : create;
  if (!capability.shown) return null;

  const patch = (p: Partial<PollBuilderForm>) => {
    setForm((f) => ({ ...f, ...p }));
    setStatus(null);
  };
  const bad = (field: BuilderField) => flagged.includes(field);
  const errId = (field: BuilderField) => `${ids.err}-${field}`;
  const describe = (field: BuilderField, hint?: string) =>
    [hint ?? '', bad(field) ? errId(field) : ''].join(' ').trim() || undefined;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const built = settingsFromForm(form);
    if (!built.ok) {
      setFlagged(built.fields);
      return;
    }
    setFlagged([]);
    setBusy(true);
    const res = editing
      ? await call('poll:update', { pollId: editing.id, settings: built.settings })
      : await call('poll:create', { settings: built.settings });
    setBusy(false);
    if (!res.ok) return;
    setStatus(editing ? 'updated' : 'created');
    setForm(emptyBuilderForm());
    if (editing) onDone();
  };

  const options = hasOptions(form.kind);
  return (
    <form className="builder" onSubmit={submit} noValidate aria-busy={busy || undefined} data-testid="poll-builder">
      <HindranceNote id={ids.note} hindrance={capability.hindrance} />
      <Field
        label={t('poll.builder.question')}
        hint={t('poll.builder.questionHint', { used: form.question.length, max: limits.maxPollQuestionLength })}
        error={bad('question') ? t('poll.builder.errors.question', { max: limits.maxPollQuestionLength }) : undefined}
      >
        <input
          ref={questionRef}
          type="text"
          value={form.question}
          maxLength={limits.maxPollQuestionLength}
          onChange={(e) => patch({ question: e.target.value })}
          data-testid="poll-builder-question"
        />
      </Field>

      <Field label={t('poll.builder.kind')}>
        <select
          value={form.kind}
          onChange={(e) => {
            const kind = PollKind.safeParse(e.target.value);
            if (kind.success) patch({ kind: kind.data });
          }}
          data-testid="poll-builder-kind"
        >
          {PollKind.options.map((k) => (
            <option key={k} value={k}>
              {t(`poll.kinds.${k}`)}
            </option>
          ))}
        </select>
      </Field>

      {options && (
        <fieldset className="field builder__options" aria-describedby={bad('options') ? errId('options') : undefined}>
          <legend>{t('poll.builder.options')}</legend>
          <ol className="builder__option-list">
            {form.options.map((o, i) => (
              <li key={o.id} className="builder__option">
                <input
                  type="text"
                  value={o.label}
                  maxLength={votingLimits.maxOptionLabelLength}
                  aria-label={t('poll.builder.optionLabel', { n: i + 1 })}
                  aria-invalid={(bad('options') && o.label.trim() === '') || undefined}
                  onChange={(e) =>
                    patch({ options: form.options.map((x) => (x.id === o.id ? { ...x, label: e.target.value } : x)) })
                  }
                  data-testid={`poll-builder-option-${i}`}
                />
                <button
                  type="button"
                  className="button button--small"
                  aria-label={t('poll.builder.removeOption', { n: i + 1 })}
                  disabled={form.options.length <= optionLimits.min}
                  onClick={() => patch({ options: form.options.filter((x) => x.id !== o.id) })}
                  data-testid={`poll-builder-remove-option-${i}`}
                >
                  {t('common.remove')}
                </button>
              </li>
            ))}
          </ol>
          <button
            type="button"
            className="button button--small"
            disabled={form.options.length >= optionLimits.max}
            onClick={() => patch({ options: [...form.options, { id: newOptionId(form.options), label: '' }] })}
            data-testid="poll-builder-add-option"
          >
            {t('poll.builder.addOption')}
          </button>
          <FieldError id={errId('options')} show={bad('options')}>
            {t('poll.builder.errors.options', { min: optionLimits.min, max: optionLimits.max })}
          </FieldError>
        </fieldset>
      )}

      {form.kind === 'multiple' && (
        <Field
          label={t('poll.builder.maxChoices')}
          error={bad('maxChoices') ? t('poll.builder.errors.maxChoices') : undefined}
        >
          <input
            type="number"
            inputMode="numeric"
            min={1}
            max={form.options.length}
            className="input--short"
            value={form.maxChoices}
            onChange={(e) => patch({ maxChoices: e.target.value })}
            data-testid="poll-builder-max-choices"
          />
        </Field>
      )}

      {form.kind === 'score' && (
        <fieldset className="field row row--wrap" aria-describedby={describe('scoreRange')}>
          <legend>{t('poll.builder.scoreRange')}</legend>
          <Field label={t('poll.builder.scoreMin')}>
            <input
              type="number"
              inputMode="numeric"
              className="input--short"
              value={form.scoreMin}
              onChange={(e) => patch({ scoreMin: e.target.value })}
              aria-invalid={bad('scoreRange') || undefined}
              data-testid="poll-builder-score-min"
            />
          </Field>
          <Field label={t('poll.builder.scoreMax')}>
            <input
              type="number"
              inputMode="numeric"
              className="input--short"
              value={form.scoreMax}
              onChange={(e) => patch({ scoreMax: e.target.value })}
              aria-invalid={bad('scoreRange') || undefined}
              data-testid="poll-builder-score-max"
            />
          </Field>
          <FieldError id={errId('scoreRange')} show={bad('scoreRange')}>
            {t('poll.builder.errors.scoreRange', { span: votingLimits.maxScoreSpan })}
          </FieldError>
        </fieldset>
      )}

      <Field check label={t('poll.builder.secret')}>
        <input
          type="checkbox"
          checked={form.secret}
          onChange={(e) => patch({ secret: e.target.checked })}
          data-testid="poll-builder-secret"
        />
      </Field>

      <Field label={t('poll.builder.electorate')}>
        <select
          value={form.electorate}
          onChange={(e) => {
            const v = Electorate.safeParse(e.target.value);
            if (v.success) patch({ electorate: v.data });
          }}
          data-testid="poll-builder-electorate"
        >
          {Electorate.options.map((v) => (
            <option key={v} value={v}>
              {t(`poll.electorate.${v}`)}
            </option>
          ))}
        </select>
      </Field>

      <fieldset className="field" aria-describedby={describe('quorum')}>
        <legend>{t('poll.builder.quorum')}</legend>
        <div className="row row--wrap">
          <select
            id={ids.quorumType}
            aria-label={t('poll.builder.quorum')}
            value={form.quorumType}
            onChange={(e) => {
              const v = quorumTypes.find((q) => q === e.target.value);
              if (v) patch({ quorumType: v });
            }}
            data-testid="poll-builder-quorum"
          >
            {quorumTypes.map((q) => (
              <option key={q} value={q}>
                {t(`poll.builder.quorumType.${q}`)}
              </option>
            ))}
          </select>
          {form.quorumType === 'ballots' && (
            <span>
              <Field className="field--inline" labelClassName="visually-hidden" label={t('poll.builder.quorumMin')}>
                <input
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={votingLimits.maxQuorumBallots}
                  className="input--short"
                  placeholder={t('poll.builder.quorumMin')}
                  value={form.quorumMin}
                  onChange={(e) => patch({ quorumMin: e.target.value })}
                  aria-invalid={bad('quorum') || undefined}
                  data-testid="poll-builder-quorum-min"
                />
              </Field>
            </span>
          )}
          {form.quorumType === 'share' && (
            <span>
              <Field className="field--inline" labelClassName="visually-hidden" label={t('poll.builder.quorumPercent')}>
                <input
                  type="text"
                  inputMode="decimal"
                  className="input--short"
                  value={form.quorumPercent}
                  onChange={(e) => patch({ quorumPercent: e.target.value })}
                  aria-invalid={bad('quorum') || undefined}
                  data-testid="poll-builder-quorum-percent"
                />
              </Field>{' '}
              %
            </span>
          )}
        </div>
        <FieldError id={errId('quorum')} show={bad('quorum')}>
          {t('poll.builder.errors.quorum')}
        </FieldError>
      </fieldset>

      <fieldset className="field" aria-describedby={describe('majority')}>
        <legend>{t('poll.builder.majority')}</legend>
        <div className="row row--wrap">
          <Field label={t('poll.builder.ruleLabel')}>
            <select
              value={simpleOnly(form.kind) ? 'simple' : form.majorityRule}
              disabled={simpleOnly(form.kind)}
              onChange={(e) => {
                const v = MajorityRule.safeParse(e.target.value);
                if (v.success) patch({ majorityRule: v.data });
              }}
              data-testid="poll-builder-rule"
            >
              {MajorityRule.options.map((r) => (
                <option key={r} value={r}>
                  {t(`poll.builder.majorityRule.${r}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('poll.builder.baseLabel')}>
            <select
              value={form.majorityBase}
              onChange={(e) => {
                const v = MajorityBase.safeParse(e.target.value);
                if (v.success) patch({ majorityBase: v.data });
              }}
              data-testid="poll-builder-base"
            >
              {MajorityBase.options.map((b) => (
                <option key={b} value={b}>
                  {t(`poll.builder.majorityBase.${b}`)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        {simpleOnly(form.kind) && <p className="hint">{t('poll.builder.simpleOnly')}</p>}
        <FieldError id={errId('majority')} show={bad('majority')}>
          {t('poll.builder.errors.majority')}
        </FieldError>
      </fieldset>

      <div className="row">
        <button
          type="submit"
          className="button button--primary"
          disabled={busy || capability.hindrance !== null}
          aria-describedby={capability.hindrance ? ids.note : undefined}
          data-testid={editing ? 'poll-update' : 'poll-create'}
        >
          {editing ? t('poll.builder.update') : t('poll.builder.create')}
        </button>
        {editing && (
          <button type="button" className="button" onClick={onDone} data-testid="poll-builder-cancel">
            {t('poll.builder.cancelEdit')}
          </button>
        )}
      </div>
      <p id={ids.status} role="status" className="hint" data-testid="poll-builder-status">
        {status && t(`poll.builder.${status}`)}
      </p>
    </form>
  );
}
