import { maxTopicTitleLength, type SimilarTopic, TopicSource, type TopicView } from '@yitang/shared';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, topicPath } from '../../lib/router';
import { useAction } from '../../lib/useAction';
import { fetchSimilar, proposeTopic } from './api';

const needsRef = (source: TopicSource) => source === 'hotline' || source === 'governanceCentre';

/** Likely duplicates of what is being typed, fetched after a pause in typing. */
function useSimilar(title: string): SimilarTopic[] {
  const [similar, setSimilar] = useState<SimilarTopic[]>([]);
  useEffect(() => {
    const text = title.trim();
    if (text.length < 2) {
      setSimilar([]);
      return;
    }
    let live = true;
    const timer = window.setTimeout(() => {
      fetchSimilar(text).then(
        (found) => live && setSimilar(found),
        () => live && setSimilar([]),
      );
    }, 300);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [title]);
  return similar;
}

/** 荐题: the form, with likely duplicates pointed out while typing. */
export function ProposeForm({ onProposed }: { onProposed: (topic: TopicView) => void }) {
  const { t } = useTranslation();
  const ids = { title: useId(), description: useId(), source: useId(), ref: useId(), dept: useId(), hints: useId() };
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [source, setSource] = useState<TopicSource>('member');
  const [sourceRef, setSourceRef] = useState('');
  const [department, setDepartment] = useState('');
  const [problem, setProblem] = useState<'title' | 'ref' | null>(null);
  const [done, setDone] = useState(false);
  const action = useAction();
  const similar = useSimilar(title);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setDone(false);
    if (!title.trim() || title.trim().length > maxTopicTitleLength) return setProblem('title');
    if (needsRef(source) && !sourceRef.trim()) return setProblem('ref');
    setProblem(null);
    let proposed: TopicView | null = null;
    const ok = await action.run(async () => {
      proposed = (
        await proposeTopic({
          title: title.trim(),
          description: description.trim(),
          source,
          sourceRef: needsRef(source) ? sourceRef.trim() : undefined,
          department: department.trim() || undefined,
        })
      ).topic;
    });
    if (ok && proposed) {
      setTitle('');
      setDescription('');
      setSourceRef('');
      setDepartment('');
      setDone(true);
      onProposed(proposed);
    }
  };

  return (
    <form className="panel form topic-propose" onSubmit={submit} noValidate aria-labelledby={`${ids.title}-h`}>
      <h2 id={`${ids.title}-h`}>{t('topics.propose.title')}</h2>
      <div className="field">
        <label htmlFor={ids.title}>{t('topics.propose.topicTitle')}</label>
        <input
          id={ids.title}
          type="text"
          value={title}
          maxLength={maxTopicTitleLength}
          onChange={(e) => setTitle(e.target.value)}
          aria-invalid={problem === 'title' || undefined}
          aria-describedby={similar.length > 0 ? ids.hints : undefined}
          data-testid="topic-title"
        />
        {problem === 'title' && (
          <p className="field-error" role="alert">
            {t('topics.propose.titleMissing', { max: maxTopicTitleLength })}
          </p>
        )}
      </div>
      <div id={ids.hints} aria-live="polite" data-testid="topic-similar">
        {similar.length > 0 && (
          <div className="banner topic-similar">
            <strong>{t('topics.propose.similarTitle')}</strong>
            <p>{t('topics.propose.similarHint')}</p>
            <ul>
              {similar.map((s) => (
                <li key={s.id}>
                  <Link to={topicPath(s.id)}>{s.title}</Link>{' '}
                  <span className="muted">
                    {t(`topics.state.${s.state}`)} ·{' '}
                    {t('topics.propose.similarity', { pct: Math.round(s.similarity * 100) })}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
      <div className="field">
        <label htmlFor={ids.description}>{t('topics.propose.description')}</label>
        <textarea
          id={ids.description}
          rows={3}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          data-testid="topic-description"
        />
      </div>
      <div className="row">
        <div className="field">
          <label htmlFor={ids.source}>{t('topics.propose.source')}</label>
          <select
            id={ids.source}
            value={source}
            onChange={(e) => setSource(TopicSource.parse(e.target.value))}
            data-testid="topic-source"
          >
            {TopicSource.options.map((s) => (
              <option key={s} value={s}>
                {t(`topics.source.${s}`)}
              </option>
            ))}
          </select>
        </div>
        {needsRef(source) && (
          <div className="field">
            <label htmlFor={ids.ref}>{t('topics.propose.sourceRef')}</label>
            <input
              id={ids.ref}
              type="text"
              value={sourceRef}
              onChange={(e) => setSourceRef(e.target.value)}
              aria-invalid={problem === 'ref' || undefined}
              data-testid="topic-source-ref"
            />
            {problem === 'ref' && (
              <p className="field-error" role="alert">
                {t('topics.propose.refMissing')}
              </p>
            )}
          </div>
        )}
      </div>
      <div className="field">
        <label htmlFor={ids.dept}>{t('topics.propose.department')}</label>
        <input id={ids.dept} type="text" value={department} onChange={(e) => setDepartment(e.target.value)} />
      </div>
      <button type="submit" className="button button--primary" disabled={action.busy} data-testid="topic-submit">
        {action.busy ? t('common.sending') : t('topics.propose.submit')}
      </button>
      <p role="status" className="hint">
        {done && t('topics.propose.done')}
      </p>
      {action.error && (
        <p role="alert" className="field-error">
          {t(`errors.${action.error}`)}
        </p>
      )}
    </form>
  );
}
