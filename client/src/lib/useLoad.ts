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
  /** Replaces the answer in place (an action's response that carries the new state); clears an earlier error. */
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
  const [data, setAnswer] = useState<T | null>(null);
  const [busy, setBusy] = useState(when);
  const [error, setError] = useState<ClientErrorCode | null>(null);
  const [round, setRound] = useState(0);
  const latest = useRef(load);
  latest.current = load;
  // Which request may still land: a newer request, an answer set by hand or leaving the page
  // moves it on, and an answer from an older one is dropped.
  const generation = useRef(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to ask again
  useEffect(() => {
    const mine = ++generation.current;
    const current = () => generation.current === mine;
    if (!when) {
      // Nothing is asked for: nothing of an earlier ask stays on screen either.
      setAnswer(null);
      setError(null);
      setBusy(false);
      return;
    }
    if (!keep) setAnswer(null);
    setBusy(true);
    setError(null);
    latest
      .current()
      .then((answer) => {
        if (current()) setAnswer(answer);
      })
      .catch((err: unknown) => {
        if (current()) setError(toClientErrorCode(err));
      })
      .finally(() => {
        if (current()) setBusy(false);
      });
    return () => {
      if (current()) generation.current += 1;
    };
  }, [...deps, when, round]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  // An action's answer carries the newest state: a load still on its way must not overwrite it.
  const setData = useCallback((next: T | null | ((prev: T | null) => T | null)) => {
    generation.current += 1;
    setBusy(false);
    // What it replaces is no longer out of date: an earlier failed refresh is over.
    setError(null);
    setAnswer(next);
  }, []);
  return { data, busy, error, reload, setData };
}
