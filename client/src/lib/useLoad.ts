import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';
import { type ClientErrorCode, toClientErrorCode } from './errors';

export interface Load<T> {
  /** The last answer; null until the first arrives (and again while new inputs load, unless `keep`). */
  data: T | null;
  /** A request is on its way. */
  busy: boolean;
  error: ClientErrorCode | null;
  /** Asks again with the same inputs (after a change the page made itself). */
  reload: () => void;
  /** Replaces the answer in place (an action's response that carries the new state). */
  setData: (data: T | null | ((prev: T | null) => T | null)) => void;
}

export interface LoadOptions {
  /** Keep the previous answer on screen while new inputs load (filters, paging). */
  keep?: boolean;
  /** Load nothing while false (a page waiting for its sign-in, a closed panel). */
  when?: boolean;
}

/**
 * Loads over REST when the page mounts and again whenever `deps` change, with the same busy and
 * error states as `useAction`. An answer that arrives after newer inputs were asked for, or after
 * the page went away, is dropped, so a slow request never overwrites a newer one.
 */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList, options: LoadOptions = {}): Load<T> {
  const { keep = false, when = true } = options;
  const [data, setData] = useState<T | null>(null);
  const [busy, setBusy] = useState(when);
  const [error, setError] = useState<ClientErrorCode | null>(null);
  const [round, setRound] = useState(0);
  const latest = useRef(load);
  latest.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to ask again
  useEffect(() => {
    if (!when) {
      setBusy(false);
      return;
    }
    let live = true;
    if (!keep) setData(null);
    setBusy(true);
    setError(null);
    latest
      .current()
      .then((answer) => {
        if (live) setData(answer);
      })
      .catch((err: unknown) => {
        if (live) setError(toClientErrorCode(err));
      })
      .finally(() => {
        if (live) setBusy(false);
      });
    return () => {
      live = false;
    };
  }, [...deps, when, round]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, busy, error, reload, setData };
}
