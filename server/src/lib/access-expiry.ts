import type { Logger } from '../logger';

/** setTimeout's longest delay; a later deadline is reached in several steps. */
const maxDelayMs = 2 ** 31 - 1;
/** After a failed check (database away), the next one: the connection stays meanwhile. */
const retryMs = 5_000;

/**
 * Closes long-lived connections (room and minutes sockets) when the sign-in behind them ends:
 * the session cookie's expiry or a guest's invitation's. One timer per connection, set for the
 * moment access ends, so thousands of sockets cost nothing until then; when it fires the access
 * is checked again (a session may have been extended meanwhile) and the connection is closed or
 * the timer set for the new end. Sign-out and revocation close connections at once elsewhere.
 */
export class AccessExpiry {
  constructor(
    /** Until when (ms since the epoch) the token gives access now; null when it does not. */
    private readonly accessUntil: (token: string) => Promise<number | null>,
    private readonly logger: Logger,
  ) {}

  /** Watches one connection; returns the function that stops watching (call it on close). */
  watch(token: string, until: number, close: () => void): () => void {
    let timer: NodeJS.Timeout | null = null;
    let stopped = false;
    let end = until;
    const arm = (at: number) => {
      // `due` is async: whatever it throws (close() included) is logged here, never left as an
      // unhandled rejection, which would end the process.
      const fire = () => {
        due().catch((err: unknown) => this.logger.error({ err }, 'closing an expired connection failed'));
      };
      timer = setTimeout(fire, Math.min(Math.max(0, at - Date.now()), maxDelayMs));
      timer.unref();
    };
    const due = async () => {
      timer = null;
      if (stopped) return;
      if (Date.now() < end) return arm(end);
      let next: number | null;
      try {
        next = await this.accessUntil(token);
      } catch (err) {
        this.logger.warn({ err }, 'access check failed; trying again');
        if (!stopped) arm(Date.now() + retryMs);
        return;
      }
      if (stopped) return;
      if (next === null || next <= Date.now()) {
        stopped = true;
        close();
        return;
      }
      end = next;
      arm(end);
    };
    arm(end);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    };
  }
}
