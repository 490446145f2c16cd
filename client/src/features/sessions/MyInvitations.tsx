import { type MySessionsResponse, splitSessions } from '@yitang/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { RefreshFailed } from '../../components/RefreshFailed';
import { formatDateTime } from '../../lib/format';
import { Link, sessionPath } from '../../lib/router';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';
import { fetchMySessions, rsvp } from './api';
import { PastSessions } from './PastSessions';

type Mine = MySessionsResponse['sessions'][number];

/** One invitation: the session, my answer, and 参加 / 请假 (with a reason) while it is ahead. */
function Invitation({ session, onChanged }: { session: Mine; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const action = useAction();
  const inv = session.invitation;
  if (!inv) return null;
  const open = !session.cancelled && session.state !== 'closed';
  const answer = async (body: Parameters<typeof rsvp>[1]) => {
    if (await action.run(() => rsvp(session.id, body))) {
      setAsking(false);
      onChanged();
    }
  };
  const sendLeave = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (reason.trim()) void answer({ answer: 'leave', reason: reason.trim() });
  };
  return (
    <li className="session-item" data-testid={`invitation-${session.id}`}>
      <h3 className="session-item__topic">
        <Link to={sessionPath(session.id)}>{session.topic}</Link>
      </h3>
      <p className="session-item__meta">
        {session.cancelled && <span className="badge">{t('sessionPlan.mine.cancelled')}</span>}
        <span>{formatDateTime(session.scheduledAt, i18n.language)}</span>
        <span>{session.roomName}</span>
        <span>{t('sessionPlan.mine.role', { role: t(`roles.${inv.role}`) })}</span>
        <span data-testid="rsvp-state">
          {t(`sessionPlan.answer.${inv.answer}`)}
          {inv.leave && t('common.aside', { text: t(`sessionPlan.leave.${inv.leave}`) })}
        </span>
      </p>
      {open && (
        <div className="banner__actions">
          <button
            type="button"
            className="button"
            disabled={action.busy}
            aria-pressed={inv.answer === 'attend'}
            onClick={() => void answer({ answer: 'attend' })}
          >
            {t('sessionPlan.mine.attend')}
          </button>
          <button type="button" className="button" aria-expanded={asking} onClick={() => setAsking((a) => !a)}>
            {t('sessionPlan.mine.leave')}
          </button>
          <Link to={`${sessionPath(session.id)}/plan`}>{t('sessionPlan.mine.plan')}</Link>
        </div>
      )}
      {open && asking && (
        <form onSubmit={sendLeave} className="stack">
          <Field label={t('sessionPlan.mine.reason')} hint={t('sessionPlan.mine.reasonHint')}>
            <textarea value={reason} maxLength={200} required onChange={(e) => setReason(e.target.value)} />
          </Field>
          <button type="submit" className="button" disabled={action.busy || !reason.trim()}>
            {t('sessionPlan.mine.sendLeave')}
          </button>
        </form>
      )}
      {action.error && (
        <p role="alert" className="field-error">
          {t(`errors.${action.error}`)}
        </p>
      )}
    </li>
  );
}

/** 我的邀请: the sessions I am invited to, each with my answer. */
export function MyInvitations({ meId }: { meId: string }) {
  const { t } = useTranslation();
  // Asked again after each answer, keeping the list shown meanwhile; the lobby mounts a new one
  // for another identity, so nobody sees the previous person's invitations. A failed request says
  // so, over the list it kept if there is one.
  const mine = useLoad(() => fetchMySessions(), [meId], { keep: true });
  const sessions: Mine[] | null = mine.data;
  const load = mine.reload;
  const invited = (sessions ?? []).filter((s) => s.invitation !== null);
  // What still needs an answer comes first, soonest first; past invitations are folded away.
  const { current, past } = splitSessions(invited);
  return (
    <section id="my-invitations" aria-labelledby="my-invitations-title" className="panel">
      <h2 id="my-invitations-title">{t('sessionPlan.mine.title')}</h2>
      {mine.error && <RefreshFailed error={mine.error} kept={sessions !== null} onRetry={load} />}
      {sessions === null && !mine.error && (
        <p className="hint" role="status">
          {t('app.loading')}
        </p>
      )}
      {sessions !== null && invited.length === 0 && <p className="muted">{t('sessionPlan.mine.empty')}</p>}
      <ul className="sessions">
        {current.map((s) => (
          <Invitation key={s.id} session={s} onChanged={load} />
        ))}
      </ul>
      <PastSessions count={past.length} testId="past-invitations" level={3}>
        <ul className="sessions">
          {past.map((s) => (
            <Invitation key={s.id} session={s} onChanged={load} />
          ))}
        </ul>
      </PastSessions>
    </section>
  );
}
