import type { MemberView, TopicView } from '@yitang/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { Field } from '../../components/Field';
import { formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';
import { acceptRefusalKey, departmentIdNamed, firstSeatBody, secondConvenerChoices } from './acceptance';
import { acceptTopic, declineTopic, fetchDepartments } from './api';

function Seat({ topic, seat }: { topic: TopicView; seat: 'first' | 'second' }) {
  const { t, i18n } = useTranslation();
  const person = seat === 'first' ? topic.firstConvener : topic.secondConvener;
  const accepted = topic.acceptances.find((a) => a.seat === seat);
  const status = !person ? 'open' : accepted ? 'accepted' : 'waiting';
  return (
    <li className={`topic-seat topic-seat--${status}`} data-testid={`seat-${seat}`} data-status={status}>
      <p className="topic-seat__role">{t(seat === 'first' ? 'topics.trail.firstSeat' : 'topics.trail.secondSeat')}</p>
      {!person && <p className="muted">{t('topics.trail.seatOpen')}</p>}
      {person && (
        <>
          <p className="topic-seat__name">{person.name}</p>
          {person.title && <p className="topic-seat__title">{person.title}</p>}
          {seat === 'second' && topic.department && (
            <p className="topic-seat__title">{t('topics.trail.department', { name: topic.department })}</p>
          )}
          <p className="topic-seat__status">
            <span className={accepted ? 'badge badge--accepted' : 'badge badge--waiting'}>
              {t(accepted ? 'topics.trail.seatAcceptedBadge' : 'topics.trail.seatWaitingBadge')}
            </span>{' '}
            <span className="hint">
              {accepted
                ? t('topics.trail.seatAccepted', {
                    name: person.name,
                    time: formatDateTime(accepted.at, i18n.language),
                  })
                : t('topics.trail.seatWaiting', { name: person.name })}
            </span>
          </p>
        </>
      )}
    </li>
  );
}

/**
 * The first seat: the responsible department from the organisation's records, then its head or
 * one of its officials as the second convener, or none (the first convener accepts alone).
 */
function AcceptFirstForm({ topic, onChanged }: { topic: TopicView; onChanged: (t: TopicView) => void }) {
  const { t } = useTranslation();
  const { data: departments, error: loadError } = useLoad(fetchDepartments, []);
  // The department the topic names is chosen until another is.
  const [picked, setPicked] = useState<string | null>(null);
  const departmentId = picked ?? (departments ? departmentIdNamed(departments, topic.department) : '');
  const [who, setWho] = useState('');
  const action = useAction();
  const chosen = departments?.find((d) => d.id === departmentId);
  const choices = secondConvenerChoices(chosen);
  const body = departments ? firstSeatBody(departments, departmentId, who) : null;
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!body) return;
    await action.run(async () => onChanged((await acceptTopic(topic.id, body)).topic));
  };
  return (
    <form className="form" onSubmit={submit} aria-label={t('topics.accept.first')}>
      <h3>{t('topics.accept.first')}</h3>
      <p className="hint">{t('topics.accept.firstHint')}</p>
      {loadError && (
        <p role="alert" className="field-error">
          {t('topics.accept.departmentsFailed', { reason: t(`errors.${loadError}`) })}
        </p>
      )}
      {departments?.length === 0 && <Banner testId="accept-no-departments">{t('topics.accept.noDepartments')}</Banner>}
      <div className="row">
        <Field label={t('topics.accept.department')}>
          <select
            value={departmentId}
            required
            disabled={!departments}
            onChange={(e) => {
              setPicked(e.target.value);
              setWho('');
              action.clearError();
            }}
            data-testid="accept-department"
          >
            <option value="">{t('common.choose')}</option>
            {(departments ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label={t('topics.accept.secondConvener')}
          hint={chosen && choices.length === 0 ? t('topics.accept.noOfficials') : t('topics.accept.secondHint')}
        >
          <select value={who} disabled={!chosen} onChange={(e) => setWho(e.target.value)} data-testid="accept-second">
            <option value="">{t('topics.accept.noSecond')}</option>
            {choices.map((o) => (
              <option key={o.id} value={o.id}>
                {o.head
                  ? t('topics.accept.headOption', { name: o.name, title: o.title })
                  : t('topics.accept.officialOption', { name: o.name, title: o.title })}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <button
        type="submit"
        className="button button--primary"
        disabled={action.busy || !body}
        data-testid="accept-first"
      >
        {body?.secondConvenerId ? t('topics.accept.submitFirst') : t('topics.accept.submitAlone')}
      </button>
      {action.error && (
        <p role="alert" className="field-error" data-testid="accept-refused">
          {t(acceptRefusalKey(action.error))}
        </p>
      )}
    </form>
  );
}

function DeclineForm({ topic, onChanged }: { topic: TopicView; onChanged: (t: TopicView) => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const action = useAction();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!reason.trim()) return setMissing(true);
    setMissing(false);
    await action.run(async () => onChanged((await declineTopic(topic.id, reason.trim())).topic));
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('topics.accept.decline')}>
      <Field label={t('topics.accept.reason')} error={missing ? t('topics.accept.reasonMissing') : undefined}>
        <textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="decline-reason" />
      </Field>
      <button type="submit" className="button button--danger" disabled={action.busy} data-testid="decline-submit">
        {t('topics.accept.submitDecline')}
      </button>
      {action.error && (
        <p role="alert" className="field-error">
          {t(`errors.${action.error}`)}
        </p>
      )}
    </form>
  );
}

/** 立题: the two seats, and what the viewer may do about them. */
export function AcceptancePanel({
  topic,
  me,
  onChanged,
}: {
  topic: TopicView;
  me: MemberView | null;
  onChanged: (t: TopicView) => void;
}) {
  const { t } = useTranslation();
  const second = useAction();
  const proposed = topic.state === 'proposed';
  const seatTaken = (seat: 'first' | 'second') => topic.acceptances.some((a) => a.seat === seat);
  const mayTakeFirst = proposed && me?.canConvene === true && !seatTaken('first');
  const mayTakeSecond = proposed && me !== null && me.id === topic.secondConvener?.id && !seatTaken('second');
  const mayDecline =
    proposed && me !== null && (me.canConvene || me.kind === 'staff' || me.id === topic.secondConvener?.id);
  return (
    <section className="panel topic-acceptance" aria-labelledby="topic-acceptance-h" data-testid="topic-acceptance">
      <h2 id="topic-acceptance-h">{t('topics.trail.acceptance')}</h2>
      <ul className="topic-seats">
        <Seat topic={topic} seat="first" />
        <Seat topic={topic} seat="second" />
      </ul>
      {topic.department && !topic.secondConvener && <p>{t('topics.trail.department', { name: topic.department })}</p>}
      {topic.state === 'declined' && (
        <Banner testId="topic-declined">{t('topics.trail.declined', { reason: topic.declineReason ?? '' })}</Banner>
      )}
      {mayTakeFirst && <AcceptFirstForm topic={topic} onChanged={onChanged} />}
      {mayTakeSecond && (
        <p>
          <button
            type="button"
            className="button button--primary"
            disabled={second.busy}
            onClick={() => second.run(async () => onChanged((await acceptTopic(topic.id, { seat: 'second' })).topic))}
            data-testid="accept-second-seat"
          >
            {t('topics.accept.second')}
          </button>
          {second.error && (
            <span role="alert" className="field-error">
              {t(`errors.${second.error}`)}
            </span>
          )}
        </p>
      )}
      {mayDecline && (
        <details className="topic-decline">
          <summary>{t('topics.accept.decline')}</summary>
          <DeclineForm topic={topic} onChanged={onChanged} />
        </details>
      )}
    </section>
  );
}
