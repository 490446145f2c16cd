import { limits } from '@yitang/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { openPoll } from './roomSocket';

/** Conveners open a yes / no / abstain poll. */
export function OpenPollForm() {
  const { t } = useTranslation();
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  const [question, setQuestion] = useState('');
  const [empty, setEmpty] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (question.trim() === '') {
      setEmpty(true);
      return;
    }
    setBusy(true);
    const opened = await openPoll(question);
    setBusy(false);
    if (opened) setQuestion('');
  };

  return (
    <form className="poll-form" onSubmit={submit} noValidate>
      <h3>{t('poll.openTitle')}</h3>
      <label htmlFor={inputId}>{t('poll.question')}</label>
      <div className="poll-form__row">
        <input
          id={inputId}
          type="text"
          value={question}
          maxLength={limits.maxPollQuestionLength}
          aria-describedby={empty ? `${hintId} ${errorId}` : hintId}
          aria-invalid={empty || undefined}
          onChange={(e) => {
            setQuestion(e.target.value);
            setEmpty(false);
          }}
          data-testid="poll-question"
        />
        <button type="submit" className="button button--primary" disabled={busy} data-testid="poll-open">
          {t('poll.open')}
        </button>
      </div>
      <p id={hintId} className="hint">
        {t('poll.questionHint', { used: question.length, max: limits.maxPollQuestionLength })}
      </p>
      {empty && (
        <p id={errorId} className="field-error" role="alert">
          {t('poll.questionEmpty')}
        </p>
      )}
    </form>
  );
}
