import { TopicState, type TopicTrail, type TopicView, TrackingStatus } from '@yitang/shared';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { Stepper } from '../../components/Stepper';
import { formatDateTime } from '../../lib/format';
import { Link, loginPath, minutesPath, sessionPath, topicPath, topicsPath } from '../../lib/router';
import { useLoad } from '../../lib/useLoad';
import { useAppStore } from '../../store';
import { ConsultationTabs } from '../consultation/ConsultationTabs';
import { AcceptancePanel } from './AcceptancePanel';
import { fetchTrail } from './api';
import { ScheduleForm } from './ScheduleForm';
import { TopicStateBadge } from './TopicStateBadge';
import { TopicThemePicker } from './TopicThemePicker';
import { useTopicChanges } from './useTopicChanges';

/** The path a topic normally takes; a declined topic stops after the proposal. */
const mainPath = TopicState.options.filter((s) => s !== 'declined');
const declinedPath: readonly TopicState[] = ['proposed', 'declined'];

function Steps({ topic }: { topic: TopicView }) {
  const { t } = useTranslation();
  return (
    <Stepper
      steps={topic.state === 'declined' ? declinedPath : mainPath}
      current={topic.state}
      label={(s) => t(`topics.state.${s}`)}
      ariaLabel={t('topics.trail.steps')}
      testId="topic-steps"
    />
  );
}

function Part({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section className="panel topic-part" aria-labelledby={`${id}-h`} data-testid={`trail-${id}`}>
      <h2 id={`${id}-h`}>{title}</h2>
      {children}
    </section>
  );
}

function TrailBody({ trail }: { trail: TopicTrail }) {
  const { t, i18n } = useTranslation();
  const { session } = trail;
  return (
    <>
      <Part id="session" title={t('topics.trail.session')}>
        {!session && <p className="muted">{t('topics.trail.noSession')}</p>}
        {session && (
          <>
            <p>
              <Link to={sessionPath(session.id)}>{session.topic}</Link>
            </p>
            <p className="session-item__meta">
              <span className={`badge badge--${session.state}`}>{t(`session.state.${session.state}`)}</span>
              <span>{t(`session.mode.${session.mode}`)}</span>
              <span>{t('lobby.room', { room: session.roomName })}</span>
              <span>{t('lobby.scheduledAt', { time: formatDateTime(session.scheduledAt, i18n.language) })}</span>
            </p>
            {session.state !== 'closed' && (
              <p>
                <Link className="button button--small" to={sessionPath(session.id)}>
                  {t('topics.trail.openRoom')}
                </Link>
              </p>
            )}
          </>
        )}
      </Part>
      {trail.rounds.length > 1 && (
        <Part id="rounds" title={t('topics.trail.rounds')}>
          <ol>
            {trail.rounds.map((r, n) => (
              <li key={r.id} data-testid={`round-${n + 1}`}>
                <Link to={sessionPath(r.id)}>{t('topics.trail.round', { n: n + 1 })}</Link>{' '}
                <span className={`badge badge--${r.state}`}>{t(`session.state.${r.state}`)}</span>{' '}
                <span>{formatDateTime(r.scheduledAt, i18n.language)}</span>
              </li>
            ))}
          </ol>
        </Part>
      )}
      {session && trail.minutesStatus && (
        <Part id="minutes" title={t('topics.trail.minutes')}>
          <p>
            {t('topics.trail.minutesStatus', { status: t(`minutes.lifecycle.${trail.minutesStatus}`) })}{' '}
            <Link to={minutesPath(session.id)}>{t('topics.trail.openMinutes')}</Link>
          </p>
        </Part>
      )}
      {session && (
        <Part id="polls" title={t('topics.trail.polls')}>
          {trail.polls.filter((p) => p.result).length === 0 && <p className="muted">{t('topics.trail.noPolls')}</p>}
          <ul>
            {trail.polls
              .filter((p) => p.result)
              .map((p) => (
                <li key={p.id}>
                  {p.question}——{p.result}
                </li>
              ))}
          </ul>
        </Part>
      )}
      {session && (
        <Part id="outcomes" title={t('topics.trail.outcomes')}>
          {trail.outcomes.length === 0 && <p className="muted">{t('topics.trail.noOutcomes')}</p>}
          <ul>
            {trail.outcomes.map((o) => (
              <li key={o.id}>
                {o.text}
                {o.department && <span className="muted"> · {o.department}</span>}
                {o.deadline && (
                  <span className="muted">
                    {' '}
                    · {t('topics.trail.deadline', { date: formatDateTime(o.deadline, i18n.language, 'date') })}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </Part>
      )}
      {session?.state === 'closed' && (
        <Part id="tracking" title={t('topics.trail.tracking')}>
          {trail.tracking.length === 0 && <p className="muted">{t('topics.trail.noTracking')}</p>}
          <ul className="topic-tracking">
            {trail.tracking.map((item) => (
              <li key={item.id} data-testid={`trail-item-${item.id}`} data-status={item.status}>
                <p>{item.text}</p>
                <p className="session-item__meta">
                  <span className="badge">{t(`topics.trackingStatus.${item.status}`)}</span>
                  {item.overdue && <span className="badge badge--overdue">{t('topics.trail.overdue')}</span>}
                  <span>{item.department}</span>
                  {item.deadline && (
                    <span>
                      {t('topics.trail.deadline', { date: formatDateTime(item.deadline, i18n.language, 'date') })}
                    </span>
                  )}
                  <span>{t('topics.trail.reports', { count: item.reports.length })}</span>
                  {item.rating.count > 0 && (
                    <span>
                      {t('topics.trail.rating', { avg: item.rating.average?.toFixed(1), count: item.rating.count })}
                    </span>
                  )}
                </p>
                {item.reports.length > 0 && (
                  <ul className="topic-reports" aria-label={t('topics.trail.reports', { count: item.reports.length })}>
                    {item.reports.map((r) => (
                      <li key={r.id}>
                        {formatDateTime(r.at, i18n.language)} {t('common.labelled', { label: r.byName, text: r.text })}
                        {r.percent !== null && <span className="muted"> · {r.percent}%</span>}
                        {r.attachments.length > 0 && (
                          <span className="muted">
                            {' '}
                            · {t('topics.trail.attachments', { count: r.attachments.length })}
                          </span>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
                <ol className="topic-history">
                  {item.history.map((h) => (
                    <li key={`${h.at}-${h.action}`}>
                      {formatDateTime(h.at, i18n.language)} {h.byName} · {t(`topics.trackingStatus.${h.status}`)}
                      {h.note && <span className="muted">{t('common.afterColon', { text: h.note })}</span>}
                    </li>
                  ))}
                </ol>
                <Link to={`/tracking/${encodeURIComponent(item.id)}`}>{t('topics.trail.openItem')}</Link>
              </li>
            ))}
          </ul>
        </Part>
      )}
      {(trail.topic.source === 'hotline' || trail.hotline.length > 0) && (
        <Part id="hotline" title={t('topics.trail.hotline')}>
          {trail.hotline.length === 0 && <p className="muted">{t('topics.trail.noHotline')}</p>}
          <ol>
            {trail.hotline.map((m) => (
              <li key={`${m.at}-${m.kind}-${m.status}-${m.text}`} data-kind={m.kind}>
                {formatDateTime(m.at, i18n.language)}{' '}
                <strong>{t(m.kind === 'ticket' ? 'topics.trail.inMessage' : 'topics.trail.outMessage')}</strong>
                {t('common.afterColon', { text: '' })}
                {m.kind === 'topic' && TopicState.safeParse(m.status).success
                  ? t(`topics.state.${TopicState.parse(m.status)}`)
                  : null}
                {m.kind === 'tracking' && TrackingStatus.safeParse(m.status).success
                  ? `${t(`topics.trackingStatus.${TrackingStatus.parse(m.status)}`)} · `
                  : null}
                {m.text && <span>{m.kind === 'topic' ? t('common.aside', { text: m.text }) : m.text}</span>}
                {m.delivery && <span className="muted"> · {t(`topics.trail.delivery.${m.delivery}`)}</span>}
              </li>
            ))}
          </ol>
        </Part>
      )}
    </>
  );
}

/** One topic from proposal to closure (the topic trail), with the actions the viewer may take. */
export function TopicPage({ topicId }: { topicId: string }) {
  const { t, i18n } = useTranslation();
  const me = useAppStore((s) => s.me);
  const meStatus = useAppStore((s) => s.meStatus);
  // Read again when the identity changes; reads overlap (a push while one is in flight), and
  // only the latest one's answer is shown, the last one staying on screen meanwhile.
  const { data: trail, error, reload: changed } = useLoad(() => fetchTrail(topicId), [topicId, me?.id], { keep: true });
  // The topic also moves without this page: its session's after-close step holds and tracks it.
  useTopicChanges(topicId, me !== null, changed);

  if (meStatus === 'ready' && !me) {
    return (
      <div className="page">
        <Banner>
          {t('auth.needSignIn')} <Link to={loginPath(topicPath(topicId))}>{t('auth.signIn')}</Link>
        </Banner>
      </div>
    );
  }
  if (error) {
    return (
      <div className="page">
        <p role="alert" className="field-error">
          {t(`errors.${error}`)}
        </p>
        <Link to={topicsPath}>{t('topics.title')}</Link>
      </div>
    );
  }
  if (!trail) {
    return (
      <p className="page hint" role="status">
        {t('app.loading')}
      </p>
    );
  }
  const { topic } = trail;
  // The first round once accepted; a follow-up round (第二轮) once a round was held.
  const mayScheduleIt =
    (topic.state === 'accepted' || topic.state === 'deliberated' || topic.state === 'inProgress') &&
    me !== null &&
    (me.kind === 'staff' || me.id === topic.firstConvener?.id || me.id === topic.secondConvener?.id);
  return (
    <div className="page page--wide topic-page" data-testid="topic-page" data-state={topic.state}>
      <p>
        <Link to={topicsPath}>{t('topics.title')}</Link>
      </p>
      <h1>{topic.title}</h1>
      <p className="session-item__meta">
        <TopicStateBadge state={topic.state} />
        <span>{t(`topics.source.${topic.source}`)}</span>
        {topic.sourceRef && <span>{topic.sourceRef}</span>}
      </p>
      <TopicThemePicker
        topicId={topic.id}
        mayEdit={
          me !== null &&
          (me.kind === 'staff' || me.id === topic.firstConvener?.id || me.id === topic.secondConvener?.id)
        }
      />
      <Steps topic={topic} />
      <ConsultationTabs topicId={topic.id}>
        <Part id="proposal" title={t('topics.trail.proposal')}>
          <p>
            {t('topics.proposedBy', {
              name: topic.proposedBy.name,
              time: formatDateTime(topic.proposedAt, i18n.language),
            })}
          </p>
          {topic.description && <p className="topic-description">{topic.description}</p>}
        </Part>
        <AcceptancePanel topic={topic} me={me} onChanged={changed} />
        {mayScheduleIt && <ScheduleForm topic={topic} onChanged={changed} />}
        <TrailBody trail={trail} />
        <Part id="history" title={t('topics.trail.history')}>
          <ol className="topic-history" data-testid="topic-history">
            {topic.history.map((h) => (
              <li key={`${h.at}-${h.action}-${h.by}`}>
                {formatDateTime(h.at, i18n.language)} {h.byName} · {t(`topics.trail.action.${h.action}`)}
                {h.note && <span className="muted">{t('common.afterColon', { text: h.note })}</span>}
              </li>
            ))}
          </ol>
        </Part>
      </ConsultationTabs>
    </div>
  );
}
