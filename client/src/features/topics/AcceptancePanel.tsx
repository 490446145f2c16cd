import type { MemberView, TopicView } from '@yitang/shared';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/useAction';
import { acceptTopic, declineTopic, fetchPeople } from './api';

function Seat({ topic, seat }: { topic: TopicView; seat: 'first' | 'second' }) {
  const { t, i18n } = useTranslation();
  const person = seat === 'first' ? topic.firstConvener : topic.secondConvener;
  const accepted = topic.acceptances.find((a) => a.seat === seat);
  return (
    <div className="topic-seat" data-testid={`seat-${seat}`}>
      <dt>{t(seat === 'first' ? 'topics.trail.firstSeat' : 'topics.trail.secondSeat')}</dt>
      <dd>
        {!person && t('topics.trail.seatOpen')}
        {person &&
          accepted &&
          t('topics.trail.seatAccepted', { name: person.name, time: formatDateTime(accepted.at, i18n.language) })}
        {person && !accepted && t('topics.trail.seatWaiting', { name: person.name })}
        {person?.title && <span className="muted"> · {person.title}</span>}
      </dd>
    </div>
  );
}

/** The choice of no second convener (no department head convenes). */
const noSecond = '-';

function AcceptFirstForm({ topic, onChanged }: { topic: TopicView; onChanged: (t: TopicView) => void }) {
  const { t } = useTranslation();
  const ids = { who: useId(), dept: useId() };
  const [officials, setOfficials] = useState<MemberView[]>([]);
  const [who, setWho] = useState('');
  const [department, setDepartment] = useState(topic.department ?? '');
  const action = useAction();
  useEffect(() => {
    let live = true;
    fetchPeople().then(
      (all) => live && setOfficials(all.filter((m) => m.kind === 'official')),
      () => {},
    );
    return () => {
      live = false;
    };
  }, []);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    await action.run(async () =>
      onChanged(
        (
          await acceptTopic(topic.id, {
            seat: 'first',
            // No department head convenes: the first convener accepts alone.
            secondConvenerId: who === noSecond ? null : who,
            department: department.trim(),
          })
        ).topic,
      ),
    );
  };
  return (
    <form className="form" onSubmit={submit} aria-label={t('topics.accept.first')}>
      <h3>{t('topics.accept.first')}</h3>
      <p className="hint">{t('topics.accept.firstHint')}</p>
      <div className="row">
        <div className="field">
          <label htmlFor={ids.who}>{t('topics.accept.secondConvener')}</label>
          <select
            id={ids.who}
            value={who}
            required
            onChange={(e) => setWho(e.target.value)}
            data-testid="accept-second"
          >
            <option value="">{t('common.choose')}</option>
            <option value={noSecond}>{t('topics.accept.noSecond')}</option>
            {officials.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}（{o.title}）
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.dept}>{t('topics.accept.department')}</label>
          <input
            id={ids.dept}
            value={department}
            required
            onChange={(e) => setDepartment(e.target.value)}
            data-testid="accept-department"
          />
        </div>
      </div>
      <button
        type="submit"
        className="button button--primary"
        disabled={action.busy || !who || !department.trim()}
        data-testid="accept-first"
      >
        {t('topics.accept.submitFirst')}
      </button>
      {action.error && (
        <p role="alert" className="field-error">
          {t(`errors.${action.error}`)}
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
      <dl className="topic-seats">
        <Seat topic={topic} seat="first" />
        <Seat topic={topic} seat="second" />
      </dl>
      {topic.department && <p>{t('topics.trail.department', { name: topic.department })}</p>}
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
