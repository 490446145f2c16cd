import { TopicState, type TopicView } from '@yitang/shared';
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { Link, loginPath, navigate, topicPath, topicsPath } from '../../lib/router';
import { useAppStore } from '../../store';
import { fetchTopics } from './api';
import { ProposeForm } from './ProposeForm';
import { TopicStateBadge } from './TopicStateBadge';

function TopicItem({ topic }: { topic: TopicView }) {
  const { t, i18n } = useTranslation();
  return (
    <li className="session-item" data-testid={`topic-${topic.id}`}>
      <h2 className="session-item__topic">
        <Link to={topicPath(topic.id)}>{topic.title}</Link>
      </h2>
      <p className="session-item__meta">
        <TopicStateBadge state={topic.state} />
        <span>{t(`topics.source.${topic.source}`)}</span>
        <span>
          {t('topics.proposedBy', {
            name: topic.proposedBy.name,
            time: formatDateTime(topic.proposedAt, i18n.language, 'date'),
          })}
        </span>
      </p>
    </li>
  );
}

/** 议题: every topic by state, and the proposal form. */
export function TopicsPage({ search }: { search: string }) {
  const { t } = useTranslation();
  const filterId = useId();
  const me = useAppStore((s) => s.me);
  const meStatus = useAppStore((s) => s.meStatus);
  const parsed = TopicState.safeParse(new URLSearchParams(search).get('state'));
  const state = parsed.success ? parsed.data : undefined;
  const [topics, setTopics] = useState<TopicView[] | null>(null);
  const [error, setError] = useState<ClientErrorCode | null>(null);

  const load = useCallback(() => {
    let live = true;
    setError(null);
    fetchTopics(state).then(
      (list) => live && setTopics(list),
      (err: unknown) => live && setError(toClientErrorCode(err)),
    );
    return () => {
      live = false;
    };
  }, [state]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the identity changes.
  useEffect(load, [load, me?.id]);

  if (meStatus === 'ready' && !me) {
    return (
      <div className="page">
        <h1>{t('topics.title')}</h1>
        <p className="banner">
          {t('auth.needSignIn')} <Link to={loginPath(topicsPath)}>{t('auth.signIn')}</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="page page--wide topics-page" data-testid="topics-page">
      <h1>{t('topics.title')}</h1>
      <p className="hint">{t('topics.intro')}</p>
      {me && me.kind !== 'guest' && <ProposeForm onProposed={(topic) => navigate(topicPath(topic.id))} />}
      <div className="field topics-filter">
        <label htmlFor={filterId}>{t('topics.filterLabel')}</label>
        <select
          id={filterId}
          value={state ?? ''}
          onChange={(e) => navigate(e.target.value ? `${topicsPath}?state=${e.target.value}` : topicsPath)}
          data-testid="topics-filter"
        >
          <option value="">{t('topics.all')}</option>
          {TopicState.options.map((s) => (
            <option key={s} value={s}>
              {t(`topics.state.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <p role="status" className="hint">
        {topics === null && !error && t('app.loading')}
      </p>
      {error && (
        <p role="alert" className="field-error">
          {t(`errors.${error}`)}
        </p>
      )}
      {topics?.length === 0 && <p className="muted">{t('topics.empty')}</p>}
      <ul className="sessions" data-testid="topic-list">
        {topics?.map((topic) => (
          <TopicItem key={topic.id} topic={topic} />
        ))}
      </ul>
    </div>
  );
}
