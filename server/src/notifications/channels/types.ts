import type { NotifyChannel, NotifyKind, NotifyLocale } from '@yitang/shared';

/** One message as it leaves for one address. */
export interface Outgoing {
  /** The delivery's idempotency key: receivers that take one (SMS gateways) get it. */
  id: string;
  to: string;
  kind: NotifyKind;
  locale: NotifyLocale;
  subject: string;
  text: string;
  markdown: string;
  /** What the kind's template was filled with (an SMS template takes these, not the text). */
  params: Record<string, string>;
  link: string;
}

/**
 * A way out of the browser. `send` resolves once the receiver took the message and throws a
 * `ChannelError` (or any error) saying why not; the delivery records it and retries.
 */
export interface Channel {
  name: NotifyChannel;
  send(message: Outgoing): Promise<void>;
  close?(): void;
}

/** A refusal or failure a channel reports; its message goes into the delivery log. */
export class ChannelError extends Error {
  constructor(message: string) {
    super(message.slice(0, 300));
    this.name = 'ChannelError';
  }
}

/** How long one request to a receiver may take. */
export const CHANNEL_TIMEOUT_MS = 10_000;

/** The error's words for the log, never a stack. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError') return 'timed out';
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.message}${cause}`.slice(0, 300);
  }
  return String(err).slice(0, 300);
}

/** Posts a JSON body (as given, byte for byte) and answers the parsed reply; a non-2xx status is a ChannelError. */
export async function postJson(url: string, raw: string, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: raw,
    signal: AbortSignal.timeout(CHANNEL_TIMEOUT_MS),
    redirect: 'error',
  });
  const text = await res.text();
  if (!res.ok) throw new ChannelError(`HTTP ${res.status}`);
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw new ChannelError('the answer is not JSON');
  }
}
