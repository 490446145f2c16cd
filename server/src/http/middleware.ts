import type { MemberView } from '@yitang/shared';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { type AuthService, tokenFromCookieHeader } from '../auth/auth.service';
import { AppError, httpStatus } from '../errors';
import type { Logger } from '../logger';

/** Parses `req.body` with a shared schema; a bad body is a 400 with code BAD_REQUEST. */
export function validateBody<S extends z.ZodType>(schema: S): RequestHandler {
  return (req, _res, next) => {
    const parsed = schema.safeParse(req.body);
    if (!parsed.success) {
      throw new AppError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    }
    req.body = parsed.data;
    next();
  };
}

export interface AuthedLocals {
  member: MemberView;
}

/** Resolves the session cookie into `res.locals.member`, or answers 401. */
export function requireMember(auth: AuthService): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const member = await auth.resolve(tokenFromCookieHeader(req.headers.cookie));
    if (!member) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
    res.locals.member = member;
    next();
  };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (err instanceof AppError) {
      res.status(httpStatus[err.code]).json({ error: { code: err.code, message: err.message } });
      return;
    }
    // Errors from Express and its parsers carry a 4xx status (body-parser's also a type; the
    // router's "Failed to decode param" for a broken percent-escape only the status): they are
    // the client's fault, never a 500.
    const status = clientErrorStatus(err);
    if (status !== null) {
      const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST';
      const type = typeof err === 'object' && err !== null && 'type' in err ? err.type : undefined;
      res.status(status).json({ error: { code, message: typeof type === 'string' ? type : 'Bad request.' } });
      return;
    }
    logger.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
    res.status(500).json({ error: { code: 'INTERNAL', message: 'Internal error.' } });
  };
}

/** The 4xx status an error from Express or a parser carries (`status` or `statusCode`), if any. */
function clientErrorStatus(err: unknown): number | null {
  if (typeof err !== 'object' || err === null) return null;
  const raw = 'status' in err ? err.status : 'statusCode' in err ? err.statusCode : undefined;
  const status = Number(raw);
  return Number.isInteger(status) && status >= 400 && status < 500 ? status : null;
}
