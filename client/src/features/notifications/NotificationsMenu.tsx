import type { NotificationView } from '@yitang/shared';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../lib/format';
import { Link, notifyPreferencesPath, useLocation } from '../../lib/router';
import { fetchNotifications, markAllNotificationsRead, markNotificationRead } from '../topics/api';

/**
 * The notification centre (通知中心) in the header: a count of unread entries and, opened, the
 * latest ones with a link each (and the calendar file for invitations). Read again on every
 * navigation and when the tab comes back into view.
 */
export function NotificationsMenu() {
  const { t, i18n } = useTranslation();
  const panelId = useId();
  const location = useLocation();
  const [open, setOpen] = useState(false);
  const [list, setList] = useState<NotificationView[]>([]);
  const [unread, setUnread] = useState(0);
  const buttonRef = useRef<HTMLButtonElement>(null);

  const refresh = useCallback(() => {
    fetchNotifications().then(
      (r) => {
        setList(r.notifications);
        setUnread(r.unread);
      },
      () => {},
    );
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: every navigation is a moment to look again.
  useEffect(() => {
    refresh();
    setOpen(false);
  }, [location, refresh]);
  useEffect(() => {
    const onVisible = () => document.visibilityState === 'visible' && refresh();
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [refresh]);

  const apply = (r: { notifications: NotificationView[]; unread: number }) => {
    setList(r.notifications);
    setUnread(r.unread);
  };
  const text = (n: NotificationView) => {
    const p = n.params;
    return t(`notifications.kind.${n.kind}`, {
      topic: p.topic ?? '',
      room: p.room ?? '',
      by: p.by ?? '',
      reason: p.reason ?? '',
      // Proposals and social-conditions reports name their title; a report's notice its step's key.
      title: p.title ?? '',
      step: p.step ?? '',
      state: p.state ?? '',
      deadline: p.deadline ?? '',
      feedback: p.feedback ?? '',
    });
  };

  return (
    <div className="notifications" data-testid="notifications">
      <button
        ref={buttonRef}
        type="button"
        className="app-header__link notifications__button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setOpen(false);
        }}
        data-testid="notifications-button"
        data-unread={unread}
      >
        {unread > 0 ? t('notifications.navUnread', { count: unread }) : t('notifications.nav')}
      </button>
      {open && (
        <section
          id={panelId}
          className="panel notifications__panel"
          aria-label={t('notifications.title')}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              setOpen(false);
              buttonRef.current?.focus();
            }
          }}
        >
          <div className="panel-head">
            <h2>{t('notifications.title')}</h2>
            {unread > 0 && (
              <button
                type="button"
                className="button button--small"
                onClick={() => markAllNotificationsRead().then(apply, () => {})}
                data-testid="notifications-read-all"
              >
                {t('notifications.markAll')}
              </button>
            )}
          </div>
          <p>
            <Link to={notifyPreferencesPath} onClick={() => setOpen(false)} data-testid="notify-preferences-link">
              {t('notify.preferences.nav')}
            </Link>
          </p>
          {list.length === 0 && <p className="muted">{t('notifications.empty')}</p>}
          <ul className="notifications__list" data-testid="notifications-list">
            {list.map((n) => (
              <li key={n.id} className={n.readAt ? '' : 'unread'} data-kind={n.kind}>
                {!n.readAt && <span className="visually-hidden">{t('notifications.unread')}：</span>}
                <Link
                  to={n.link}
                  onClick={() => {
                    if (!n.readAt) markNotificationRead(n.id).then(apply, () => {});
                  }}
                >
                  {text(n)}
                </Link>
                <span className="hint"> {formatDateTime(n.createdAt, i18n.language)}</span>
                {n.calendarUrl && (
                  <a className="notifications__ics" href={n.calendarUrl} download>
                    {t('notifications.calendar')}
                  </a>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
