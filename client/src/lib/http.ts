import { ClientError, errorCodeOf } from './errors';

/** Anything with a zod-like `parse`; the shared schemas fit. */
export interface Parser<T> {
  parse(data: unknown): T;
}

function fallbackCode(status: number) {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 503) return 'UNAVAILABLE';
  return status >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Calls the REST API on the same origin (the sign-in cookie rides along) and validates the
 * response with `parser`. Failures become a `ClientError` with a translatable code. A body is
 * sent as JSON, except a FormData, which goes as multipart/form-data (files; the browser sets
 * the boundary).
 */
export async function api<T>(
  path: string,
  parser: Parser<T>,
  init: { method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; body?: unknown } = {},
): Promise<T> {
  const multipart = init.body instanceof FormData;
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      headers:
        init.body === undefined || multipart
          ? { Accept: 'application/json' }
          : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: init.body === undefined ? undefined : multipart ? (init.body as FormData) : JSON.stringify(init.body),
    });
  } catch {
    throw new ClientError('NETWORK');
  }
  const body = await readJson(res);
  if (!res.ok) throw new ClientError(errorCodeOf(body) ?? fallbackCode(res.status), res.status);
  try {
    return parser.parse(body);
  } catch {
    throw new ClientError('BAD_RESPONSE', res.status);
  }
}

/** Reads one field of a JSON object body with `inner`, e.g. `{ invitations: [...] }`. */
export function field<T>(key: string, inner: Parser<T>): Parser<T> {
  return {
    parse: (data) => {
      if (!isRecord(data) || !Object.hasOwn(data, key)) throw new Error(`missing ${key}`);
      return inner.parse(data[key]);
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A parser for endpoints whose body the client does not need. */
export const ignoreBody: Parser<null> = { parse: () => null };
