import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { SignedIn } from '../../components/SignedIn';
import { formatDateTime } from '../../lib/format';
import { archivePath, Link, minutesPath, sessionPath } from '../../lib/router';
import { appStore, useAppStore } from '../../store';
import { connectRoom } from '../room/roomSocket';
import { AuthorsPanel } from './AuthorsPanel';
import { CommentsPanel } from './CommentsPanel';
import { ExportLinks } from './ExportLinks';
import { MinutesStatusBadge } from './MinutesStatusBadge';
import { MinutesWorkspace } from './MinutesWorkspace';
import { announceMinutesChange } from './minutesProvider';
import { useMemberNames } from './names';
import { MinutesSteps, ReviewActions } from './ReviewActions';
import { mayComment } from './rules';
import { VersionsPanel } from './VersionsPanel';

/**
 * Others approve, comment and publish from their own tabs. Their clients say so over the document's
 * awareness (instant); a gentle poll covers anyone without the document open.
 */
const refreshEveryMs = 15_000;

function useMinutesInfo(sessionId: string): () => void {
  const reload = useCallback(() => void appStore.getState().loadMinutesInfo(sessionId), [sessionId]);
  useEffect(() => {
    reload();
    const onVisible = () => {
      if (document.visibilityState === 'visible') reload();
    };
    const timer = setInterval(onVisible, refreshEveryMs);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
      appStore.getState().clearMinutesInfo();
    };
  }, [reload]);
  return reload;
}

/** Why your role could not be learnt (the room refused you): you can still read. */
function RoomNote() {
  const { t } = useTranslation();
  const failure = useAppStore((s) => (s.roomConnection === 'failed' ? s.roomFailure : null));
  if (!failure) return null;
  return (
    <Banner testId="minutes-room-failed">
      {t('minutes.review.noRole')} {t(`errors.${failure}`)}
    </Banner>
  );
}

function Review({ sessionId }: { sessionId: string }) {
  const { t, i18n } = useTranslation();
  const headId = useId();
  const editorHeadId = useId();
  const reload = useMinutesInfo(sessionId);
  // After our own change: reload, and tell the others with the minutes open to reload too.
  const changed = useCallback(() => {
    announceMinutesChange();
    reload();
  }, [reload]);
  const nameOf = useMemberNames();
  const info = useAppStore((s) => (s.minutesInfoFor === sessionId ? s.minutesInfo : null));
  const infoStatus = useAppStore((s) => s.minutesInfoStatus);
  const infoError = useAppStore((s) => s.minutesInfoError);
  const role = useAppStore((s) => (s.roomSessionId === sessionId ? s.you?.role : undefined));
  const [selected, setSelected] = useState('');
  const [quote, setQuote] = useState('');
  const commentTextRef = useRef<HTMLTextAreaElement>(null);

  // The room tells us our role in this session (the minutes info does not).
  useEffect(() => connectRoom(sessionId), [sessionId]);

  if (!info) {
    return (
      <div className="page" data-testid="minutes-page">
        <p role="status" className="hint">
          {infoStatus !== 'error' && t('app.loading')}
        </p>
        {infoError && (
          <Banner
            tone="error"
            actions={
              infoError !== 'NOT_FOUND' &&
              infoError !== 'FORBIDDEN' && (
                <button type="button" className="button" onClick={reload}>
                  {t('room.retry')}
                </button>
              )
            }
          >
            {t(`errors.${infoError}`)}
          </Banner>
        )}
      </div>
    );
  }

  const canComment = mayComment(role, info.status);
  const quoteSelection = () => {
    setQuote(selected);
    commentTextRef.current?.focus();
  };

  return (
    <div className="minutes-page" data-testid="minutes-page">
      <header className="minutes-page__head">
        <p className="room-header__room">{info.roomName}</p>
        <h1 id={headId}>{t('minutes.review.title', { topic: info.topic })}</h1>
        <p className="minutes-page__meta">
          <MinutesStatusBadge status={info.status} />
          <span>{formatDateTime(info.scheduledAt, i18n.language)}</span>
          <Link to={sessionPath(sessionId)}>{t('minutes.review.toRoom')}</Link>
          <Link to={archivePath}>{t('minutes.review.toArchive')}</Link>
        </p>
        <MinutesSteps status={info.status} />
        {infoError && (
          <p role="alert" className="field-error">
            {t(`errors.${infoError}`)}
          </p>
        )}
      </header>
      <RoomNote />
      <div className="minutes-page__grid">
        <div className="minutes-page__main">
          <section className="panel minutes" aria-labelledby={editorHeadId}>
            <h2 id={editorHeadId}>{t('minutes.title')}</h2>
            <MinutesWorkspace sessionId={sessionId} onSelectText={setSelected} />
            {canComment && (
              <div className="minutes-quote-bar">
                <button
                  type="button"
                  className="button"
                  disabled={selected === ''}
                  aria-describedby={`${editorHeadId}-sel`}
                  onClick={quoteSelection}
                  data-testid="comment-from-selection"
                >
                  {t('minutes.comments.fromSelection')}
                </button>
                <p id={`${editorHeadId}-sel`} className="hint">
                  {selected === ''
                    ? t('minutes.comments.selectHint')
                    : t('minutes.comments.selected', { count: selected.length })}
                </p>
              </div>
            )}
          </section>
          <CommentsPanel
            sessionId={sessionId}
            info={info}
            quote={quote}
            setQuote={setQuote}
            textRef={commentTextRef}
            onChanged={changed}
          />
        </div>
        <div className="minutes-page__side">
          <ReviewActions sessionId={sessionId} info={info} nameOf={nameOf} onChanged={changed} />
          <ExportLinks sessionId={sessionId} status={info.status} />
          <VersionsPanel sessionId={sessionId} info={info} nameOf={nameOf} onChanged={changed} />
          <AuthorsPanel sessionId={sessionId} />
        </div>
      </div>
    </div>
  );
}

/** /s/:id/minutes — the minutes of one session: read, write, review, approve, publish, export. */
export function MinutesPage({ sessionId }: { sessionId: string }) {
  return (
    <SignedIn returnTo={minutesPath(sessionId)}>
      {/* A new identity means new rights and a new room socket. */}
      {(meId) => <Review key={`${sessionId}:${meId}`} sessionId={sessionId} />}
    </SignedIn>
  );
}
