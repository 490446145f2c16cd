import { decide } from '@yitang/shared';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store';
import type { RoomAnnouncement } from './roomSlice';

function useAnnouncementText(announcement: RoomAnnouncement | null): string {
  const { t } = useTranslation();
  if (!announcement) return '';
  const { poll } = announcement;
  if (announcement.kind === 'pollOpened') return t('poll.announceOpened', { question: poll.question });
  return t('poll.announceClosed', {
    question: poll.question,
    yes: poll.tally.yes,
    no: poll.tally.no,
    abstain: poll.tally.abstain,
    outcome: t(`poll.outcome.${poll.outcome ?? decide(poll.tally)}`),
  });
}

/**
 * The room's two live regions: errors from acks (assertive) and poll openings and final
 * tallies (polite). Running tallies are deliberately not announced.
 */
export function RoomMessages() {
  const { t } = useTranslation();
  const notice = useAppStore((s) => s.roomNotice);
  const dismiss = useAppStore((s) => s.dismissNotice);
  const announcement = useAppStore((s) => s.roomAnnouncement);
  const announcementText = useAnnouncementText(announcement);

  return (
    <>
      <div className={notice ? 'notice' : 'notice notice--empty'}>
        <p aria-live="assertive" aria-atomic="true" data-testid="room-error">
          {notice && <span key={notice.id}>{t(`errors.${notice.code}`)}</span>}
        </p>
        {notice && (
          <button type="button" className="button button--small" onClick={dismiss}>
            {t('room.dismiss')}
          </button>
        )}
      </div>
      <p className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="room-announcement">
        {announcement && <span key={announcement.id}>{announcementText}</span>}
      </p>
    </>
  );
}
