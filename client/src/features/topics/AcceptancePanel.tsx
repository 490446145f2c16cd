import type { DepartmentView, MemberView, TopicView } from '@yitang/shared';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/useAction';
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
  const ids = { who: useId(), dept: useId() };
  const [departments, setDepartments] = useState<DepartmentView[] | null>(null);
  const [loadError, setLoadError] = useState<ClientErrorCode | null>(null);
  const [departmentId, setDepartmentId] = useState('');
  const [who, setWho] = useState('');
  const action = useAction();
  useEffect(() => {
    let live = true;
    fetchDepartments().then(
      (all) => {
        if (!live) return;
        setDepartments(all);
        setDepartmentId(departmentIdNamed(all, topic.department));
      },
      (err: unknown) => live && setLoadError(toClientErrorCode(err)),
    );
    return () => {
      live = false;
    };
  }, [topic.department]);
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
      {departments?.length === 0 && (
        <p className="banner" role="status" data-testid="accept-no-departments">
          {t('topics.accept.noDepartments')}
        </p>
      )}
      <div className="row">
        <div className="field">
          <label htmlFor={ids.dept}>{t('topics.accept.department')}</label>
          <select
            id={ids.dept}
            value={departmentId}
            required
            disabled={!departments}
            onChange={(e) => {
              setDepartmentId(e.target.value);
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
        </div>
        <div className="field">
          <label htmlFor={ids.who}>{t('topics.accept.secondConvener')}</label>
          <select
            id={ids.who}
            value={who}
            disabled={!chosen}
            aria-describedby={`${ids.who}-hint`}
            onChange={(e) => setWho(e.target.value)}
            data-testid="accept-second"
          >
            <option value="">{t('topics.accept.noSecond')}</option>
            {choices.map((o) => (
              <option key={o.id} value={o.id}>
                {o.head
                  ? t('topics.accept.headOption', { name: o.name, title: o.title })
                  : t('topics.accept.officialOption', { name: o.name, title: o.title })}
              </option>
            ))}
          </select>
          <p id={`${ids.who}-hint`} className="hint">
            {chosen && choices.length === 0 ? t('topics.accept.noOfficials') : t('topics.accept.secondHint')}
          </p>
        </div>
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
  const id = useId();
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
      <div className="field">
        <label htmlFor={id}>{t('topics.accept.reason')}</label>
        <textarea
          id={id}
          rows={2}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={missing || undefined}
          data-testid="decline-reason"
        />
        {missing && (
          <p className="field-error" role="alert">
            {t('topics.accept.reasonMissing')}
          </p>
        )}
      </div>
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
        <p className="banner" data-testid="topic-declined">
          {t('topics.trail.declined', { reason: topic.declineReason ?? '' })}
        </p>
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
