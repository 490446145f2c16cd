import {
  type Ack,
  type ClientEventName,
  type ClientEventResults,
  type ClientPayload,
  clientEventSchemas,
  fail,
  limits,
  ok,
} from '@yitang/shared';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { YitangSocket } from './types';

/** A handler gets the connection's own state `C` and the validated payload. */
export type EventHandler<C, E extends ClientEventName> = (
  conn: C,
  payload: ClientPayload<E>,
) => Promise<ClientEventResults[E]>;

/**
 * One table for every connection: per connection there is only its state object, not a set of
 * closures (each closure, and under tsx each named one's own `name` property, costs heap).
 */
export type EventHandlers<C> = { [E in ClientEventName]: EventHandler<C, E> };

const isKnown = (event: string): event is ClientEventName => Object.hasOwn(clientEventSchemas, event);

/**
 * A token bucket per socket: `socketBurst` events at once, refilled at `socketEventsPerSecond`.
 * A socket that keeps sending while empty is disconnected; the others carry on.
 */
export class RateLimiter {
  private tokens: number = limits.socketBurst;
  private last = Date.now();
  private refusals = 0;

  /** 'ok', 'refuse' (answer RATE_LIMITED) or 'drop' (disconnect). */
  take(now = Date.now()): 'ok' | 'refuse' | 'drop' {
    const refill = ((now - this.last) / 1000) * limits.socketEventsPerSecond;
    this.tokens = Math.min(limits.socketBurst, this.tokens + refill);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      if (this.tokens >= limits.socketBurst / 2) this.refusals = 0;
      return 'ok';
    }
    this.refusals += 1;
    return this.refusals >= limits.socketRefusalsBeforeDisconnect ? 'drop' : 'refuse';
  }
}

/**
 * Routes every incoming event through one path: rate limit, look up the schema, validate, run the
 * handler, answer `{ok, data}` or `{ok:false, error:{code,message}}`. Nothing a client sends can
 * throw out of here; unexpected errors are logged and answered with INTERNAL.
 */
/** Told of every event a handler answered ok (the audit log listens; it cannot change the answer). */
export type EventObserver = (socket: YitangSocket, event: ClientEventName, payload: unknown) => void;

/** Several observers as one; each runs guarded, so one that throws neither stops the others nor reaches the caller. */
export function observeAll(logger: Logger, ...observers: EventObserver[]): EventObserver {
  return (socket, event, payload) => {
    for (const observe of observers) {
      try {
        observe(socket, event, payload);
      } catch (err) {
        logger.error({ err, event }, 'event observer failed');
      }
    }
  };
}

export function dispatchEvents<C>(
  socket: YitangSocket,
  conn: C,
  handlers: EventHandlers<C>,
  logger: Logger,
  observe?: EventObserver,
): void {
  const limiter = new RateLimiter();
  socket.onAny((event: unknown, ...args: unknown[]) => {
    const last = args.at(-1);
    const ack = typeof last === 'function' ? (last as (res: Ack<unknown>) => void) : () => undefined;
    const verdict = limiter.take();
    if (verdict !== 'ok') {
      ack(fail('RATE_LIMITED', 'Too many events; slow down.'));
      if (verdict === 'drop') {
        logger.warn({ memberId: socket.data.memberId }, 'flooding socket disconnected');
        socket.disconnect(true);
      }
      return;
    }
    const name = typeof event === 'string' ? event : '';
    if (!isKnown(name)) {
      logger.warn({ event: name.slice(0, 64), memberId: socket.data.memberId }, 'unknown event');
      ack(fail('UNKNOWN_EVENT', `Unknown event ${name.slice(0, 64)}.`));
      return;
    }
    void run(
      socket,
      conn,
      handlers,
      logger,
      name,
      args.length > 1 || typeof last !== 'function' ? args[0] : undefined,
      ack,
      observe,
    );
  });
}

async function run<C>(
  socket: YitangSocket,
  conn: C,
  handlers: EventHandlers<C>,
  logger: Logger,
  event: ClientEventName,
  raw: unknown,
  ack: (res: Ack<unknown>) => void,
  observe?: EventObserver,
): Promise<void> {
  const parsed = clientEventSchemas[event].safeParse(raw ?? {});
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ');
    logger.warn({ event, memberId: socket.data.memberId, message }, 'bad payload');
    ack(fail('BAD_REQUEST', message.slice(0, 500)));
    return;
  }
  let result: unknown;
  try {
    // The parsed payload matches this event's schema; the map keeps the pairing.
    const handler = handlers[event] as EventHandler<C, ClientEventName>;
    result = await handler(conn, parsed.data as ClientPayload<ClientEventName>);
  } catch (err) {
    if (err instanceof AppError) {
      ack(fail(err.code, err.message));
      return;
    }
    logger.error({ err, event, memberId: socket.data.memberId }, 'event handler failed');
    ack(fail('INTERNAL', 'Internal error.'));
    return;
  }
  ack(ok(result));
  // Outside the handler's try: an observer that throws must not answer the event a second time.
  if (observe) observeAll(logger, observe)(socket, event, parsed.data);
}
