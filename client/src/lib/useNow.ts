import { useSyncExternalStore } from 'react';

/** One shared one-second tick for every timer on the page. */
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === null) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 250);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** The local time (ms), refreshed four times a second so second boundaries show on time. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now);
}
