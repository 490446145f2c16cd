import { z } from 'zod';

/** The closed set of error codes a client can receive. Messages are for people; codes are for code. */
export const ErrorCode = z.enum([
  'BAD_REQUEST',
  'UNKNOWN_EVENT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'NOT_JOINED',
  'POLL_NOT_OPEN',
  'POLL_CLOSED',
  'ALREADY_VOTED',
  'BALLOT_ID_REUSED',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'BAD_CREDENTIALS',
  'INVITATION_INVALID',
  'SESSION_NOT_LIVE',
  'SESSION_CLOSED',
  'ROOM_LOCKED',
  'REMOVED',
  'MUTED',
  'ILLEGAL_TRANSITION',
  'NOT_ELIGIBLE',
  'INVALID_BALLOT',
  'NOT_IN_HALL',
  /** A secret poll's paper batch would exceed the checked-in hall voters who have not voted online. */
  'PAPER_LIMIT',
  'BAD_CODE',
  'NOT_SPEAKER',
  'UNAVAILABLE',
  'INTERNAL',
  /** A JSON route was sent another content type (forms and text/plain can be posted cross-site). */
  'UNSUPPORTED_MEDIA_TYPE',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export interface AppErrorBody {
  code: ErrorCode;
  message: string;
}

export type Ack<T> = { ok: true; data: T } | { ok: false; error: AppErrorBody };

export const ok = <T>(data: T): Ack<T> => ({ ok: true, data });
export const fail = (code: ErrorCode, message: string): Ack<never> => ({
  ok: false,
  error: { code, message },
});
