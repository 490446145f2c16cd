import { ErrorCode } from '@yitang/shared';

/**
 * Every error the UI can explain: the server's codes plus the few the client detects itself
 * (no network, an unreadable response, an action tried while the room socket is down, an
 * acknowledgement that never came).
 */
export type ClientErrorCode = ErrorCode | 'NETWORK' | 'BAD_RESPONSE' | 'OFFLINE' | 'TIMEOUT';

/** An error carrying a code the UI can translate. */
export class ClientError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    readonly status = 0,
  ) {
    super(code);
    this.name = 'ClientError';
  }
}

/** Reads an error code from a server error body (`{ error: { code } }` or `{ code }`), if it has one. */
export function errorCodeOf(body: unknown): ErrorCode | null {
  if (typeof body !== 'object' || body === null) return null;
  const inner = 'error' in body && typeof body.error === 'object' && body.error !== null ? body.error : body;
  if (!('code' in inner)) return null;
  const parsed = ErrorCode.safeParse(inner.code);
  return parsed.success ? parsed.data : null;
}

export function toClientErrorCode(err: unknown): ClientErrorCode {
  return err instanceof ClientError ? err.code : 'INTERNAL';
}
