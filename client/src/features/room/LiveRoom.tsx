import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { Link } from '../../lib/router';
import { useAppStore } from '../../store';
import { AgendaPanel } from '../agenda/AgendaPanel';
import { CheckInCodeForm } from '../checkin/CheckInCodeForm';
import { CheckInDesk } from '../checkin/CheckInDesk';
import { InvitationManager } from '../invitations/InvitationManager';
import { OutcomesPanel } from '../outcomes/OutcomesPanel';
import { PollPanel } from '../polls/PollPanel';
import { PresencePanel } from '../presence/PresencePanel';
import { ScreenLinkPanel } from '../screen/ScreenLinkPanel';
import { NotInvited } from '../sessions/NotInvited';
import { NowPanel } from '../speakers/NowPanel';
import { SuggestionsPanel } from '../suggestions/SuggestionsPanel';
import { ConsoleGrid, runsRoom } from './ConsoleGrid';
import { LiveEventBanner } from './LiveEventBanner';
import { RoomHeader } from './RoomHeader';
import { RoomMessages } from './RoomMessages';
import { connectRoom, retryRoom } from './roomSocket';

// TipTap and Yjs are most of the bundle; load them once the room is on screen.
const MinutesPanel = lazy(() => import('../minutes/MinutesPanel').then((m) => ({ default: m.MinutesPanel })));
// So is LiveKit's client: the voice bar loads on its own (it shows only in online and hybrid sessions).
const MediaBar = lazy(() => import('../media/MediaBar').then((m) => ({ default: m.MediaBar })));

function RemovedBanner() {
  const { t } = useTranslation();
  return (
    <Banner
      tone="error"
      testId="removed-banner"
      actions={
        <Link to="/" className="button">
          {t('room.backToLobby')}
        </Link>
      }
    >
      <h1>{t('room.removedTitle')}</h1>
      <p>{t('room.removedBody')}</p>
    </Banner>
  );
}

/** The server ended our sign-in: say why, and offer the sign-in page rather than a retry. */
function SignedOutBanner() {
  const { t } = useTranslation();
  const reason = useAppStore((s) => s.roomSignOutReason ?? 'signedOut');
  const sessionExpired = useAppStore((s) => s.sessionExpired);
  return (
    <Banner
      tone="error"
      testId="room-signed-out"
      data={{ 'data-reason': reason }}
      actions={
        // Forgetting who we were sends the page to sign-in, to come back to this room.
        <button type="button" className="button" onClick={sessionExpired}>
          {t('room.signInAgain')}
        </button>
      }
    >
      <h1>{t('room.signedOutTitle')}</h1>
      <p>{t(`room.signedOutBody.${reason}`)}</p>
    </Banner>
  );
}

function ConnectionBanner() {
  const { t } = useTranslation();
  const connection = useAppStore((s) => s.roomConnection);
  const failure = useAppStore((s) => s.roomFailure);
  if (connection === 'joined' || connection === 'idle') return null;
  if (connection === 'removed') return <RemovedBanner />;
  if (connection === 'signedOut') return <SignedOutBanner />;
  // Outside the session's membership: a readable refusal, with no retry that would fail again.
  if (connection === 'failed' && failure === 'FORBIDDEN') return <NotInvited />;
  if (connection === 'failed') {
    return (
      <Banner
        tone="error"
        testId="room-failed"
        actions={
          <>
            {/* A session that does not exist will not exist on a retry either. */}
            {failure !== 'NOT_FOUND' && (
              <button type="button" className="button" onClick={retryRoom} data-testid="room-retry">
                {t('room.retry')}
              </button>
            )}
            <Link to="/" className="button">
              {t('room.backToLobby')}
            </Link>
          </>
        }
      >
        <p>
          {t('room.failed')} {failure && t(`errors.${failure}`)}
        </p>
      </Banner>
    );
  }
  return (
    <Banner testId="room-connection" data={{ 'data-state': connection }}>
      {t(connection === 'connecting' ? 'room.connecting' : 'room.reconnecting')}
    </Banner>
  );
}

function MinutesFallback() {
  const { t } = useTranslation();
  return <p className="panel hint">{t('app.loading')}</p>;
}

/** The live room: joins over Socket.IO for as long as it is shown. */
export function LiveRoom({ sessionId }: { sessionId: string }) {
  const hasSession = useAppStore((s) => s.session !== null);
  // Removed or signed out, the room's content goes with the connection: only the banner says why.
  const shut = useAppStore((s) => s.roomConnection === 'removed' || s.roomConnection === 'signedOut');
  // Conveners and staff run the room: they get the console's order and its closing summary.
  const chair = useAppStore((s) => runsRoom(s.you?.role));

  useEffect(() => connectRoom(sessionId), [sessionId]);

  return (
    <div className="room">
      <ConnectionBanner />
      {hasSession && !shut && (
        <>
          <RoomHeader />
          <RoomMessages />
          <LiveEventBanner />
          {chair ? (
            <ConsoleGrid sessionId={sessionId} />
          ) : (
            <div className="room-grid">
              <div className="room-grid__main">
                <CheckInCodeForm />
                <Suspense fallback={null}>
                  <MediaBar />
                </Suspense>
                <NowPanel />
                <PollPanel />
                <SuggestionsPanel />
                <OutcomesPanel />
              </div>
              <div className="room-grid__side">
                <PresencePanel />
                <AgendaPanel />
                <CheckInDesk />
                <InvitationManager sessionId={sessionId} />
                <ScreenLinkPanel sessionId={sessionId} />
                <Suspense fallback={<MinutesFallback />}>
                  <MinutesPanel sessionId={sessionId} />
                </Suspense>
              </div>
            </div>
          )}
        </>
      )}
    </div>
  );
}
