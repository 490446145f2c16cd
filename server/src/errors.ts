import type { ErrorCode } from '@yitang/shared';

/** An error meant for the client: a stable code and a message safe to show. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const httpStatus: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNKNOWN_EVENT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  NOT_JOINED: 409,
  POLL_NOT_OPEN: 409,
  POLL_CLOSED: 409,
  ALREADY_VOTED: 409,
  BALLOT_ID_REUSED: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  BAD_CREDENTIALS: 401,
  INVITATION_INVALID: 410,
  SESSION_NOT_LIVE: 409,
  SESSION_CLOSED: 409,
  ROOM_LOCKED: 423,
  REMOVED: 403,
  MUTED: 403,
  ILLEGAL_TRANSITION: 409,
  NOT_ELIGIBLE: 403,
  INVALID_BALLOT: 400,
  NOT_IN_HALL: 409,
  PAPER_LIMIT: 409,
  BAD_CODE: 400,
  NOT_SPEAKER: 403,
  UNAVAILABLE: 503,
  INTERNAL: 500,
  UNSUPPORTED_MEDIA_TYPE: 415,
};

/** MongoDB's duplicate-key error, the way uniqueness is enforced everywhere. */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 11000;
}
