import { Id } from '@yitang/shared';
import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { useSyncExternalStore } from 'react';
import { dashboardPath } from '../features/dashboard/dashboardQuery';

export type Route =
  | { name: 'lobby' }
  | { name: 'login'; next: string }
  | { name: 'invite'; token: string }
  | { name: 'session'; sessionId: string }
  | { name: 'sessionPlan'; sessionId: string | null }
  | { name: 'minutes'; sessionId: string }
  | { name: 'screen'; sessionId: string; key: string | null }
  | { name: 'archive'; search: string }
  | { name: 'topics'; search: string }
  | { name: 'topic'; topicId: string }
  | { name: 'consultationPublic'; code: string }
  | { name: 'duty'; path: string; search: string }
  | { name: 'dashboard'; search: string }
  | { name: 'paperSessions' }
  | { name: 'tracking'; path: string; search: string }
  | { name: 'proposals'; path: string; search: string }
  | { name: 'socialReports'; path: string; search: string }
  | { name: 'activities'; path: string; search: string }
  | { name: 'hotline' }
  | { name: 'notifyPreferences' }
  | { name: 'deliveryLog' }
  | { name: 'security' }
  | { name: 'setup'; token: string }
  | { name: 'accountLink'; token: string }
  | { name: 'changePassword' }
  | { name: 'accounts' }
  | { name: 'orgImport' }
  | { name: 'org'; path: string }
  | { name: 'notFound' };

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

/** The path with its query, e.g. `/login?next=%2Fs%2Fx`. */
const currentLocation = () => window.location.pathname + window.location.search;

/** Moves to `to` without a page load; `replace` leaves no history entry (for redirects). */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === currentLocation()) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  for (const listener of listeners) listener();
}

export const sessionPath = (sessionId: string) => `/s/${encodeURIComponent(sessionId)}`;

/** A session's minutes review page. */
export const minutesPath = (sessionId: string) => `${sessionPath(sessionId)}/minutes`;

/** A session's hall screen (read-only, for the projector); `key` is a screen link's. */
export const screenPath = (sessionId: string, key?: string) =>
  `${sessionPath(sessionId)}/screen${key ? `?key=${encodeURIComponent(key)}` : ''}`;

/** A session's plan: invitations, RSVP and leave (sessions module). */
export const sessionPlanPath = (sessionId: string) => `${sessionPath(sessionId)}/plan`;

/** Staff create a session not scheduled from a topic. */
export const newSessionPath = '/sessions/new';

/** Topics (议题): the list and proposal form, and one topic's trail. */
export const topicsPath = '/topics';
export const topicPath = (topicId: string) => `${topicsPath}/${encodeURIComponent(topicId)}`;

/** Staff: 12345 hotline tickets and the messages sent back to the hotline. */
export const hotlinePath = '/hotline';
/** One's reminder settings: channels, contact details, quiet hours. */
export const notifyPreferencesPath = '/settings/notifications';
/** Staff: the log of reminders sent outside the browser. */
export const deliveryLogPath = '/notify/log';

/** Staff: the audit log and the failed sign-ins. */
export const securityPath = '/security';

/** Staff: every account, creating one, reset links, deactivation. */
export const accountsPath = '/accounts';

/** Staff: import members from an XLSX or CSV file. */
export const orgImportPath = '/org/import';

/** Changing one's own password (from the identity bar). */
export const changePasswordPath = '/account/password';

/** The minutes archive; its filters ride in the query (see features/minutes/archiveQuery). */
export const archivePath = '/minutes';

/** Only same-site paths may follow a sign-in: `/x` yes, `//evil.example` or `https://…` no. */
export function safeNext(next: string | null | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

export const loginPath = (next: string) => (next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`);

function decoded(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/** Maps a location to a route; an id that could never be valid is a 404, not a request. */
export function matchRoute(location: string): Route {
  const queryAt = location.indexOf('?');
  const path = queryAt === -1 ? location : location.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : location.slice(queryAt + 1));
  if (path === '/' || path === '') return { name: 'lobby' };
  if (path === '/login' || path === '/login/') return { name: 'login', next: safeNext(query.get('next')) };
  const session = /^\/s\/([^/]+)(\/minutes|\/plan|\/screen)?\/?$/.exec(path);
  if (session?.[1] !== undefined) {
    const id = Id.safeParse(decoded(session[1]));
    if (!id.success) return { name: 'notFound' };
    if (session[2] === '/plan') return { name: 'sessionPlan', sessionId: id.data };
    if (session[2] === '/screen') return { name: 'screen', sessionId: id.data, key: query.get('key') };
    return { name: session[2] ? 'minutes' : 'session', sessionId: id.data };
  }
  if (path === newSessionPath || path === `${newSessionPath}/`) return { name: 'sessionPlan', sessionId: null };
  if (path === archivePath || path === `${archivePath}/`) return { name: 'archive', search: query.toString() };
  if (path === topicsPath || path === `${topicsPath}/`) return { name: 'topics', search: query.toString() };
  const topic = /^\/topics\/([^/]+)\/?$/.exec(path);
  if (topic?.[1] !== undefined) {
    const id = Id.safeParse(decoded(topic[1]));
    return id.success ? { name: 'topic', topicId: id.data } : { name: 'notFound' };
  }
  if (path === dashboardPath || path === `${dashboardPath}/`) return { name: 'dashboard', search: query.toString() };
  if (path === '/paper-sessions' || path === '/paper-sessions/') return { name: 'paperSessions' };
  if (path === '/duty' || path.startsWith('/duty/')) return { name: 'duty', path, search: query.toString() };
  if (path === '/tracking' || path.startsWith('/tracking/') || path === '/department' || path === '/department/') {
    return { name: 'tracking', path, search: query.toString() };
  }
  if (path === '/proposals' || path.startsWith('/proposals/'))
    return { name: 'proposals', path, search: query.toString() };
  if (path === '/social-reports' || path.startsWith('/social-reports/'))
    return { name: 'socialReports', path, search: query.toString() };
  if (path === '/activities' || path.startsWith('/activities/'))
    return { name: 'activities', path, search: query.toString() };
  if (path === hotlinePath || path === `${hotlinePath}/`) return { name: 'hotline' };
  if (path === notifyPreferencesPath || path === `${notifyPreferencesPath}/`) return { name: 'notifyPreferences' };
  if (path === deliveryLogPath || path === `${deliveryLogPath}/`) return { name: 'deliveryLog' };
  if (path === securityPath || path === `${securityPath}/`) return { name: 'security' };
  if (path === accountsPath || path === `${accountsPath}/`) return { name: 'accounts' };
  if (path === orgImportPath || path === `${orgImportPath}/`) return { name: 'orgImport' };
  if (path === '/org' || path.startsWith('/org/')) return { name: 'org', path };
  if (path === changePasswordPath) return { name: 'changePassword' };
  // Setup, activation and reset links: the token is 32 random bytes in base64url.
  const setup = /^\/setup\/([A-Za-z0-9_-]{1,200})\/?$/.exec(path);
  if (setup?.[1] !== undefined) return { name: 'setup', token: setup[1] };
  const accountLink = /^\/(?:activate|reset)\/([A-Za-z0-9_-]{1,200})\/?$/.exec(path);
  if (accountLink?.[1] !== undefined) return { name: 'accountLink', token: accountLink[1] };
  // 意见征集's short public link for citizens.
  const consultation = /^\/c\/([A-Za-z0-9_-]{4,32})\/?$/.exec(path);
  if (consultation?.[1] !== undefined) return { name: 'consultationPublic', code: consultation[1] };
  const invite = /^\/invite\/([A-Za-z0-9_-]{1,200})\/?$/.exec(path);
  if (invite?.[1] !== undefined) return { name: 'invite', token: invite[1] };
  return { name: 'notFound' };
}

/** The current path and query; re-renders on navigation. */
export function useLocation(): string {
  return useSyncExternalStore(subscribe, currentLocation);
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string };

/** An ordinary link that navigates in place on a plain left click. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handleClick} {...rest} />;
}
