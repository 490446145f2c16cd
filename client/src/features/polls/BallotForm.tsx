import { type BallotContent, type PollSettings, type PollSettingsOf, YesNoChoice } from '@yitang/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import {
  type BallotFormProblem,
  type BallotForm as BallotFormState,
  ballotFromForm,
  blankBallot,
  initialBallotForm,
  moveRank,
  toggleChoice,
  toggleRank,
} from './ballotForm';
import { useOptionLabel } from './pollText';

interface BallotFormProps {
  settings: PollSettings;
  /** Sends the ballot; the form is disabled while `busy`. */
  onCast: (content: BallotContent) => void;
  busy: boolean;
  /** Test ids start with this: `vote` in the room, `paper-ballot` at the check-in desk. */
  testPrefix: string;
  /** Why casting is not possible now, if it is not (the id of the note explaining it). */
  disabledReasonId?: string;
  disabled?: boolean;
}

const choiceClass: Record<YesNoChoice, string> = { yes: 'vote--yes', no: 'vote--no', abstain: 'vote--abstain' };

/**
 * Yes / no / abstain (abstain is the blank ballot). A ballot cannot be taken back, so a press
 * chooses and a second, named press casts: 确认投票：赞成 (or 重新选择).
 */
function YesNoButtons({ settings, onCast, busy, testPrefix, disabled, disabledReasonId }: BallotFormProps) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<YesNoChoice | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const choiceRefs = useRef(new Map<YesNoChoice, HTMLButtonElement>());
  const off = busy || disabled === true;
  useEffect(() => {
    if (chosen) confirmRef.current?.focus();
  }, [chosen]);
  return (
    <fieldset className="votes">
      <legend className="visually-hidden">{t('poll.ballotLegend', { question: settings.question })}</legend>
      {YesNoChoice.options.map((choice) => (
        <button
          key={choice}
          ref={(el) => {
            if (el) choiceRefs.current.set(choice, el);
          }}
          type="button"
          className={`button vote ${choiceClass[choice]}${chosen === choice ? ' vote--chosen' : ''}`}
          disabled={off}
          aria-pressed={chosen === choice}
          aria-describedby={disabledReasonId}
          aria-label={t('poll.voteLabel', { question: settings.question, choice: t(`poll.choice.${choice}`) })}
          onClick={() => setChosen(choice)}
          data-testid={`${testPrefix}-${choice}`}
        >
          {t(`poll.choice.${choice}`)}
        </button>
      ))}
      {chosen && (
        <div className="votes__confirm">
          <p className="hint">{t('poll.confirmHint')}</p>
          <button
            ref={confirmRef}
            type="button"
            className="button button--primary"
            disabled={off}
            onClick={() => onCast({ kind: 'yesno', choice: chosen })}
            data-testid={`${testPrefix}-confirm`}
          >
            {t('poll.confirmVote', { choice: t(`poll.choice.${chosen}`) })}
          </button>
          <button
            type="button"
            className="button"
            disabled={off}
            onClick={() => {
              const was = chosen;
              setChosen(null);
              choiceRefs.current.get(was)?.focus();
            }}
            data-testid={`${testPrefix}-change`}
          >
            {t('poll.changeChoice')}
          </button>
        </div>
      )}
    </fieldset>
  );
}

function SingleChoice({
  settings,
  form,
  setForm,
  name,
  testPrefix,
  disabled,
}: {
  settings: PollSettingsOf<'single'>;
  form: Extract<BallotFormState, { kind: 'single' }>;
  setForm: (f: BallotFormState) => void;
  name: string;
  testPrefix: string;
  disabled: boolean;
}) {
  return (
    <ul className="choices">
      {settings.options.map((o) => (
        <li key={o.id}>
          <Field check className="choice" label={o.label}>
            <input
              type="radio"
              name={name}
              value={o.id}
              checked={form.optionId === o.id}
              disabled={disabled}
              onChange={() => setForm({ kind: 'single', optionId: o.id })}
              data-testid={`${testPrefix}-option-${o.id}`}
            />
          </Field>
        </li>
      ))}
    </ul>
  );
}

function MultipleChoice({
  settings,
  form,
  setForm,
  hintId,
  testPrefix,
  disabled,
}: {
  settings: PollSettingsOf<'multiple'>;
  form: Extract<BallotFormState, { kind: 'multiple' }>;
  setForm: (f: BallotFormState) => void;
  hintId: string;
  testPrefix: string;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const full = form.optionIds.length >= settings.maxChoices;
  return (
    <>
      <p id={hintId} className="hint" data-testid={`${testPrefix}-chosen`} data-count={form.optionIds.length}>
        {t('poll.chooseUpTo', { max: settings.maxChoices, chosen: form.optionIds.length })}
      </p>
      <ul className="choices">
        {settings.options.map((o) => {
          const checked = form.optionIds.includes(o.id);
          return (
            <li key={o.id}>
              <Field check className="choice" label={o.label}>
                <input
                  type="checkbox"
                  checked={checked}
                  disabled={disabled || (!checked && full)}
                  aria-describedby={hintId}
                  onChange={() =>
                    setForm({ kind: 'multiple', optionIds: toggleChoice(form.optionIds, o.id, settings.maxChoices) })
                  }
                  data-testid={`${testPrefix}-option-${o.id}`}
                />
              </Field>
            </li>
          );
        })}
      </ul>
    </>
  );
}

function Ranking({
  settings,
  form,
  setForm,
  hintId,
  testPrefix,
  disabled,
}: {
  settings: PollSettingsOf<'ranking'>;
  form: Extract<BallotFormState, { kind: 'ranking' }>;
  setForm: (f: BallotFormState) => void;
  hintId: string;
  testPrefix: string;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const label = useOptionLabel();
  const listRef = useRef<HTMLOListElement>(null);
  const [moved, setMoved] = useState<{ id: string; dir: 'up' | 'down'; n: number } | null>(null);

  // Reordering moves DOM nodes, which can drop focus: put it back on the moved option's button.
  useEffect(() => {
    if (!moved) return;
    const find = (dir: string) =>
      listRef.current?.querySelector<HTMLButtonElement>(`[data-testid="${testPrefix}-rank-${dir}-${moved.id}"]`);
    const same = find(moved.dir);
    (same && !same.disabled ? same : find(moved.dir === 'up' ? 'down' : 'up'))?.focus();
  }, [moved, testPrefix]);

  const move = (index: number, by: -1 | 1) => {
    const id = form.order[index];
    if (id === undefined) return;
    setForm({ kind: 'ranking', order: moveRank(form.order, index, by) });
    setMoved({ id, dir: by === -1 ? 'up' : 'down', n: index + by + 1 });
  };
  const [placed, setPlaced] = useState<string | null>(null);
  const toggle = (id: string) => {
    const order = toggleRank(form.order, id);
    setForm({ kind: 'ranking', order });
    setMoved(null);
    setPlaced(
      order.includes(id)
        ? t('poll.rankPlaced', { label: label(settings, id), n: order.length })
        : t('poll.rankRemoved', { label: label(settings, id) }),
    );
  };
  const unranked = settings.options.filter((o) => !form.order.includes(o.id));

  return (
    <>
      <p id={hintId} className="hint">
        {t('poll.rankHint')}
      </p>
      <ol className="ranking" ref={listRef} data-testid={`${testPrefix}-ranking`}>
        {form.order.map((id, index) => {
          const text = label(settings, id);
          return (
            <li key={id} className="ranking__item" data-testid={`${testPrefix}-rank-${id}`} data-position={index + 1}>
              <span className="ranking__pos">{t('poll.rankPosition', { n: index + 1 })}</span>
              <span className="ranking__label">{text}</span>
              <span className="ranking__tools">
                <button
                  type="button"
                  className="button button--small button--icon"
                  aria-label={t('poll.rankUp', { label: text })}
                  disabled={disabled || index === 0}
                  onClick={() => move(index, -1)}
                  data-testid={`${testPrefix}-rank-up-${id}`}
                >
                  <span aria-hidden="true">↑</span>
                </button>
                <button
                  type="button"
                  className="button button--small button--icon"
                  aria-label={t('poll.rankDown', { label: text })}
                  disabled={disabled || index === form.order.length - 1}
                  onClick={() => move(index, 1)}
                  data-testid={`${testPrefix}-rank-down-${id}`}
                >
                  <span aria-hidden="true">↓</span>
                </button>
                <button
                  type="button"
                  className="button button--small"
                  aria-label={t('poll.rankRemove', { label: text })}
                  disabled={disabled}
                  onClick={() => toggle(id)}
                  data-testid={`${testPrefix}-rank-remove-${id}`}
                >
                  {t('poll.rankRemoveShort')}
                </button>
              </span>
            </li>
          );
        })}
      </ol>
      {unranked.length > 0 && (
        <>
          <p className="hint" data-testid={`${testPrefix}-unranked-count`}>
            {t('poll.unranked', { count: unranked.length })}
          </p>
          <ul className="ranking ranking--unranked" data-testid={`${testPrefix}-unranked`}>
            {unranked.map((o) => (
              <li key={o.id} className="ranking__item">
                <span className="ranking__label">{o.label}</span>
                <span className="ranking__tools">
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={t('poll.rankAdd', { label: o.label, n: form.order.length + 1 })}
                    disabled={disabled}
                    onClick={() => toggle(o.id)}
                    data-testid={`${testPrefix}-rank-add-${o.id}`}
                  >
                    {t('poll.rankAddShort', { n: form.order.length + 1 })}
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="visually-hidden" aria-live="polite">
        {moved ? t('poll.rankMoved', { label: label(settings, moved.id), n: moved.n }) : placed}
      </p>
    </>
  );
}

function Scores({
  settings,
  form,
  setForm,
  hintId,
  testPrefix,
  disabled,
}: {
  settings: PollSettingsOf<'score'>;
  form: Extract<BallotFormState, { kind: 'score' }>;
  setForm: (f: BallotFormState) => void;
  hintId: string;
  testPrefix: string;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const { min, max } = settings.scoreRange;
  // A short range reads best as a list of scores to pick; a long one as a number box.
  const asSelect = max - min <= 10;
  const values = Array.from({ length: max - min + 1 }, (_, i) => String(min + i));
  const set = (id: string, value: string) => setForm({ kind: 'score', scores: { ...form.scores, [id]: value } });
  return (
    <>
      <p id={hintId} className="hint">
        {t('poll.scoreHint', { min, max })}
      </p>
      <ul className="scores">
        {settings.options.map((o) => {
          const value = Object.hasOwn(form.scores, o.id) ? (form.scores[o.id] ?? '') : '';
          return (
            <li key={o.id} className="scores__row">
              <Field className="field--inline" labelClassName="scores__label" label={o.label}>
                {asSelect ? (
                  <select
                    value={value}
                    disabled={disabled}
                    aria-describedby={hintId}
                    onChange={(e) => set(o.id, e.target.value)}
                    data-testid={`${testPrefix}-score-${o.id}`}
                  >
                    <option value="">–</option>
                    {values.map((v) => (
                      <option key={v} value={v}>
                        {v}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    type="number"
                    inputMode="numeric"
                    min={min}
                    max={max}
                    step={1}
                    className="input--short"
                    value={value}
                    disabled={disabled}
                    aria-describedby={hintId}
                    onChange={(e) => set(o.id, e.target.value)}
                    data-testid={`${testPrefix}-score-${o.id}`}
                  />
                )}
              </Field>
            </li>
          );
        })}
      </ul>
    </>
  );
}

/**
 * A ballot for any kind of poll. Yes/no is chosen, then confirmed; the other kinds are filled in, then
 * cast with "Vote", or cast blank with their own button (a blank ballot counts as cast).
 */
export function BallotForm(props: BallotFormProps) {
  const { t } = useTranslation();
  const ids = { hint: useId(), problem: useId(), blank: useId(), name: useId(), legend: useId() };
  const { settings, onCast, busy, testPrefix } = props;
  const [form, setForm] = useState<BallotFormState>(() => initialBallotForm(settings));
  const [problem, setProblem] = useState<BallotFormProblem | null>(null);

  if (settings.kind === 'yesno') return <YesNoButtons {...props} />;

  const disabled = busy || props.disabled === true;
  const update = (f: BallotFormState) => {
    setForm(f);
    setProblem(null);
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = ballotFromForm(settings, form);
    if (!result.ok) {
      setProblem(result.problem);
      return;
    }
    onCast(result.content);
  };
  const hasHint = settings.kind !== 'single';
  const described = [hasHint ? ids.hint : '', problem ? ids.problem : '', props.disabledReasonId ?? '']
    .join(' ')
    .trim();

  return (
    <form className="ballot" onSubmit={submit} noValidate data-testid={`${testPrefix}-form`}>
      <fieldset className="ballot__fields" aria-describedby={described || undefined}>
        <legend id={ids.legend}>{t('poll.ballotLegend', { question: settings.question })}</legend>
        {form.kind === 'single' && settings.kind === 'single' && (
          <SingleChoice
            settings={settings}
            form={form}
            setForm={update}
            name={ids.name}
            testPrefix={testPrefix}
            disabled={disabled}
          />
        )}
        {form.kind === 'multiple' && settings.kind === 'multiple' && (
          <MultipleChoice
            settings={settings}
            form={form}
            setForm={update}
            hintId={ids.hint}
            testPrefix={testPrefix}
            disabled={disabled}
          />
        )}
        {form.kind === 'ranking' && settings.kind === 'ranking' && (
          <Ranking
            settings={settings}
            form={form}
            setForm={update}
            hintId={ids.hint}
            testPrefix={testPrefix}
            disabled={disabled}
          />
        )}
        {form.kind === 'score' && settings.kind === 'score' && (
          <Scores
            settings={settings}
            form={form}
            setForm={update}
            hintId={ids.hint}
            testPrefix={testPrefix}
            disabled={disabled}
          />
        )}
      </fieldset>
      <p id={ids.problem} className="field-error" role="alert" data-testid={`${testPrefix}-problem`}>
        {problem && t(`poll.problem.${problem}`)}
      </p>
      <div className="ballot__actions">
        <button
          type="submit"
          className="button button--primary"
          disabled={disabled}
          data-testid={`${testPrefix}-submit`}
        >
          {t('poll.submit')}
        </button>
        <button
          type="button"
          className="button"
          disabled={disabled}
          aria-describedby={ids.blank}
          onClick={() => onCast(blankBallot(settings.kind))}
          data-testid={`${testPrefix}-blank`}
        >
          {t('poll.blank')}
        </button>
      </div>
      <p id={ids.blank} className="hint">
        {t('poll.blankHint')}
      </p>
    </form>
  );
}
