import {
  changeListSeparator,
  DutyKind,
  type MinimumId,
  minimumLabels,
  type RubricBody,
  type RubricChange,
  type RubricDraftView,
  type RubricPreviewResponse,
  type RubricRule,
  type RubricVersionView,
  standardRubric,
} from '@yitang/shared';
import type { TFunction } from 'i18next';
import { type FormEvent, type ReactNode, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { Field } from '../../components/Field';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';
import { PeriodPicker, pointsText, StaffNav, TableScroll } from './common';
import { rubricsZhCN } from './i18n-rubrics.zh-CN';
import './rubrics.css';
import { committeeToday, dutyRubricsPath, yearChoices } from './model';
import {
  discardRubricDraft,
  fetchRubricPreview,
  fetchRubricVersions,
  publishRubricDraft,
  saveRubricDraft,
} from './rubric-api';
import { newRuleId, type PreviewSortKey, type RubricProblem, rubricProblems, sortPreview } from './rubric-model';

type T = TFunction;

const ruleFields = Object.keys(rubricsZhCN.rule) as Array<keyof typeof rubricsZhCN.rule>;
const minimumFields = Object.keys(rubricsZhCN.minimum) as Array<keyof typeof rubricsZhCN.minimum>;
const grades = ['excellent', 'competent', 'basicallyCompetent', 'incompetent'] as const;
const minimumIds = Object.keys(minimumLabels) as MinimumId[];
const isOneOf = <K extends string>(keys: readonly K[], v: string | null | undefined): v is K =>
  typeof v === 'string' && (keys as readonly string[]).includes(v);

const settingKeys = ['allMinimumsBonus', 'missingMinimumDeduction', 'rubricMax', 'evaluationMax', 'panelMax'] as const;
const thresholdKeys = ['excellent', 'competent', 'basicallyCompetent'] as const;

/** Where a problem is, as a person reads it: “规则 2「会上发言」的每条分值”. */
function placeOf(t: T, body: RubricBody, path: string): string {
  const [head, index, field] = path.split('.');
  if (head === 'rules' && index !== undefined) {
    const rule = body.rules[Number(index)];
    const where = t('duty.rubrics.place.rule', { n: Number(index) + 1, label: rule?.label ?? '' });
    return isOneOf(ruleFields, field)
      ? `${where}${t('duty.rubrics.place.of')}${t(`duty.rubrics.rule.${field}`)}`
      : where;
  }
  if (head === 'rules') return t('duty.rubrics.rulesTitle');
  if (head === 'minimums' && index !== undefined) {
    const m = body.minimums[Number(index)];
    const where = m ? t(`duty.minimum.${m.id}`) : t('duty.rubrics.minimumsTitle');
    return isOneOf(minimumFields, field)
      ? `${where}${t('duty.rubrics.place.of')}${t(`duty.rubrics.minimum.${field}`)}`
      : where;
  }
  if (head === 'minimums') return t('duty.rubrics.minimumsTitle');
  if (head === 'thresholds')
    return isOneOf(grades, index) ? t(`duty.grade.${index}`) : t('duty.rubrics.thresholdsTitle');
  if (isOneOf(settingKeys, head)) return t(`duty.rubrics.setting.${head}`);
  return path;
}

/** One change between versions, e.g. “规则“会上发言”的每条分值：1 → 2”. */
export function changeText(t: T, c: RubricChange, labels: ReadonlyMap<string, string>): string {
  const threshold = c.id.startsWith('thresholds.') ? c.id.slice('thresholds.'.length) : null;
  const name =
    c.target === 'rule'
      ? t('duty.rubrics.change.rule', { id: labels.get(c.id) ?? (c.change === 'removed' ? c.before : null) ?? c.id })
      : c.target === 'minimum'
        ? isOneOf(minimumIds, c.id)
          ? t(`duty.minimum.${c.id}`)
          : c.id
        : isOneOf(grades, threshold)
          ? t('duty.rubrics.change.threshold', { grade: t(`duty.grade.${threshold}`) })
          : isOneOf(settingKeys, c.id)
            ? t(`duty.rubrics.setting.${c.id}`)
            : c.id;
  if (c.change === 'added') return t('duty.rubrics.change.added', { name });
  if (c.change === 'removed') return t('duty.rubrics.change.removed', { name });
  const fieldName =
    c.target === 'rule' && isOneOf(ruleFields, c.field)
      ? t(`duty.rubrics.rule.${c.field}`)
      : c.target === 'minimum' && isOneOf(minimumFields, c.field)
        ? t(`duty.rubrics.minimum.${c.field}`)
        : (c.field ?? '');
  const field = fieldName ? `${t('duty.rubrics.place.of')}${fieldName}` : '';
  // Kinds and yes/no are stored as the contract spells them; read them in the page's language.
  const value = (v: string | null) => {
    if (v === null) return '';
    if (c.field === 'kinds')
      return v
        .split(changeListSeparator)
        .map((k) => (isOneOf(DutyKind.options, k) ? t(`duty.kind.${k}`) : k))
        .join(t('common.listSeparator'));
    if (v === 'true') return t('duty.rubrics.change.yes');
    if (v === 'false') return t('duty.rubrics.change.no');
    return v;
  };
  return t('duty.rubrics.change.changed', { name, field, before: value(c.before), after: value(c.after) });
}

function ChangeList({
  changes,
  testId,
  rules,
}: {
  changes: readonly RubricChange[];
  testId: string;
  /** The rules the changes speak of, for their names. */
  rules: readonly RubricRule[];
}) {
  const { t } = useTranslation();
  const labels = new Map(rules.map((r) => [r.id, r.label]));
  if (changes.length === 0) return <p className="muted">{t('duty.rubrics.noChanges')}</p>;
  return (
    <ul className="duty-rubric-changes" data-testid={testId}>
      {changes.map((c) => (
        <li key={`${c.target}:${c.id}:${c.field ?? ''}:${c.change}`}>{changeText(t, c, labels)}</li>
      ))}
    </ul>
  );
}

/** A rubric's rules as a table (read only). */
function RulesTable({ body, caption }: { body: RubricBody; caption: string }) {
  const { t } = useTranslation();
  return (
    <TableScroll label={caption}>
      <table className="duty-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('duty.rubrics.rule.label')}</th>
            <th scope="col">{t('duty.rubrics.rule.kinds')}</th>
            <th scope="col">{t('duty.rubrics.rule.points')}</th>
            <th scope="col">{t('duty.rubrics.rule.cap')}</th>
          </tr>
        </thead>
        <tbody>
          {body.rules.map((r) => (
            <tr key={r.id} data-testid={`rubric-rule-${r.id}`}>
              <th scope="row">{r.label}</th>
              <td className="duty-table__wrap">
                {r.kinds.map((k) => t(`duty.kind.${k}`)).join(t('common.listSeparator'))}
                {r.onlyWithFeedback && ` ${t('duty.rubrics.rule.onlyWithFeedbackShort')}`}
                {r.onlyKeyProposals === true && ` ${t('duty.rubrics.rule.onlyKeyProposalsShort')}`}
              </td>
              <td>{pointsText(r.points)}</td>
              <td>{r.cap === null ? t('duty.rubrics.noCap') : r.cap}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function VersionSummary({ v }: { v: RubricVersionView }) {
  const { t } = useTranslation();
  return (
    <p className="hint">
      {v.effectiveFrom
        ? t('duty.rubrics.effectiveFrom', { date: v.effectiveFrom })
        : t('duty.rubrics.storedOn', { date: v.createdAt.slice(0, 10) })}
      {t('common.listSeparator')}
      {t('duty.rubrics.publishedBy', { name: v.createdBy.name })}
      {v.draftedBy && v.draftedBy.id !== v.createdBy.id && (
        <>
          {t('common.listSeparator')}
          {t('duty.rubrics.draftedBy', { name: v.draftedBy.name })}
        </>
      )}
    </p>
  );
}

/** A number field of the draft; empty reads as “not a number” (the contract says what is missing). */
function NumberField(props: {
  label: string;
  path: string;
  value: number | null;
  onChange: (value: number) => void;
  invalid: boolean;
  step?: string;
  emptyMeansNull?: boolean;
  onNull?: () => void;
  hint?: string;
}) {
  return (
    <Field className="duty-rubric-field" label={props.label} hint={props.hint}>
      <input
        type="number"
        inputMode="decimal"
        step={props.step ?? 'any'}
        value={props.value === null || Number.isNaN(props.value) ? '' : String(props.value)}
        onChange={(e) => {
          if (e.target.value === '' && props.onNull) props.onNull();
          else props.onChange(e.target.value === '' ? Number.NaN : Number(e.target.value));
        }}
        aria-invalid={props.invalid || undefined}
        data-path={props.path}
        data-testid={`rubric-field-${props.path}`}
      />
    </Field>
  );
}

/** The kinds of duty record a rule or minimum counts: a group of checkboxes, folded on a phone. */
function KindsField(props: {
  legend: string;
  path: string;
  kinds: readonly DutyKind[];
  invalid: boolean;
  onChange: (kinds: DutyKind[]) => void;
}) {
  const { t } = useTranslation();
  const chosen = new Set(props.kinds);
  return (
    <details className="duty-rubric-kinds">
      <summary>
        {props.legend}
        {t('duty.rubrics.colon')}
        {props.kinds.length === 0
          ? t('duty.rubrics.noKinds')
          : props.kinds.map((k) => t(`duty.kind.${k}`)).join(t('common.listSeparator'))}
      </summary>
      <fieldset aria-invalid={props.invalid || undefined} data-path={props.path}>
        <legend className="visually-hidden">{props.legend}</legend>
        {DutyKind.options.map((k) => (
          <Field key={k} check label={t(`duty.kind.${k}`)}>
            <input
              type="checkbox"
              checked={chosen.has(k)}
              onChange={(e) =>
                props.onChange(e.target.checked ? [...props.kinds, k] : props.kinds.filter((x) => x !== k))
              }
              data-testid={`rubric-kind-${props.path}-${k}`}
            />
          </Field>
        ))}
      </fieldset>
    </details>
  );
}

function RuleEditor(props: {
  rule: RubricRule;
  index: number;
  bad: (path: string) => boolean;
  onChange: (rule: RubricRule) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const { rule, index } = props;
  const p = (f: string) => `rules.${index}.${f}`;
  const headId = useId();
  return (
    <li className="panel duty-rubric-rule" data-testid={`rubric-edit-rule-${rule.id}`} aria-labelledby={headId}>
      <h4 id={headId}>{t('duty.rubrics.place.rule', { n: index + 1, label: rule.label })}</h4>
      <Field className="duty-rubric-field" label={t('duty.rubrics.rule.label')}>
        <input
          type="text"
          value={rule.label}
          maxLength={100}
          onChange={(e) => props.onChange({ ...rule, label: e.target.value })}
          aria-invalid={props.bad(p('label')) || undefined}
          data-path={p('label')}
          data-testid={`rubric-field-${p('label')}`}
        />
      </Field>
      <KindsField
        legend={t('duty.rubrics.rule.kinds')}
        path={p('kinds')}
        kinds={rule.kinds}
        invalid={props.bad(p('kinds'))}
        onChange={(kinds) => props.onChange({ ...rule, kinds })}
      />
      <div className="row row--wrap">
        <NumberField
          label={t('duty.rubrics.rule.points')}
          path={p('points')}
          value={rule.points}
          invalid={props.bad(p('points'))}
          onChange={(points) => props.onChange({ ...rule, points })}
          hint={t('duty.rubrics.pointsHint')}
        />
        <NumberField
          label={t('duty.rubrics.rule.cap')}
          path={p('cap')}
          value={rule.cap}
          invalid={props.bad(p('cap'))}
          onChange={(cap) => props.onChange({ ...rule, cap })}
          onNull={() => props.onChange({ ...rule, cap: null })}
          hint={t('duty.rubrics.capHint')}
        />
      </div>
      <Field check label={t('duty.rubrics.rule.onlyWithFeedback')}>
        <input
          type="checkbox"
          checked={rule.onlyWithFeedback}
          onChange={(e) => props.onChange({ ...rule, onlyWithFeedback: e.target.checked })}
        />
      </Field>
      <Field check label={t('duty.rubrics.rule.onlyKeyProposals')}>
        <input
          type="checkbox"
          checked={rule.onlyKeyProposals === true}
          onChange={(e) => props.onChange({ ...rule, onlyKeyProposals: e.target.checked })}
        />
      </Field>
      <p>
        <button type="button" className="button button--small" onClick={props.onRemove}>
          {t('duty.rubrics.removeRule', { label: rule.label || rule.id })}
        </button>
      </p>
    </li>
  );
}

/** The draft's form: rules, the six minimums, the rubric-wide settings; problems shown as they arise. */
function DraftForm(props: {
  year: number;
  draft: RubricDraftView;
  today: string;
  onSaved: (draft: RubricDraftView) => void;
  onPublished: () => void;
  onDiscarded: () => void;
  onPreview: () => void;
  /** The preview, shown between the draft's buttons and publishing. */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const [body, setBody] = useState<RubricBody>(props.draft.rubric);
  const [effectiveFrom, setEffectiveFrom] = useState(props.today);
  const [shownProblems, setShownProblems] = useState(false);
  // Bumped by each save refused for problems: the list takes focus, so it is read out.
  const [refusals, setRefusals] = useState(0);
  const problemsRef = useRef<HTMLElement>(null);
  const action = useAction();
  useEffect(() => {
    if (refusals > 0) problemsRef.current?.focus();
  }, [refusals]);
  const ids = {
    rules: useId(),
    minimums: useId(),
    settings: useId(),
    problems: useId(),
    publish: useId(),
    date: useId(),
  };
  const problems = useMemo(() => rubricProblems(body), [body]);
  const badPaths = useMemo(() => new Set(problems.map((p) => p.path)), [problems]);
  const bad = (path: string) => shownProblems && (badPaths.has(path) || badPaths.has(path.split('.')[0] ?? ''));
  const dirty = JSON.stringify(body) !== JSON.stringify(props.draft.rubric);

  const setRule = (i: number, rule: RubricRule) =>
    setBody((b) => ({ ...b, rules: b.rules.map((r, j) => (j === i ? rule : r)) }));

  const save = async (): Promise<RubricDraftView | null> => {
    setShownProblems(true);
    if (problems.length > 0) {
      setRefusals((n) => n + 1);
      return null;
    }
    let saved: RubricDraftView | null = null;
    const ok = await action.run(async () => {
      saved = await saveRubricDraft(props.year, {
        baseVersion: props.draft.baseVersion,
        revision: props.draft.revision,
        rubric: body,
      });
    });
    if (ok && saved) props.onSaved(saved);
    return saved;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await save();
  };

  const preview = async () => {
    if (dirty && !(await save())) return;
    props.onPreview();
  };

  const publish = async () => {
    if (dirty) return;
    const ok = await action.run(() =>
      publishRubricDraft(props.year, { revision: props.draft.revision, effectiveFrom }),
    );
    if (ok) props.onPublished();
  };

  const discard = async () => {
    if (!window.confirm(t('duty.rubrics.discardConfirm'))) return;
    const ok = await action.run(() => discardRubricDraft(props.year));
    if (ok) props.onDiscarded();
  };

  const describe = (p: RubricProblem) =>
    `${placeOf(t, body, p.path)}${t('duty.rubrics.colon')}${t(`duty.rubrics.problem.${p.key}`, p.params)}`;

  return (
    <form className="duty-rubric-form" onSubmit={(e) => void submit(e)} noValidate data-testid="rubric-draft-form">
      <p className="hint">
        {props.draft.baseVersion === 0
          ? t('duty.rubrics.draftFromStandard', { revision: props.draft.revision })
          : t('duty.rubrics.draftFrom', { version: props.draft.baseVersion, revision: props.draft.revision })}
      </p>
      <section className="panel" aria-labelledby={ids.rules}>
        <h3 id={ids.rules}>{t('duty.rubrics.rulesTitle')}</h3>
        <ol className="duty-rubric-rules">
          {body.rules.map((rule, i) => (
            <RuleEditor
              // A rule's id can be edited away; its place keeps the row.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above.
              key={i}
              rule={rule}
              index={i}
              bad={bad}
              onChange={(r) => setRule(i, r)}
              onRemove={() => setBody((b) => ({ ...b, rules: b.rules.filter((_, j) => j !== i) }))}
            />
          ))}
        </ol>
        <button
          type="button"
          className="button"
          onClick={() =>
            setBody((b) => ({
              ...b,
              rules: [
                ...b.rules,
                {
                  id: newRuleId(b.rules),
                  label: t('duty.rubrics.newRuleLabel'),
                  kinds: [],
                  points: 1,
                  cap: null,
                  onlyWithFeedback: false,
                },
              ],
            }))
          }
          data-testid="rubric-add-rule"
        >
          {t('duty.rubrics.addRule')}
        </button>
      </section>

      <section className="panel" aria-labelledby={ids.minimums}>
        <h3 id={ids.minimums}>{t('duty.rubrics.minimumsTitle')}</h3>
        <ul className="duty-rubric-rules">
          {body.minimums.map((m, i) => (
            <li key={m.id} className="duty-rubric-rule" data-testid={`rubric-edit-minimum-${m.id}`}>
              <h4>{t(`duty.minimum.${m.id}`)}</h4>
              <KindsField
                legend={t('duty.rubrics.minimum.kinds')}
                path={`minimums.${i}.kinds`}
                kinds={m.kinds}
                invalid={bad(`minimums.${i}.kinds`)}
                onChange={(kinds) =>
                  setBody((b) => ({ ...b, minimums: b.minimums.map((x, j) => (j === i ? { ...x, kinds } : x)) }))
                }
              />
              <div className="row row--wrap">
                <NumberField
                  label={t('duty.rubrics.minimum.count')}
                  path={`minimums.${i}.count`}
                  value={m.count}
                  step="1"
                  invalid={bad(`minimums.${i}.count`)}
                  onChange={(count) =>
                    setBody((b) => ({ ...b, minimums: b.minimums.map((x, j) => (j === i ? { ...x, count } : x)) }))
                  }
                />
                <Field check label={t('duty.rubrics.minimum.required')}>
                  <input
                    type="checkbox"
                    checked={m.required}
                    onChange={(e) =>
                      setBody((b) => ({
                        ...b,
                        minimums: b.minimums.map((x, j) => (j === i ? { ...x, required: e.target.checked } : x)),
                      }))
                    }
                  />
                </Field>
              </div>
            </li>
          ))}
        </ul>
      </section>

      <section className="panel" aria-labelledby={ids.settings}>
        <h3 id={ids.settings}>{t('duty.rubrics.settingsTitle')}</h3>
        <div className="row row--wrap">
          {settingKeys.map((k) => (
            <NumberField
              key={k}
              label={t(`duty.rubrics.setting.${k}`)}
              path={k}
              value={body[k]}
              invalid={bad(k)}
              onChange={(v) => setBody((b) => ({ ...b, [k]: v }))}
            />
          ))}
        </div>
        <p className="hint">{t('duty.rubrics.sumHint')}</p>
        <h4>{t('duty.rubrics.thresholdsTitle')}</h4>
        <div className="row row--wrap">
          {thresholdKeys.map((k) => (
            <NumberField
              key={k}
              label={t(`duty.grade.${k}`)}
              path={`thresholds.${k}`}
              value={body.thresholds[k]}
              invalid={bad(`thresholds.${k}`) || bad('thresholds')}
              onChange={(v) => setBody((b) => ({ ...b, thresholds: { ...b.thresholds, [k]: v } }))}
            />
          ))}
        </div>
      </section>

      {shownProblems && problems.length > 0 && (
        <section
          className="banner banner--error"
          role="alert"
          aria-labelledby={ids.problems}
          ref={problemsRef}
          tabIndex={-1}
          data-testid="rubric-problems"
        >
          <h3 id={ids.problems}>{t('duty.rubrics.problemsTitle', { count: problems.length })}</h3>
          <ul>
            {problems.map((p) => (
              <li key={`${p.path}:${p.key}`}>{describe(p)}</li>
            ))}
          </ul>
        </section>
      )}
      {action.error && (
        <p role="alert" className="field-error" data-testid="rubric-error">
          {action.error === 'ILLEGAL_TRANSITION'
            ? t('duty.rubrics.conflict')
            : action.error === 'BAD_REQUEST'
              ? t('duty.rubrics.refused')
              : t(`errors.${action.error}`)}
        </p>
      )}
      <div className="row row--wrap duty-rubric-actions">
        <button type="submit" className="button button--primary" disabled={action.busy} data-testid="rubric-save">
          {t('duty.rubrics.save')}
        </button>
        <button
          type="button"
          className="button"
          disabled={action.busy}
          onClick={() => void preview()}
          data-testid="rubric-preview"
        >
          {t('duty.rubrics.preview')}
        </button>
        <button
          type="button"
          className="button"
          disabled={action.busy}
          onClick={() => void discard()}
          data-testid="rubric-discard"
        >
          {t('duty.rubrics.discard')}
        </button>
      </div>

      {props.children}
      <section className="panel" aria-labelledby={ids.publish}>
        <h3 id={ids.publish}>{t('duty.rubrics.publishTitle')}</h3>
        <Field label={t('duty.rubrics.effectiveFromLabel')}>
          <input
            type="date"
            min={props.today}
            value={effectiveFrom}
            onChange={(e) => setEffectiveFrom(e.target.value)}
            data-testid="rubric-effective-from"
          />
        </Field>
        {dirty && <p className="hint">{t('duty.rubrics.saveFirst')}</p>}
        <button
          type="button"
          className="button button--primary"
          disabled={action.busy || dirty}
          onClick={() => void publish()}
          data-testid="rubric-publish"
        >
          {t('duty.rubrics.publish', { version: props.draft.baseVersion + 1 })}
        </button>
      </section>
    </form>
  );
}

const sortKeys: PreviewSortKey[] = ['name', 'current', 'draft', 'difference'];

/** Every member's score under the draft beside the version in force; sortable by any column. */
function PreviewTable({ data }: { data: RubricPreviewResponse }) {
  const { t } = useTranslation();
  const [sort, setSort] = useState<{ key: PreviewSortKey; direction: 'ascending' | 'descending' }>({
    key: 'difference',
    direction: 'descending',
  });
  const rows = useMemo(() => sortPreview(data.rows, sort.key, sort.direction), [data.rows, sort]);
  const headId = useId();
  const caption = t('duty.rubrics.previewTitle');
  const toggle = (key: PreviewSortKey) =>
    setSort((s) => ({
      key,
      direction:
        s.key === key
          ? s.direction === 'ascending'
            ? 'descending'
            : 'ascending'
          : key === 'name'
            ? 'ascending'
            : 'descending',
    }));
  const sortLabel = (key: PreviewSortKey) => t(`duty.rubrics.column.${key}`);
  return (
    <section className="panel" aria-labelledby={headId} data-testid="rubric-preview-panel">
      <h3 id={headId}>{caption}</h3>
      <p data-testid="rubric-preview-summary" data-changed={data.changed} data-grade-changes={data.gradeChanges}>
        {t('duty.rubrics.previewSummary', {
          members: data.rows.length,
          changed: data.changed,
          grades: data.gradeChanges,
          version: data.inForceVersion ?? '—',
        })}
      </p>
      <TableScroll label={caption}>
        <table className="duty-table" data-testid="rubric-preview-table">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {sortKeys.map((key) => (
                <th key={key} scope="col" aria-sort={sort.key === key ? sort.direction : undefined}>
                  <button
                    type="button"
                    className="duty-sort"
                    onClick={() => toggle(key)}
                    data-testid={`rubric-sort-${key}`}
                  >
                    {sortLabel(key)}
                    <span aria-hidden="true">
                      {sort.key === key ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}
                    </span>
                  </button>
                </th>
              ))}
              <th scope="col">{t('duty.rubrics.column.grade')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={r.member.id}
                data-testid={`rubric-preview-${r.member.id}`}
                data-current={r.current?.total ?? ''}
                data-draft={r.draft.total}
                data-difference={r.difference}
              >
                <th scope="row">
                  {r.member.name}
                  {r.member.sectorName && <span className="muted"> {r.member.sectorName}</span>}
                </th>
                <td>{r.current ? r.current.total : '—'}</td>
                <td>{r.draft.total}</td>
                <td className={r.difference > 0 ? 'duty-up' : r.difference < 0 ? 'duty-down' : undefined}>
                  {r.difference > 0 ? `+${r.difference}` : pointsText(r.difference)}
                </td>
                <td>
                  {r.gradeChanged && r.current ? (
                    <strong>
                      {t('duty.rubrics.gradeChange', {
                        from: t(`duty.grade.${r.current.grade}`),
                        to: t(`duty.grade.${r.draft.grade}`),
                      })}
                    </strong>
                  ) : (
                    t(`duty.grade.${r.draft.grade}`)
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}

/**
 * The rubric editor (staff): the version in force and the earlier ones for a year, one draft
 * started from the latest version, a preview of every member's score under it, and publishing it
 * from a day. Nobody's score changes until a published version's day comes.
 */
export function RubricEditorPage({ year }: { year: number | null }) {
  const { t } = useTranslation();
  const today = committeeToday();
  const shown = year ?? Number(today.slice(0, 4));
  // Kept on screen while a change reloads it; a failed answer shows none, and neither does another
  // year's while this one loads (a draft started from it would take that year's version as its base).
  const loaded = useLoad(() => fetchRubricVersions(shown), [shown], { keep: true });
  const { error, reload: load, setData } = loaded;
  const data = !error && loaded.data?.year === shown ? loaded.data : null;
  const [preview, setPreview] = useState<RubricPreviewResponse | null>(null);
  const [notice, setNotice] = useState('');
  const start = useAction();
  const previewAction = useAction();
  const ids = { inForce: useId(), earlier: useId(), draft: useId() };

  // biome-ignore lint/correctness/useExhaustiveDependencies: another year's preview goes with the year
  useEffect(() => {
    setPreview(null);
  }, [shown]);

  const inForce = data?.versions.find((v) => v.state === 'inForce') ?? null;
  const latest = data?.versions[0] ?? null;

  // From the latest version, or, for a year without one, from the committee's standard rubric.
  const startDraft = async () => {
    setNotice('');
    const ok = await start.run(() =>
      saveRubricDraft(shown, {
        baseVersion: latest?.version ?? 0,
        revision: 0,
        rubric: latest ? stripVersion(latest) : standardRubric(shown),
      }),
    );
    if (ok) load();
  };

  const loadPreview = async () => {
    await previewAction.run(async () => setPreview(await fetchRubricPreview(shown)));
  };

  return (
    <div className="page page--wide duty-page" data-testid="duty-rubrics-page">
      <StaffNav />
      <h1>{t('duty.rubrics.title', { year: shown })}</h1>
      <PeriodPicker
        key={shown}
        label={t('duty.year')}
        value={shown}
        options={[...new Set([Number(today.slice(0, 4)) + 1, ...yearChoices(today)])]}
        optionLabel={(y) => t('duty.yearOption', { year: y })}
        pathFor={dutyRubricsPath}
        testId="rubrics-year"
      />
      {error && (
        <p role="alert" className="field-error">
          {t(`errors.${error}`)}
        </p>
      )}
      {!data && !error && (
        <p role="status" className="hint">
          {t('app.loading')}
        </p>
      )}
      <p role="status" className="banner" data-testid="rubric-notice" hidden={!notice}>
        {notice}
      </p>
      {data && data.versions.length === 0 && <Banner>{t('duty.rubrics.none', { year: shown })}</Banner>}
      {data && inForce && (
        <section
          className="panel"
          aria-labelledby={ids.inForce}
          data-testid="rubric-in-force"
          data-version={inForce.version}
        >
          <h2 id={ids.inForce}>{t('duty.rubrics.inForceTitle', { version: inForce.version })}</h2>
          <VersionSummary v={inForce} />
          <RulesTable body={inForce.rubric} caption={t('duty.rubrics.inForceTitle', { version: inForce.version })} />
        </section>
      )}
      {data?.versions.some((v) => v.state !== 'inForce') && (
        <section className="panel" aria-labelledby={ids.earlier} data-testid="rubric-other-versions">
          <h2 id={ids.earlier}>{t('duty.rubrics.otherVersions')}</h2>
          {data.versions
            .filter((v) => v.state !== 'inForce')
            .map((v) => (
              <details key={v.version} data-testid={`rubric-version-${v.version}`} data-state={v.state}>
                <summary>
                  {t(`duty.rubrics.state.${v.state}`, { version: v.version, date: v.effectiveFrom ?? '' })}
                </summary>
                <VersionSummary v={v} />
                <h3>{t('duty.rubrics.changesTitle')}</h3>
                <ChangeList changes={v.changes} rules={v.rubric.rules} testId={`rubric-version-${v.version}-changes`} />
                <RulesTable body={v.rubric} caption={t('duty.rubrics.versionTitle', { version: v.version })} />
              </details>
            ))}
        </section>
      )}
      {data && (
        <section className="panel" aria-labelledby={ids.draft} data-testid="rubric-draft">
          <h2 id={ids.draft}>{t('duty.rubrics.draftTitle')}</h2>
          {!data.draft ? (
            <>
              <p className="hint">
                {latest ? t('duty.rubrics.noDraft', { version: latest.version }) : t('duty.rubrics.noDraftNoVersion')}
              </p>
              <button
                type="button"
                className="button button--primary"
                disabled={start.busy}
                onClick={() => void startDraft()}
                data-testid="rubric-start"
              >
                {latest ? t('duty.rubrics.start', { version: latest.version }) : t('duty.rubrics.startStandard')}
              </button>
              {start.error && (
                <p role="alert" className="field-error">
                  {start.error === 'ILLEGAL_TRANSITION' ? t('duty.rubrics.conflict') : t(`errors.${start.error}`)}
                </p>
              )}
            </>
          ) : (
            <>
              {data.draft.baseVersion > 0 && (
                <>
                  <h3>{t('duty.rubrics.draftChanges', { version: data.draft.baseVersion })}</h3>
                  <ChangeList
                    changes={data.draft.changes}
                    rules={data.draft.rubric.rules}
                    testId="rubric-draft-changes"
                  />
                </>
              )}
              <details>
                <summary>{t('duty.rubrics.historyTitle')}</summary>
                <ol data-testid="rubric-draft-history">
                  {data.draft.history.map((h) => (
                    <li key={`${h.at}:${h.action}`}>
                      {t(`duty.rubrics.step.${h.action}`, {
                        name: h.by.name,
                        at: new Date(h.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }),
                        count: h.changes.length,
                      })}
                    </li>
                  ))}
                </ol>
              </details>
              <DraftForm
                key={`${data.draft.baseVersion}:${data.draft.revision}`}
                year={shown}
                draft={data.draft}
                today={data.today}
                onSaved={(draft) => {
                  setPreview(null);
                  setNotice(t('duty.rubrics.saved'));
                  setData((d) => (d ? { ...d, draft } : d));
                }}
                onPreview={() => void loadPreview()}
                onPublished={() => {
                  setPreview(null);
                  setNotice(t('duty.rubrics.publishedNotice', { version: (data.draft?.baseVersion ?? 0) + 1 }));
                  void load();
                }}
                onDiscarded={() => {
                  setPreview(null);
                  setNotice(t('duty.rubrics.discardedNotice'));
                  void load();
                }}
              >
                {previewAction.busy && (
                  <p role="status" className="hint">
                    {t('app.loading')}
                  </p>
                )}
                {previewAction.error && (
                  <p role="alert" className="field-error">
                    {t(`errors.${previewAction.error}`)}
                  </p>
                )}
                {preview && preview.draftRevision === data.draft.revision && <PreviewTable data={preview} />}
              </DraftForm>
            </>
          )}
        </section>
      )}
    </div>
  );
}

/** A stored version's body without its version number (what a draft starts from). */
function stripVersion(v: RubricVersionView): RubricBody {
  const { version: _version, ...body } = v.rubric;
  return body;
}
