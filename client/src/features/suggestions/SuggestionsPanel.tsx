import { limits, SuggestionMark, type SuggestionView, splitConsultationLinks } from '@yitang/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { Field } from '../../components/Field';
import { HindranceNote } from '../../components/HindranceNote';
import { Section } from '../../components/Section';
import { formatDateTime } from '../../lib/format';
import { Link } from '../../lib/router';
import { useAppStore } from '../../store';
import { useCapability } from '../room/hooks';
import { call } from '../room/roomSocket';

function SuggestionItem({ suggestion }: { suggestion: SuggestionView }) {
  const { t, i18n } = useTranslation();
  const mark = useCapability('suggestion:mark');
  const draft = useCapability('outcome:draft');
  const editOutcome = useAppStore((s) => s.editOutcome);
  const agendaTitle = useAppStore(
    (s) => s.session?.agenda.find((a) => a.id === suggestion.itemId && a.id !== s.session?.currentItemId)?.title,
  );
  const [drafted, setDrafted] = useState(false);
  const name = suggestion.authorName;
  return (
    <li
      className={`suggestion suggestion--${suggestion.mark}`}
      data-testid={`suggestion-${suggestion.id}`}
      data-mark={suggestion.mark}
    >
      <p className="suggestion__meta">
        <span className="suggestion__author">{name}</span>
        <span className="muted">{formatDateTime(suggestion.createdAt, i18n.language)}</span>
        {agendaTitle && <span className="muted">{t('suggestions.forItem', { title: agendaTitle })}</span>}
        {suggestion.mark !== 'none' && (
          <span className={`badge badge--${suggestion.mark}`}>{t(`suggestions.mark.${suggestion.mark}`)}</span>
        )}
      </p>
      <p className="suggestion__text">
        {/* A group brought from the consultation links back to it. */}
        {splitConsultationLinks(suggestion.text).map((part, i) =>
          part.link ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text, in order.
            <Link key={i} to={part.link}>
              {part.text}
            </Link>
          ) : (
            part.text
          ),
        )}
      </p>
      {(mark.shown || draft.shown) && (
        <div className="row row--wrap suggestion__tools">
          {mark.shown && (
            <select
              aria-label={t('suggestions.markLabel', { name })}
              value={suggestion.mark}
              disabled={mark.hindrance !== null}
              onChange={(e) => {
                const next = SuggestionMark.safeParse(e.target.value);
                if (next.success) void call('suggestion:mark', { suggestionId: suggestion.id, mark: next.data });
              }}
              data-testid="suggestion-mark"
            >
              {SuggestionMark.options.map((m) => (
                <option key={m} value={m}>
                  {t(`suggestions.mark.${m}`)}
                </option>
              ))}
            </select>
          )}
          {draft.shown && (
            <button
              type="button"
              className="button button--small"
              aria-label={t('suggestions.toOutcomeLabel', { name })}
              disabled={draft.hindrance !== null}
              onClick={async () => {
                const res = await call('outcome:draft', { suggestionId: suggestion.id });
                if (res.ok) {
                  setDrafted(true);
                  editOutcome(res.data.id);
                }
              }}
              data-testid="suggestion-to-outcome"
            >
              {t('suggestions.toOutcome')}
            </button>
          )}
          {drafted && (
            <span className="hint" role="status">
              {t('suggestions.drafted')}
            </span>
          )}
        </div>
      )}
    </li>
  );
}

function SuggestionForm() {
  const { t } = useTranslation();
  const ids = { counter: useId(), error: useId(), note: useId() };
  const submit = useCapability('suggestion:submit');
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<'empty' | 'long' | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  if (!submit.shown) return null;
  const disabled = submit.hindrance !== null;
  const over = text.trim().length > limits.maxSuggestionLength;

  const send = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const trimmed = text.trim();
    const found = trimmed === '' ? 'empty' : trimmed.length > limits.maxSuggestionLength ? 'long' : null;
    setProblem(found);
    if (found) return;
    setBusy(true);
    const res = await call('suggestion:submit', { text: trimmed });
    setBusy(false);
    if (res.ok) {
      setText('');
      setSent(true);
    }
  };

  return (
    <form className="suggestion-form" onSubmit={send} noValidate>
      <Field label={t('suggestions.text')}>
        <textarea
          rows={3}
          value={text}
          disabled={disabled}
          onChange={(e) => {
            setText(e.target.value);
            setProblem(null);
            setSent(false);
          }}
          aria-invalid={problem !== null || over || undefined}
          aria-describedby={[ids.counter, problem ? ids.error : '', disabled ? ids.note : ''].join(' ').trim()}
          data-testid="suggestion-text"
        />
      </Field>
      <p id={ids.counter} className={over ? 'hint hint--over' : 'hint'} data-testid="suggestion-counter">
        {t('suggestions.counter', { used: text.trim().length, max: limits.maxSuggestionLength })}
      </p>
      {problem && (
        <p id={ids.error} className="field-error" role="alert">
          {problem === 'empty'
            ? t('suggestions.textEmpty')
            : t('suggestions.textTooLong', { max: limits.maxSuggestionLength })}
        </p>
      )}
      <HindranceNote id={ids.note} hindrance={submit.hindrance} />
      <div className="row">
        <button
          type="submit"
          className="button button--primary"
          disabled={disabled || busy}
          aria-describedby={disabled ? ids.note : undefined}
          data-testid="suggestion-submit"
        >
          {busy ? t('common.sending') : t('suggestions.submit')}
        </button>
        <span role="status" className="hint">
          {sent && t('suggestions.submitted')}
        </span>
      </div>
    </form>
  );
}

/** Suggestions on the current item (or all), their marks, and the form to add one. */
export function SuggestionsPanel() {
  const { t } = useTranslation();
  const [showAll, setShowAll] = useState(false);
  const currentItemId = useAppStore((s) => s.session?.currentItemId ?? null);
  const currentTitle = useAppStore((s) => s.session?.agenda.find((a) => a.id === s.session?.currentItemId)?.title);
  const suggestions = useAppStore(
    useShallow((s) => s.suggestions.filter((x) => showAll || x.itemId === s.session?.currentItemId)),
  );
  return (
    <Section title={t('suggestions.title')} titleText={t('suggestions.title')} testId="suggestions-panel">
      {currentItemId && currentTitle && !showAll && (
        <p className="hint">{t('suggestions.forItem', { title: currentTitle })}</p>
      )}
      <Field check label={t('suggestions.showAll')}>
        <input
          type="checkbox"
          checked={showAll}
          onChange={(e) => setShowAll(e.target.checked)}
          data-testid="suggestions-show-all"
        />
      </Field>
      {suggestions.length === 0 ? (
        <p className="muted">{showAll ? t('suggestions.emptyAll') : t('suggestions.empty')}</p>
      ) : (
        <ul className="suggestions" data-testid="suggestion-list">
          {suggestions.map((s) => (
            <SuggestionItem key={s.id} suggestion={s} />
          ))}
        </ul>
      )}
      <SuggestionForm />
    </Section>
  );
}
