import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { formatDateTime } from '../../lib/format';
import { Link, minutesPath } from '../../lib/router';
import { useAppStore } from '../../store';
import { useOutcomeText } from '../polls/pollText';

/** Whole minutes between two instants, or null when either is missing. */
function minutesBetween(start: string | null, end: string | null): number | null {
  if (!start || !end) return null;
  const ms = Date.parse(end) - Date.parse(start);
  return Number.isNaN(ms) ? null : Math.max(0, Math.round(ms / 60_000));
}

/**
 * What the chairs see once the session is closed, in place of the live controls: when it was held
 * and for how long, who was present at the close, the votes and their results, the outcomes
 * recorded, and the way on to the minutes.
 */
export function ClosingSummary({ sessionId }: { sessionId: string }) {
  const { t, i18n } = useTranslation();
  const titleId = useId();
  const session = useAppStore((s) => s.session);
  // Counted from the list (chairs get everyone): someone in the hall with a phone online counts once, in the hall.
  const attendance = useAppStore(
    useShallow((s) => ({
      total: s.presence.length,
      hall: s.presence.filter((p) => p.inHall).length,
      online: s.presence.filter((p) => p.online && !p.inHall).length,
    })),
  );
  const polls = useAppStore(useShallow((s) => s.polls.filter((p) => p.stage === 'closed' || p.stage === 'published')));
  const outcomes = useAppStore((s) => s.outcomes);
  const outcomeText = useOutcomeText();
  if (session?.state !== 'closed') return null;
  const minutes = minutesBetween(session.startedAt, session.closedAt);
  const recorded = outcomes.filter((o) => o.status === 'recorded');
  const drafts = outcomes.length - recorded.length;
  return (
    <section className="panel closing-summary" aria-labelledby={titleId} data-testid="closing-summary">
      <h2 id={titleId}>{t('roomConsole.summaryTitle')}</h2>
      <p className="hint">{t('roomConsole.summaryIntro')}</p>
      <dl className="closing-summary__facts">
        {session.startedAt && session.closedAt && (
          <div>
            <dt>{t('roomConsole.held')}</dt>
            <dd>
              {t('roomConsole.heldRange', {
                start: formatDateTime(session.startedAt, i18n.language),
                end: formatDateTime(session.closedAt, i18n.language),
              })}
            </dd>
          </div>
        )}
        {minutes !== null && (
          <div>
            <dt>{t('roomConsole.duration')}</dt>
            <dd data-testid="closing-duration" data-minutes={minutes}>
              {minutes >= 60
                ? t('roomConsole.durationHours', { h: Math.floor(minutes / 60), m: minutes % 60 })
                : t('roomConsole.durationMinutes', { m: minutes })}
            </dd>
          </div>
        )}
        <div>
          <dt>{t('roomConsole.attendance')}</dt>
          <dd
            data-testid="closing-attendance"
            data-total={attendance.total}
            data-hall={attendance.hall}
            data-online={attendance.online}
          >
            {t('roomConsole.attendanceCount', attendance)}
          </dd>
        </div>
      </dl>
      <h3>{t('roomConsole.polls')}</h3>
      {polls.length === 0 ? (
        <p className="muted">{t('roomConsole.pollsNone')}</p>
      ) : (
        <ul className="closing-summary__list" data-testid="closing-polls">
          {polls.map((p) => (
            <li key={p.id} data-testid={`closing-poll-${p.id}`}>
              <span className="closing-summary__what">{p.settings.question}</span>
              <span className="closing-summary__result">
                {p.result ? outcomeText(p.settings, p.result) : t('roomConsole.pollPending')}
                <span className="muted"> · {t('roomConsole.pollBallots', { count: p.ballots })}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3>{t('roomConsole.outcomes')}</h3>
      {recorded.length === 0 ? (
        <p className="muted">{t('roomConsole.outcomesNone')}</p>
      ) : (
        <ul className="closing-summary__list" data-testid="closing-outcomes">
          {recorded.map((o) => (
            <li key={o.id}>
              <span className="closing-summary__what">{o.text}</span>
              {o.department && <span className="muted">{o.department}</span>}
            </li>
          ))}
        </ul>
      )}
      {drafts > 0 && <p className="hint">{t('roomConsole.outcomesDrafts', { count: drafts })}</p>}
      <p>
        <Link to={minutesPath(sessionId)} className="button button--primary" data-testid="closing-minutes-link">
          {t('roomConsole.toMinutes')}
        </Link>
      </p>
    </section>
  );
}
