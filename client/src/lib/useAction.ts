import { useCallback, useState } from 'react';
import { type ClientErrorCode, toClientErrorCode } from './errors';

export interface Action {
  busy: boolean;
  error: ClientErrorCode | null;
  /** Runs one request at a time; resolves true when it went through. */
  run: (request: () => Promise<unknown>) => Promise<boolean>;
  clearError: () => void;
}

/** Busy and error state for a button or form that sends one request. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClientErrorCode | null>(null);
  const run = useCallback(async (request: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await request();
      return true;
    } catch (err) {
      setError(toClientErrorCode(err));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  const clearError = useCallback(() => setError(null), []);
  return { busy, error, run, clearError };
}
