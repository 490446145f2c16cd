import { limits, type OutcomeView } from '@yitang/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { HindranceNote } from '../../components/HindranceNote';
import { Section } from '../../components/Section';
import { formatDateTime } from '../../lib/format';
import { useAppStore } from '../../store';
import { useCapability } from '../room/hooks';
import { call } from '../room/roomSocket';

interface OutcomeForm {
  text: string;
  department: string;
  deadline: string;
  pollId: string;
  suggestionIds: string[];
}

type OutcomeField = 'text' | 'department' | 'deadline';

const emptyForm: OutcomeForm = { text: '', department: '', deadline: '', pollId: '', suggestionIds: [] };

const formOf = (o: OutcomeView): OutcomeForm => ({
  text: o.text,
  department: o.department,
  deadline: o.deadline ?? '',
  pollId: o.pollId ?? '',
  suggestionIds: [...o.suggestionIds],
});

/**
 * Checks the form the way the server will: text is required, a recorded outcome names its
 * department (a draft may not yet), the date is a day.
 */
function problemsOf(form: OutcomeForm, record: boolean): OutcomeField[] {
  const problems: OutcomeField[] = [];
  const text = form.text.trim();
  const department = form.department.trim();
  if (text === '' || text.length > limits.maxOutcomeLength) problems.push('text');
  if ((record && department === '') || department.length > limits.maxDepartmentLength) problems.push('department');
  if (form.deadline !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(form.deadline)) problems.push('deadline');
  return problems;
}

function OutcomeItem({ outcome }: { outcome: OutcomeView }) {
  const { t, i18n } = useTranslation();
  const save = useCapability('outcome:save');
  const editOutcome = useAppStore((s) => s.editOutcome);
  const poll = useAppStore((s) => s.polls.find((p) => p.id === outcome.pollId));
  const short = outcome.text.length > 30 ? `${outcome.text.slice(0, 30)}…` : outcome.text;
  return (
    <li
      className={`outcome-item outcome-item--${outcome.status}`}
      data-testid={`outcome-${outcome.id}`}
      data-status={outcome.status}
    >
      <p className="outcome-item__head">
        <span className={`badge badge--${outcome.status}`}>{t(`outcomes.status.${outcome.status}`)}</span>
      </p>
      <p className="outcome-item__text">{outcome.text}</p>
      <p className="outcome-item__meta">
        <span>
          {outcome.department
            ? t('outcomes.department', { department: outcome.department })
            : t('outcomes.noDepartment')}
        </span>
        <span>
          {outcome.deadline
            ? t('outcomes.deadline', { date: formatDateTime(outcome.deadline, i18n.language, 'date') })
            : t('outcomes.noDeadline')}
        </span>
        {poll && <span>{t('outcomes.poll', { question: poll.settings.question })}</span>}
        {outcome.suggestionIds.length > 0 && (
          <span>{t('outcomes.suggestions', { count: outcome.suggestionIds.length })}</span>
        )}
      </p>
      {save.shown && (
        <button
          type="button"
          className="button button--small"
          aria-label={t('outcomes.editLabel', { text: short })}
          disabled={save.hindrance !== null}
          onClick={() => editOutcome(outcome.id)}
          data-testid={`outcome-edit-${outcome.id}`}
        >
          {t('outcomes.edit')}
        </button>
      )}
    </li>
  );
}

function OutcomeEditor() {
  const { t } = useTranslation();
  const ids = { note: useId(), status: useId() };
  const save = useCapability('outcome:save');
  const editingId = useAppStore((s) => s.editingOutcomeId);
  const editing = useAppStore((s) => s.outcomes.find((o) => o.id === s.editingOutcomeId) ?? null);
  const editOutcome = useAppStore((s) => s.editOutcome);
  const polls = useAppStore((s) => s.polls);
  const suggestions = useAppStore((s) => s.suggestions);
  const [form, setForm] = useState<OutcomeForm>(emptyForm);
  const [problems, setProblems] = useState<OutcomeField[]>([]);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const loadedFor = useRef<string | null>(null);

  // Load the outcome chosen for editing once it is known (a fresh draft arrives with its delta).
  useEffect(() => {
    if (!editing || loadedFor.current === editing.id) return;
    loadedFor.current = editing.id;
    setForm(formOf(editing));
    setProblems([]);
    setSaved(false);
    // After the folded section has opened (its effect runs after this one).
    requestAnimationFrame(() => textRef.current?.focus());
  }, [editing]);
  useEffect(() => {
    if (editingId === null) loadedFor.current = null;
  }, [editingId]);

  const patch = (p: Partial<OutcomeForm>) => {
    setForm((f) => ({ ...f, ...p }));
    setSaved(false);
  };
  const bad = (f: OutcomeField) => problems.includes(f);
  const reset = () => {
    editOutcome(null);
    setForm(emptyForm);
    setProblems([]);
  };

  const submit = async (record: boolean) => {
    const found = problemsOf(form, record);
    setProblems(found);
    if (found.length > 0) return;
    setBusy(true);
    const res = await call('outcome:save', {
      // The outcome chosen for editing, even before its delta has brought it here: saving with
      // null would record a second outcome beside the draft.
      outcomeId: editingId,
      text: form.text.trim(),
      department: form.department.trim(),
      deadline: form.deadline === '' ? null : form.deadline,
      pollId: form.pollId === '' ? null : form.pollId,
      suggestionIds: form.suggestionIds,
      record,
    });
    setBusy(false);
    if (res.ok) {
      reset();
      setSaved(true);
    }
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void submit(true);
  };
  // An outcome chosen for editing (a draft just made from a suggestion) that has not reached
  // the room's state yet: the form would save empty fields over it.
  const arriving = editingId !== null && editing === null;
  const disabled = busy || save.hindrance !== null || arriving;

  return (
    <form
      className="outcome-editor"
      onSubmit={onSubmit}
      noValidate
      data-testid="outcome-editor"
      data-editing={editing?.id}
      aria-busy={arriving}
    >
      <HindranceNote id={ids.note} hindrance={save.hindrance} />
      <Field
        label={t('outcomes.text')}
        error={bad('text') ? t('outcomes.errors.text', { max: limits.maxOutcomeLength }) : undefined}
      >
        <textarea
          ref={textRef}
          rows={3}
          value={form.text}
          onChange={(e) => patch({ text: e.target.value })}
          data-testid="outcome-text"
        />
      </Field>
      <Field
        label={t('outcomes.departmentLabel')}
        error={bad('department') ? t('outcomes.errors.department', { max: limits.maxDepartmentLength }) : undefined}
      >
        <input
          type="text"
          value={form.department}
          maxLength={limits.maxDepartmentLength}
          onChange={(e) => patch({ department: e.target.value })}
          data-testid="outcome-department"
        />
      </Field>
      <Field label={t('outcomes.deadlineLabel')} error={bad('deadline') ? t('outcomes.errors.deadline') : undefined}>
        <input
          type="date"
          value={form.deadline}
          onChange={(e) => patch({ deadline: e.target.value })}
          data-testid="outcome-deadline"
        />
      </Field>
      <Field label={t('outcomes.pollLabel')}>
        <select value={form.pollId} onChange={(e) => patch({ pollId: e.target.value })} data-testid="outcome-poll">
          <option value="">{t('outcomes.noPoll')}</option>
          {polls.map((p) => (
            <option key={p.id} value={p.id}>
              {p.settings.question}
            </option>
          ))}
        </select>
      </Field>
      <fieldset className="field">
        <legend>{t('outcomes.suggestionsLabel')}</legend>
        {suggestions.length === 0 ? (
          <p className="hint">{t('outcomes.noSuggestions')}</p>
        ) : (
          <ul className="choices choices--compact">
            {suggestions.map((s) => (
              <li key={s.id}>
                <Field
                  check
                  className="choice"
                  label={t('outcomes.suggestionOption', {
                    name: s.authorName,
                    text: s.text.length > 40 ? `${s.text.slice(0, 40)}…` : s.text,
                  })}
                >
                  <input
                    type="checkbox"
                    checked={form.suggestionIds.includes(s.id)}
                    onChange={(e) =>
                      patch({
                        suggestionIds: e.target.checked
                          ? [...form.suggestionIds, s.id]
                          : form.suggestionIds.filter((x) => x !== s.id),
                      })
                    }
                    data-testid={`outcome-suggestion-${s.id}`}
                  />
                </Field>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
      <div className="row row--wrap">
        <button
          type="button"
          className="button"
          disabled={disabled}
          onClick={() => void submit(false)}
          data-testid="outcome-save-draft"
        >
          {t('outcomes.saveDraft')}
        </button>
        <button type="submit" className="button button--primary" disabled={disabled} data-testid="outcome-record">
          {t('outcomes.record')}
        </button>
        {(editing || arriving) && (
          <button type="button" className="button" onClick={reset} data-testid="outcome-cancel">
            {t('outcomes.cancel')}
          </button>
        )}
      </div>
      <p id={ids.status} role="status" className="hint" data-testid="outcome-editor-status">
        {arriving ? t('outcomes.draftArriving') : saved && t('outcomes.saved')}
      </p>
    </form>
  );
}

/** The outcomes recorded in this session, and the editor for conveners. */
export function OutcomesPanel() {
  const { t } = useTranslation();
  const outcomes = useAppStore((s) => s.outcomes);
  const save = useCapability('outcome:save');
  const editingId = useAppStore((s) => s.editingOutcomeId);
  const editorTitle = editingId ? t('outcomes.editingTitle') : t('outcomes.editorTitle');
  return (
    <>
      <Section title={t('outcomes.title')} titleText={t('outcomes.title')} testId="outcomes-panel">
        {outcomes.length === 0 ? (
          <p className="muted">{t('outcomes.empty')}</p>
        ) : (
          <ul className="outcomes" data-testid="outcome-list">
            {outcomes.map((o) => (
              <OutcomeItem key={o.id} outcome={o} />
            ))}
          </ul>
        )}
      </Section>
      {save.shown && (
        <Section
          title={editorTitle}
          titleText={editorTitle}
          collapsible
          revealKey={editingId}
          className="console"
          testId="outcome-editor-panel"
        >
          <OutcomeEditor />
        </Section>
      )}
    </>
  );
}
