import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store';
import { AgendaPanel } from '../agenda/AgendaPanel';
import { CheckInCodeForm } from '../checkin/CheckInCodeForm';
import { CheckInDesk } from '../checkin/CheckInDesk';
import { InvitationManager } from '../invitations/InvitationManager';
import { OutcomesPanel } from '../outcomes/OutcomesPanel';
import { PollPanel } from '../polls/PollPanel';
import { PresencePanel } from '../presence/PresencePanel';
import { ScreenLinkPanel } from '../screen/ScreenLinkPanel';
import { NowPanel } from '../speakers/NowPanel';
import { SuggestionsPanel } from '../suggestions/SuggestionsPanel';
import { ClosingSummary } from './ClosingSummary';

// Loaded apart from the room, as LiveRoom does (the same chunks).
const MinutesPanel = lazy(() => import('../minutes/MinutesPanel').then((m) => ({ default: m.MinutesPanel })));
const MediaBar = lazy(() => import('../media/MediaBar').then((m) => ({ default: m.MediaBar })));

/** Whether someone in this role runs the room (conveners and staff): they get the console. */
export const runsRoom = (role: string | undefined) =>
  role === 'firstConvener' || role === 'secondConvener' || role === 'staff';

function MinutesFallback() {
  const { t } = useTranslation();
  return <p className="panel hint">{t('app.loading')}</p>;
}

/**
 * The room as the chairs run it. One order on a phone: the current item and its timer, the floor
 * and the queue with their controls, the polls, the agenda; then the room (presence, suggestions,
 * outcomes), the minutes and the setup tools, and last their own hall check-in. On a desk the
 * first part is the left column, the rest the right. Once closed, a summary and the way on to the
 * minutes take the place of the live controls.
 */
export function ConsoleGrid({ sessionId }: { sessionId: string }) {
  const closed = useAppStore((s) => s.session?.state === 'closed');
  // Polls closed but not yet published can still be published after the close.
  const toPublish = useAppStore((s) => s.polls.some((p) => p.stage === 'closed'));
  if (closed) {
    return (
      <div className="room-grid room-grid--console" data-testid="room-console" data-closed="true">
        <div className="room-grid__main">
          <ClosingSummary sessionId={sessionId} />
          {toPublish && <PollPanel />}
        </div>
        <div className="room-grid__side">
          <PresencePanel />
          <Suspense fallback={<MinutesFallback />}>
            <MinutesPanel sessionId={sessionId} />
          </Suspense>
          <ScreenLinkPanel sessionId={sessionId} />
        </div>
      </div>
    );
  }
  return (
    <div className="room-grid room-grid--console" data-testid="room-console" data-closed="false">
      <div className="room-grid__main">
        <Suspense fallback={null}>
          <MediaBar />
        </Suspense>
        <NowPanel />
        <PollPanel />
        <AgendaPanel />
        <CheckInDesk />
      </div>
      <div className="room-grid__side">
        <PresencePanel />
        <SuggestionsPanel />
        <OutcomesPanel />
        <Suspense fallback={<MinutesFallback />}>
          <MinutesPanel sessionId={sessionId} />
        </Suspense>
        <InvitationManager sessionId={sessionId} />
        <ScreenLinkPanel sessionId={sessionId} />
        <CheckInCodeForm />
      </div>
    </div>
  );
}
