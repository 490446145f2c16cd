import { type SessionListItem, splitSessions } from '@yitang/shared';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { formatDateTime } from '../../lib/format';
import { Link, loginPath, newSessionPath, sessionPath, sessionPlanPath } from '../../lib/router';
import { useAppStore } from '../../store';
import { MyInvitations } from './MyInvitations';
import { PastSessions } from './PastSessions';

function SessionItem({ session }: { session: SessionListItem }) {
  const { t, i18n } = useTranslation();
  const time = formatDateTime(session.scheduledAt, i18n.language);
  return (
    <li className="session-item" data-testid={`session-${session.id}`}>
      <h2 className="session-item__topic">
        <Link to={sessionPath(session.id)}>{session.topic}</Link>
      </h2>
      <p className="session-item__meta">
        <span className={`badge badge--${session.state}`} data-testid="session-state" data-state={session.state}>
          {t(`session.state.${session.state}`)}
        </span>
        {session.cancelled && <span className="badge">{t('sessionPlan.mine.cancelled')}</span>}
        <span>{t(`session.mode.${session.mode}`)}</span>
        <span>{t('lobby.room', { room: session.roomName })}</span>
        <span>{t('lobby.scheduledAt', { time })}</span>
        <Link to={sessionPlanPath(session.id)}>{t('sessionPlan.mine.plan')}</Link>
      </p>
    </li>
  );
}

/** The list of sessions, each linking to its live room. */
export function Lobby() {
  const { t } = useTranslation();
  const sessions = useAppStore((s) => s.sessions);
  const status = useAppStore((s) => s.sessionsStatus);
  const error = useAppStore((s) => s.sessionsError);
  const loadSessions = useAppStore((s) => s.loadSessions);
  const meId = useAppStore((s) => s.me?.id);
  const meStatus = useAppStore((s) => s.meStatus);
  const staff = useAppStore((s) => s.me?.kind === 'staff');
  // Live and coming sessions first, soonest first; the past folded away, newest first.
  const { current, past } = useMemo(() => splitSessions(sessions), [sessions]);

  // Reload when the identity changes: the list may depend on who is asking.
  // biome-ignore lint/correctness/useExhaustiveDependencies: meId is the trigger, not an input.
  useEffect(() => {
    void loadSessions();
  }, [loadSessions, meId]);

  return (
    <div className="page">
      <h1>{t('lobby.title')}</h1>
      {staff && (
        <p>
          <Link to={newSessionPath} className="button">
            {t('sessionPlan.plan.new')}
          </Link>
        </p>
      )}
      {meId && <MyInvitations key={meId} meId={meId} />}
      {meStatus === 'ready' && !meId && (
        <Banner>
          {t('auth.needSignIn')} <Link to={loginPath('/')}>{t('auth.signIn')}</Link>
        </Banner>
      )}
      <p role="status" className="hint">
        {status === 'loading' && t('app.loading')}
      </p>
      {error && (
        <p role="alert" className="field-error">
          {t(`errors.${error}`)}
        </p>
      )}
      {status === 'ready' && sessions.length === 0 && <p className="muted">{t('lobby.empty')}</p>}
      {status === 'ready' && sessions.length > 0 && current.length === 0 && (
        <p className="muted">{t('sessionPlan.past.noneAhead')}</p>
      )}
      <ul className="sessions" data-testid="session-list">
        {current.map((s) => (
          <SessionItem key={s.id} session={s} />
        ))}
      </ul>
      <PastSessions count={past.length} testId="past-sessions">
        <ul className="sessions" data-testid="past-session-list">
          {past.map((s) => (
            <SessionItem key={s.id} session={s} />
          ))}
        </ul>
      </PastSessions>
    </div>
  );
}
