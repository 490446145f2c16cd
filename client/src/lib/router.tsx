import { Id } from '@yitang/shared';
import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { useSyncExternalStore } from 'react';

export type Route = { name: 'lobby' } | { name: 'session'; sessionId: string } | { name: 'notFound' };

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

const currentPath = () => window.location.pathname;

/** Moves to `to` without a page load. */
export function navigate(to: string): void {
  if (to === currentPath()) return;
  window.history.pushState(null, '', to);
  for (const listener of listeners) listener();
}

export const sessionPath = (sessionId: string) => `/s/${encodeURIComponent(sessionId)}`;

/** Maps a path to a route; an id that could never be valid is a 404, not a request. */
export function matchRoute(path: string): Route {
  if (path === '/' || path === '') return { name: 'lobby' };
  const match = /^\/s\/([^/]+)\/?$/.exec(path);
  if (match?.[1] !== undefined) {
    let raw: string;
    try {
      raw = decodeURIComponent(match[1]);
    } catch {
      return { name: 'notFound' };
    }
    const id = Id.safeParse(raw);
    return id.success ? { name: 'session', sessionId: id.data } : { name: 'notFound' };
  }
  return { name: 'notFound' };
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath);
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
