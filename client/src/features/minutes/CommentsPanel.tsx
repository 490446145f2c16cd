import { limits, type MinutesCommentView, type MinutesInfo } from '@yitang/shared';
import { type FormEvent, type RefObject, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/useAction';
import { useAppStore } from '../../store';
import { postComment, resolveComment } from './api';
import { mayComment, mayResolveComments } from './rules';

function CommentItem({ sessionId, comment, canResolve, onChanged }: CommentItemProps) {
  const { t, i18n } = useTranslation();
  const action = useAction();
  const headId = useId();
  return (
    <li
      className={comment.resolved ? 'comment comment--resolved' : 'comment'}
      aria-labelledby={headId}
      data-testid={`comment-${comment.id}`}
      data-resolved={comment.resolved}
    >
      <p id={headId} className="comment__head">
        <strong>{comment.authorName}</strong>
        <span className="muted">{formatDateTime(comment.createdAt, i18n.language)}</span>
        {comment.resolved && <span className="badge badge--resolved">{t('minutes.comments.resolved')}</span>}
      </p>
      {comment.quote !== '' && (
        <blockquote className="comment__quote">
          <span className="visually-hidden">{t('minutes.comments.quoteLabel')}</span>
          {comment.quote}
        </blockquote>
      )}
      <p className="comment__text">{comment.text}</p>
      {canResolve && !comment.resolved && (
        <button
          type="button"
          className="button button--small"
          disabled={action.busy}
          aria-label={t('minutes.comments.resolveLabel', { name: comment.authorName })}
          onClick={() => void action.run(() => resolveComment(sessionId, comment.id)).then((ok) => ok && onChanged())}
          data-testid={`comment-resolve-${comment.id}`}
        >
          {t('minutes.comments.resolve')}
        </button>
      )}
      {action.error && (
        <p role="alert" className="field-error">
          {t(`errors.${action.error}`)}
        </p>
      )}
    </li>
  );
}

interface CommentItemProps {
  sessionId: string;
  comment: MinutesCommentView;
  canResolve: boolean;
  onChanged: () => void;
}

interface CommentsPanelProps {
  sessionId: string;
  info: MinutesInfo;
  quote: string;
  setQuote: (quote: string) => void;
  textRef: RefObject<HTMLTextAreaElement | null>;
  onChanged: () => void;
}

/** Review comments: a form (while the minutes are in review) and the list, with resolve for the chairs. */
export function CommentsPanel({ sessionId, info, quote, setQuote, textRef, onChanged }: CommentsPanelProps) {
  const { t } = useTranslation();
  const ids = { head: useId() };
  const role = useAppStore((s) => (s.roomSessionId === sessionId ? s.you?.role : undefined));
  const [text, setText] = useState('');
  const [problem, setProblem] = useState(false);
  const [sent, setSent] = useState(0);
  const action = useAction();
  const canComment = mayComment(role, info.status);
  const canResolve = mayResolveComments(role);
  const open = info.comments.filter((c) => !c.resolved).length;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body = { quote: quote.trim(), text: text.trim() };
    const bad = body.text === '' || body.text.length > limits.maxSuggestionLength;
    setProblem(bad);
    if (bad) {
      textRef.current?.focus();
      return;
    }
    if (await action.run(() => postComment(sessionId, body))) {
      setText('');
      setQuote('');
      setSent((n) => n + 1);
      onChanged();
    }
  };

  return (
    <section className="panel minutes-comments" aria-labelledby={ids.head} data-testid="minutes-comments">
      <div className="panel-head">
        <h2 id={ids.head}>{t('minutes.comments.title')}</h2>
        <span className="muted">{t('minutes.comments.openCount', { count: open })}</span>
      </div>
      {canComment ? (
        <form className="form comment-form" onSubmit={submit} noValidate aria-busy={action.busy || undefined}>
          <Field label={t('minutes.comments.quote')} hint={t('minutes.comments.quoteHint')}>
            <textarea
              rows={2}
              value={quote}
              maxLength={limits.maxSuggestionLength}
              onChange={(e) => setQuote(e.target.value)}
              data-testid="comment-quote"
            />
          </Field>
          <Field
            label={t('minutes.comments.text')}
            hint={t('suggestions.counter', { used: text.trim().length, max: limits.maxSuggestionLength })}
            error={problem ? t('minutes.comments.textInvalid', { max: limits.maxSuggestionLength }) : undefined}
          >
            <textarea
              ref={textRef}
              rows={3}
              value={text}
              onChange={(e) => setText(e.target.value)}
              data-testid="comment-text"
            />
          </Field>
          <button type="submit" className="button button--primary" disabled={action.busy} data-testid="comment-submit">
            {action.busy ? t('common.sending') : t('minutes.comments.submit')}
          </button>
          <p role="status" className="hint">
            {sent > 0 && !action.busy && <span key={sent}>{t('minutes.comments.sent')}</span>}
          </p>
          {action.error && (
            <p role="alert" className="field-error" data-testid="comments-error">
              {t(`errors.${action.error}`)}
            </p>
          )}
        </form>
      ) : (
        <p className="hint" data-testid="comments-closed">
          {t(info.status === 'draft' ? 'minutes.comments.notYet' : 'minutes.comments.closed')}
        </p>
      )}
      {info.comments.length === 0 ? (
        <p className="muted">{t('minutes.comments.empty')}</p>
      ) : (
        <ul className="comments" data-testid="comments-list">
          {info.comments.map((c) => (
            <CommentItem key={c.id} sessionId={sessionId} comment={c} canResolve={canResolve} onChanged={onChanged} />
          ))}
        </ul>
      )}
    </section>
  );
}
