import type { NotificationView } from '@yitang/shared';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Popover } from '../../components/Popover';
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
  const location = useLocation();
  const [open, setOpen] = useState(false);
  const [list, setList] = useState<NotificationView[]>([]);
  const [unread, setUnread] = useState(0);

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
    <Popover
      open={open}
      onOpenChange={setOpen}
      title={t('notifications.title')}
      className="notifications"
      buttonClassName="app-header__link notifications__button"
      testId="notifications"
      buttonTestId="notifications-button"
      buttonData={{ 'data-unread': unread }}
      label={
        <>
          {t('notifications.nav')}
          {unread > 0 && (
            <span className="notifications__count" data-testid="notifications-count">
              <span className="visually-hidden">{t('notifications.unreadCount', { count: unread })}</span>
              <span aria-hidden="true">{unread > 99 ? '99+' : unread}</span>
            </span>
          )}
        </>
      }
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
            {!n.readAt && (
              <span className="visually-hidden">
                {t('common.labelled', { label: t('notifications.unread'), text: '' })}
              </span>
            )}
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
    </Popover>
  );
}
