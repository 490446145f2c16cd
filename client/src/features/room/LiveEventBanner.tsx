import { eventRoles, type SessionRole } from '@yitang/shared';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from '../../lib/router';
import { useAppStore } from '../../store';
import { inElectorate } from './permissions';
import type { RoomAnnouncement } from './roomSlice';
import { call } from './roomSocket';
import { hasVoted } from './roomState';
import './live-events.css';

/** The live events a person must not miss, each with what they can do about it. */
type LiveEvent =
  | { kind: 'floor' }
  | { kind: 'poll'; pollId: string; question: string; canVote: boolean }
  | { kind: 'agenda'; title: string }
  | { kind: 'closed' };

/** A short buzz where the browser allows it (Android Chrome; iOS Safari has no vibration). */
function buzz(pattern: number[]): void {
  try {
    navigator.vibrate?.(pattern);
  } catch {
    // A browser that refuses (no user gesture yet, a policy) simply does not buzz.
  }
}

/** Brings an element into view and moves focus to it (or to its first control). */
function reveal(selector: string, focusWithin?: string): void {
  const target = document.querySelector<HTMLElement>(selector);
  if (!target) return;
  target.scrollIntoView({ block: 'center' });
  const control = focusWithin ? target.querySelector<HTMLElement>(focusWithin) : null;
  if (control) control.focus();
  else {
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus();
  }
}

/** Whoever may cause an event made it (or a fellow chair did, beside them): no sheet for them. */
const causedBy = (role: SessionRole | undefined, event: 'poll:open' | 'agenda:goto' | 'session:close') =>
  role !== undefined && eventRoles[event].includes(role);

/** Which announcements become a banner for this person, and with what. */
export function useLiveEvent(announcement: RoomAnnouncement | null): LiveEvent | null {
  const youId = useAppStore((s) => s.you?.memberId);
  const role = useAppStore((s) => s.you?.role);
  const poll = useAppStore((s) =>
    announcement?.event.kind === 'pollOpened'
      ? (s.polls.find((p) => p.id === (announcement.event as { pollId: string }).pollId) ?? null)
      : null,
  );
  const voted = useAppStore((s) => (poll ? hasVoted(s, poll) : false));
  const title = useAppStore((s) =>
    announcement?.event.kind === 'agendaItem'
      ? (s.session?.agenda.find((a) => a.id === (announcement.event as { itemId: string }).itemId)?.title ?? null)
      : null,
  );
  if (!announcement) return null;
  const e = announcement.event;
  switch (e.kind) {
    case 'speaker':
      return e.memberId !== null && e.memberId === youId ? { kind: 'floor' } : null;
    case 'pollOpened':
      return poll && !causedBy(role, 'poll:open')
        ? {
            kind: 'poll',
            pollId: poll.id,
            question: poll.settings.question,
            canVote: !voted && inElectorate(role, poll.settings),
          }
        : null;
    case 'agendaItem':
      return title && !causedBy(role, 'agenda:goto') ? { kind: 'agenda', title } : null;
    case 'sessionState':
      return e.state === 'closed' && !causedBy(role, 'session:close') ? { kind: 'closed' } : null;
    default:
      return null;
  }
}

/**
 * Live events on a phone, where the eye is: given the floor, a poll opened, the agenda moved,
 * the session closed. A sheet fixed to the bottom of the screen (so its action needs no scroll),
 * read out at once (role=alert), with a buzz for what asks for action. Focus goes to its action
 * when it asks for one, and back where it was when it is dismissed.
 */
export function LiveEventBanner() {
  const { t } = useTranslation();
  const announcement = useAppStore((s) => s.roomAnnouncement);
  const event = useLiveEvent(announcement);
  const [dismissedId, setDismissedId] = useState<number | null>(null);
  const actionRef = useRef<HTMLButtonElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);
  const shown = event && announcement && dismissedId !== announcement.id ? event : null;
  const shownId = shown ? announcement?.id : undefined;
  const asksAction = shown?.kind === 'floor' || (shown?.kind === 'poll' && shown.canVote);

  useEffect(() => {
    if (shownId === undefined) return;
    if (!asksAction) return;
    buzz([200, 100, 200]);
    // Focus goes to the action, and returns where it was once the sheet is gone.
    const active = document.activeElement;
    returnTo.current = active instanceof HTMLElement && active !== document.body ? active : null;
    actionRef.current?.focus();
  }, [shownId, asksAction]);

  if (!shown || !announcement) return null;

  const dismiss = (restoreFocus = true) => {
    setDismissedId(announcement.id);
    if (restoreFocus && returnTo.current?.isConnected) returnTo.current.focus();
    returnTo.current = null;
  };

  let body: { title: string; text?: string };
  let actions: ReactNode = null;
  switch (shown.kind) {
    case 'floor':
      body = { title: t('liveEvents.floor.title'), text: t('liveEvents.floor.body') };
      actions = (
        <>
          <button
            ref={actionRef}
            type="button"
            className="button button--primary"
            data-testid="live-event-action"
            onClick={() => {
              dismiss(false);
              reveal('[data-testid="speakers-panel"]', '[data-testid="speaker-end"]');
            }}
          >
            {t('liveEvents.floor.start')}
          </button>
          <button
            type="button"
            className="button"
            data-testid="live-event-yield"
            onClick={() => {
              dismiss();
              void call('speaker:end', {});
            }}
          >
            {t('liveEvents.floor.yield')}
          </button>
        </>
      );
      break;
    case 'poll':
      body = { title: t('liveEvents.poll.title'), text: shown.question };
      actions = shown.canVote ? (
        <button
          ref={actionRef}
          type="button"
          className="button button--primary"
          data-testid="live-event-action"
          onClick={() => {
            dismiss(false);
            reveal(`[data-testid="poll-${shown.pollId}"]`, '.poll__ballot button:not([disabled])');
          }}
        >
          {t('liveEvents.poll.go')}
        </button>
      ) : null;
      break;
    case 'agenda':
      body = { title: t('liveEvents.agenda.title'), text: shown.title };
      break;
    case 'closed':
      body = { title: t('liveEvents.closed.title'), text: t('liveEvents.closed.body') };
      actions = (
        <Link to="/" className="button" data-testid="live-event-lobby">
          {t('room.backToLobby')}
        </Link>
      );
      break;
  }

  return (
    <div
      className={`live-event live-event--${shown.kind}`}
      role="alert"
      aria-atomic="true"
      data-testid="live-event"
      data-kind={shown.kind}
    >
      <div className="live-event__text">
        <p className="live-event__title">{body.title}</p>
        {body.text && <p className="live-event__body">{body.text}</p>}
      </div>
      <div className="live-event__actions">
        {actions}
        <button
          type="button"
          className="button live-event__close"
          data-testid="live-event-dismiss"
          aria-label={t('liveEvents.dismiss')}
          onClick={() => dismiss()}
        >
          {t('room.dismiss')}
        </button>
      </div>
    </div>
  );
}
