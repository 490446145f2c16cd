import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { AppError } from '../errors';

const changing = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Same-origin requests, and those from the configured allowlist, come from our own pages. A
 * request without an Origin is not a browser's cross-site request (browsers send Origin on every
 * state-changing request), so the cookie alone decides for it.
 */
export function sameOrigin(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    // "null" (sandboxed frames, file: pages) and garbage are never ours.
    return false;
  }
}

/**
 * Refuses state-changing calls a browser made on another site's behalf (CSRF): a foreign Origin,
 * or Fetch-Metadata saying cross-site. SameSite=Lax cookies alone still let a sibling site or an
 * old browser through, and a top-level form POST is not stopped by them at all in some browsers.
 * `exempt` paths are server-to-server (the hotline webhook proves itself with a signature).
 */
export function originGuard(opts: { allowedOrigins: readonly string[]; exempt: readonly string[] }): RequestHandler {
  return (req, _res, next) => {
    if (!changing.has(req.method) || opts.exempt.includes(req.path)) return next();
    const origin = req.headers.origin;
    const listed = origin !== undefined && opts.allowedOrigins.includes(origin);
    if (req.headers['sec-fetch-site'] === 'cross-site' && !listed) {
      throw new AppError('FORBIDDEN', 'Cross-site requests may not change anything.');
    }
    if (!sameOrigin(req, opts.allowedOrigins)) {
      throw new AppError('FORBIDDEN', 'This origin may not change anything here.');
    }
    next();
  };
}

/**
 * JSON routes take JSON only: an HTML form (urlencoded, multipart) or a text/plain body can be
 * sent cross-site without a CORS preflight, so refusing those types closes that door even where
 * the Origin check cannot see (no Origin header). Upload routes (`uploads`, matched on the path)
 * keep their own types. A request without a body has nothing to check.
 */
export function jsonOnly(uploads: readonly RegExp[]): RequestHandler {
  return (req, _res, next) => {
    if (!changing.has(req.method)) return next();
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (!hasBody || req.is('application/json') === 'application/json') return next();
    if (uploads.some((re) => re.test(req.path))) return next();
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send JSON (Content-Type: application/json).');
  };
}

/**
 * Security headers (helmet). The CSP allows only this origin's scripts (the Vite build has no
 * inline scripts), its own sockets (`connect-src 'self'` covers ws:/wss: to the same host),
 * inline style attributes (React and ECharts set them), data:/blob: images (charts, previews);
 * nobody may frame the app. HSTS and upgrade-insecure-requests only over HTTPS (COOKIE_SECURE):
 * on plain HTTP they would lock a LAN deployment out of its own server.
 */
export function securityHeaders(opts: { https: boolean; mediaOrigins?: string[] }): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        // The media server (voice and video) may answer on another origin: its signalling socket.
        connectSrc: ["'self'", ...(opts.mediaOrigins ?? [])],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(opts.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    strictTransportSecurity: opts.https ? { maxAge: 180 * 24 * 3600, includeSubDomains: true } : false,
    // Downloads (minutes PDF, XLSX) open in new tabs; the app embeds nothing cross-origin.
    crossOriginEmbedderPolicy: false,
  });
}
