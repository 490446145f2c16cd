import { maxTopicTitleLength, type SimilarTopic, TopicSource, type TopicView } from '@yitang/shared';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { Link, topicPath } from '../../lib/router';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';
import { fetchSimilar, proposeTopic } from './api';

const needsRef = (source: TopicSource) => source === 'hotline' || source === 'governanceCentre';

/** Likely duplicates of what is being typed, fetched after a pause in typing. */
function useSimilar(title: string): SimilarTopic[] {
  // Asked 300 ms after the typing stops; the last answer stays until the next one.
  const [asked, setAsked] = useState('');
  useEffect(() => {
    const timer = window.setTimeout(() => setAsked(title.trim()), 300);
    return () => window.clearTimeout(timer);
  }, [title]);
  const found = useLoad(() => fetchSimilar(asked), [asked], { keep: true, when: asked.length >= 2 });
  return title.trim().length < 2 || asked.length < 2 || found.error ? [] : (found.data ?? []);
}

/** 荐题: the form, with likely duplicates pointed out while typing. */
export function ProposeForm({ onProposed }: { onProposed: (topic: TopicView) => void }) {
  const { t } = useTranslation();
  const ids = { title: useId(), hints: useId() };
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
      <Field
        label={t('topics.propose.topicTitle')}
        error={problem === 'title' ? t('topics.propose.titleMissing', { max: maxTopicTitleLength }) : undefined}
      >
        <input
          type="text"
          value={title}
          maxLength={maxTopicTitleLength}
          onChange={(e) => setTitle(e.target.value)}
          aria-describedby={similar.length > 0 ? ids.hints : undefined}
          data-testid="topic-title"
        />
      </Field>
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
      <Field label={t('topics.propose.description')}>
        <textarea
          rows={3}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          data-testid="topic-description"
        />
      </Field>
      <div className="row">
        <Field label={t('topics.propose.source')}>
          <select
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
        </Field>
        {needsRef(source) && (
          <Field
            label={t('topics.propose.sourceRef')}
            error={problem === 'ref' ? t('topics.propose.refMissing') : undefined}
          >
            <input
              type="text"
              value={sourceRef}
              onChange={(e) => setSourceRef(e.target.value)}
              data-testid="topic-source-ref"
            />
          </Field>
        )}
      </div>
      <Field label={t('topics.propose.department')}>
        <input type="text" value={department} onChange={(e) => setDepartment(e.target.value)} />
      </Field>
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
