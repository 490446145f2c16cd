import { TopicState, type TopicView } from '@yitang/shared';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { Field } from '../../components/Field';
import { formatDateTime } from '../../lib/format';
import { Link, loginPath, navigate, topicPath, topicsPath } from '../../lib/router';
import { useLoad } from '../../lib/useLoad';
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
  const me = useAppStore((s) => s.me);
  const meStatus = useAppStore((s) => s.meStatus);
  const parsed = TopicState.safeParse(new URLSearchParams(search).get('state'));
  const state = parsed.success ? parsed.data : undefined;
  // Read again when the identity changes; the last list stays while another state's loads.
  const { data: topics, error } = useLoad(() => fetchTopics(state), [state, me?.id], { keep: true });

  if (meStatus === 'ready' && !me) {
    return (
      <div className="page">
        <h1>{t('topics.title')}</h1>
        <Banner>
          {t('auth.needSignIn')} <Link to={loginPath(topicsPath)}>{t('auth.signIn')}</Link>
        </Banner>
      </div>
    );
  }
  return (
    <div className="page page--wide topics-page" data-testid="topics-page">
      <h1>{t('topics.title')}</h1>
      <p className="hint">{t('topics.intro')}</p>
      {me && me.kind !== 'guest' && <ProposeForm onProposed={(topic) => navigate(topicPath(topic.id))} />}
      <Field className="topics-filter" label={t('topics.filterLabel')}>
        <select
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
      </Field>
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
