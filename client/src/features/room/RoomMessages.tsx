import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store';
import { useOutcomeText } from '../polls/pollText';
import { useLiveEvent } from './LiveEventBanner';
import type { RoomAnnouncement } from './roomSlice';

function useAnnouncementText(announcement: RoomAnnouncement | null): string {
  const { t } = useTranslation();
  const polls = useAppStore((s) => s.polls);
  const agenda = useAppStore((s) => s.session?.agenda);
  const names = useAppStore((s) => s.names);
  const youId = useAppStore((s) => s.you?.memberId);
  const outcomeText = useOutcomeText();
  if (!announcement) return '';
  const e = announcement.event;
  switch (e.kind) {
    case 'pollOpened':
    case 'pollClosed': {
      const poll = polls.find((p) => p.id === e.pollId);
      if (!poll) return '';
      const question = poll.settings.question;
      if (e.kind === 'pollOpened') return t('room.announce.pollOpened', { question });
      const result = poll.result ? t('poll.outcomeLabel', { outcome: outcomeText(poll.settings, poll.result) }) : '';
      return t('room.announce.pollClosed', { question, result });
    }
    case 'speaker':
      if (e.memberId === null) return t('room.announce.speakerEnded');
      if (e.memberId === youId) return t('room.announce.speakerYou');
      return t('room.announce.speaker', { name: names[e.memberId] ?? e.memberId });
    case 'agendaItem': {
      const item = agenda?.find((a) => a.id === e.itemId);
      return item ? t('room.announce.agendaItem', { title: item.title }) : '';
    }
    case 'sessionState':
      return t(`room.announce.state.${e.state}`);
  }
}

/**
 * The room's two live regions: errors from acks (assertive), and poll openings and results,
 * speaker changes and agenda moves (polite). Running tallies are not announced here.
 */
export function RoomMessages() {
  const { t } = useTranslation();
  const notice = useAppStore((s) => s.roomNotice);
  const dismiss = useAppStore((s) => s.dismissNotice);
  const announcement = useAppStore((s) => s.roomAnnouncement);
  const announcementText = useAnnouncementText(announcement);
  // What the live-event sheet shows it reads out itself (role=alert): said once, not twice.
  const sheet = useLiveEvent(announcement);

  return (
    <>
      <div className={notice ? 'notice' : 'notice notice--empty'}>
        <p aria-live="assertive" aria-atomic="true" data-testid="room-error" data-code={notice?.code}>
          {notice && <span key={notice.id}>{t(`errors.${notice.code}`)}</span>}
        </p>
        {notice && (
          <button type="button" className="button button--small" onClick={dismiss}>
            {t('room.dismiss')}
          </button>
        )}
      </div>
      <p className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="room-announcement">
        {announcement && !sheet && <span key={announcement.id}>{announcementText}</span>}
      </p>
    </>
  );
}
