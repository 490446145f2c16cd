import type { ScreenPoll, ScreenView } from '@yitang/shared';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDuration, itemTimer, remainingMs } from '../../lib/clock';
import { sessionPath } from '../../lib/router';
import { useNow } from '../../lib/useNow';
import { encodeQr } from '../activities/qr';
import { useOutcomeText } from '../polls/pollText';
import { ResultView } from '../polls/TallyView';
import { useScreenFeed } from './screenFeed';
import './screen.css';

/** The join link as a QR code, large enough to scan from the first rows. */
function JoinCode({ link }: { link: string }) {
  const { t } = useTranslation();
  const modules = useMemo(() => encodeQr(link), [link]);
  const size = modules.length + 8;
  const path = modules.flatMap((row, y) => row.map((dark, x) => (dark ? `M${x + 4} ${y + 4}h1v1h-1z` : ''))).join('');
  return (
    <figure className="screen-join">
      <svg
        className="screen-join__qr"
        viewBox={`0 0 ${size} ${size}`}
        role="img"
        aria-label={t('screen.joinQr', { link })}
        data-testid="screen-qr"
        data-text={link}
        shapeRendering="crispEdges"
      >
        <rect width={size} height={size} fill="#fff" />
        <path d={path} fill="#000" />
      </svg>
      <figcaption>{t('screen.joinTitle')}</figcaption>
    </figure>
  );
}

function AgendaNow({ view, now, offsetMs }: { view: ScreenView; now: number; offsetMs: number }) {
  const { t } = useTranslation();
  const index = view.agenda.findIndex((a) => a.id === view.currentItemId);
  const item = view.agenda[index];
  const next = index >= 0 ? view.agenda[index + 1] : undefined;
  const timer =
    item && view.state === 'live' ? itemTimer(view.currentItemStartedAt, item.plannedMinutes, now, offsetMs) : null;
  return (
    <section className="screen-panel screen-agenda" aria-labelledby="screen-agenda-title">
      <h2 id="screen-agenda-title" className="screen-panel__title">
        {t('screen.agendaTitle')}
        {item && ` ${index + 1}／${view.agenda.length}`}
      </h2>
      <p className="screen-agenda__item" data-testid="screen-item" data-item-id={item?.id ?? ''}>
        {item ? item.title : t('screen.noItem')}
      </p>
      {timer && (
        <p
          className={timer.overrun ? 'screen-agenda__timer screen-agenda__timer--over' : 'screen-agenda__timer'}
          data-testid="screen-item-timer"
        >
          {t('screen.itemTimer', { elapsed: formatDuration(timer.elapsedMs), planned: item?.plannedMinutes })}
          {timer.overrun && ` · ${t('screen.overrun')}`}
        </p>
      )}
      {next && <p className="screen-agenda__next">{t('screen.next', { title: next.title })}</p>}
    </section>
  );
}

function Floor({ view, now, offsetMs }: { view: ScreenView; now: number; offsetMs: number }) {
  const { t } = useTranslation();
  const speaker = view.speaker;
  const left = speaker ? remainingMs(speaker.endsAt, now, offsetMs) : 0;
  return (
    <section className="screen-panel screen-floor" aria-labelledby="screen-floor-title">
      <h2 id="screen-floor-title" className="screen-panel__title">
        {t('screen.speakerTitle')}
      </h2>
      {speaker ? (
        <div className="screen-floor__now">
          <p className="screen-floor__name" data-testid="screen-speaker">
            {speaker.name}
            {speaker.pointOfOrder && <span className="screen-tag">{t('screen.pointOfOrder')}</span>}
          </p>
          <p
            className={
              left <= 30_000 ? 'screen-floor__countdown screen-floor__countdown--low' : 'screen-floor__countdown'
            }
            data-testid="screen-countdown"
          >
            <span className="visually-hidden">{t('screen.remaining')} </span>
            {formatDuration(left, 'up')}
          </p>
        </div>
      ) : (
        <p className="screen-muted" data-testid="screen-speaker-none">
          {t('screen.noSpeaker')}
        </p>
      )}
      <h3 className="screen-queue__title">{t('screen.queueTitle', { count: view.queue.length })}</h3>
      {view.queue.length === 0 ? (
        <p className="screen-muted">{t('screen.queueEmpty')}</p>
      ) : (
        <ol className="screen-queue" data-testid="screen-queue">
          {view.queue.slice(0, 8).map((q, i) => (
            // Names can repeat (two people of one name); the place in the queue cannot.
            // biome-ignore lint/suspicious/noArrayIndexKey: the queue position is the identity here.
            <li key={i}>
              {q.name}
              {q.pointOfOrder && <span className="screen-tag">{t('screen.pointOfOrder')}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function PollOnScreen({ poll }: { poll: ScreenPoll }) {
  const { t } = useTranslation();
  const outcomeText = useOutcomeText();
  if (poll.stage === 'open') {
    return (
      <section className="screen-panel screen-poll" data-testid="screen-poll-open" data-poll-id={poll.id}>
        <h2 className="screen-panel__title">{t('screen.pollOpen')}</h2>
        <p className="screen-poll__question">{poll.settings.question}</p>
        <p className="screen-poll__count" data-testid="screen-ballots" data-value={poll.ballots}>
          {t('screen.ballotsCast', { count: poll.ballots })}
        </p>
        <p className="screen-muted">{t('screen.pollHidden')}</p>
      </section>
    );
  }
  return (
    <section className="screen-panel screen-poll" data-testid="screen-poll-published" data-poll-id={poll.id}>
      <h2 className="screen-panel__title">{t('screen.pollPublished')}</h2>
      <p className="screen-poll__question">{poll.settings.question}</p>
      <ResultView
        settings={poll.settings}
        result={poll.result}
        presentElectorate={poll.presentElectorate}
        outcomeText={outcomeText(poll.settings, poll.result)}
      />
    </section>
  );
}

function Board({ view, offsetMs }: { view: ScreenView; offsetMs: number }) {
  const { t } = useTranslation();
  const now = useNow();
  const link = `${window.location.origin}${sessionPath(view.sessionId)}`;
  // One poll at a time on the wall: the open one, else the latest result.
  const poll = view.polls[0];
  return (
    <div className="screen-board" data-testid="screen-board" data-state={view.state}>
      <header className="screen-head">
        <h1 className="screen-head__topic">{view.topic}</h1>
        <p className="screen-head__meta">
          {view.roomName} · {t(`screen.mode.${view.mode}`)} ·{' '}
          <span className={`screen-state screen-state--${view.state}`} data-testid="screen-state">
            {t(`screen.state.${view.state}`)}
          </span>
        </p>
      </header>
      <div className="screen-body">
        <div className="screen-main">
          <AgendaNow view={view} now={now} offsetMs={offsetMs} />
          {view.state === 'closed' ? (
            <p className="screen-panel screen-closed">{t('screen.closedNote')}</p>
          ) : (
            <Floor view={view} now={now} offsetMs={offsetMs} />
          )}
        </div>
        <div className="screen-side">
          {poll && <PollOnScreen poll={poll} />}
          {view.state !== 'closed' && <JoinCode link={link} />}
        </div>
      </div>
    </div>
  );
}

/**
 * `/s/<id>/screen`: the room on the hall's projector. Read-only and hands-off: large type, high
 * contrast, following the room live and reconnecting by itself.
 */
export function HallScreen({ sessionId, screenKey }: { sessionId: string; screenKey: string | null }) {
  const { t } = useTranslation();
  const { status, view, offsetMs } = useScreenFeed(sessionId, screenKey);

  useEffect(() => {
    document.title = view ? `${t('screen.title')} · ${view.topic}` : t('screen.title');
  }, [t, view]);

  return (
    <main className="screen">
      {status.kind !== 'live' && (
        <p
          className={status.kind === 'refused' ? 'screen-status screen-status--error' : 'screen-status'}
          role={status.kind === 'refused' ? 'alert' : 'status'}
          data-testid="screen-status"
          data-state={status.kind}
        >
          {status.kind === 'refused' ? t(`screen.refused.${status.code}`) : t(`screen.${status.kind}`)}
        </p>
      )}
      {view && status.kind !== 'refused' && <Board view={view} offsetMs={offsetMs} />}
    </main>
  );
}
