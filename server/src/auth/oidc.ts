import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { limits, type MemberView, mayManageAccount } from '@yitang/shared';
import { parse as parseCookie } from 'cookie';
import { type Request, type Response, Router } from 'express';
import { type Connection, Schema } from 'mongoose';
import * as client from 'openid-client';
import { z } from 'zod';
import type { Audit } from '../audit';
import { type Models, trusted } from '../db/models';
import { AppError, isDuplicateKey } from '../errors';
import { requireMember, validateBody } from '../http/middleware';
import type { Logger } from '../logger';
import { createMemberRecords, type MemberService } from '../members/member.service';
import { type AuthService, SESSION_COOKIE } from './auth.service';

/**
 * Single sign-on through OpenID Connect (a government unified identity platform): the
 * authorization-code flow with PKCE, state and nonce. An identity signs in only to an account
 * that staff linked to it (its `sub`), or, when `OIDC_CLAIM` says so, to the one account whose
 * phone or email equals a claim the platform marks verified. Nobody is ever created here.
 */

/** Which claim ties an identity to an account: `sub` linked by staff, or a verified phone or email. */
export const OidcClaim = z.enum(['sub', 'phone_number', 'email']);
export type OidcClaim = z.infer<typeof OidcClaim>;

export interface OidcSettings {
  OIDC_ISSUER?: string;
  OIDC_CLIENT_ID?: string;
  OIDC_CLIENT_SECRET?: string;
  /** Where the platform sends the browser back; `${PUBLIC_URL}/api/auth/oidc/callback` if unset. */
  OIDC_REDIRECT_URI?: string;
  OIDC_CLAIM?: OidcClaim;
  /** The address people open Yitang at, e.g. https://yitang.example.gov.cn. */
  PUBLIC_URL?: string;
}

/** The callback's path below the public address (the API is mounted at /api). */
export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';
const STATE_COOKIE = 'yitang_oidc';
const STATE_COOKIE_PATH = '/api/auth/oidc';
/** How long a started sign-in may take at the platform before its state is refused. */
const pendingSeconds = 10 * 60;

/** A subject staff linked to an account. `_id` is the subject, so one identity reaches one account. */
export interface OidcLinkDoc {
  _id: string;
  issuer: string;
  memberId: string;
  createdBy: string;
  createdAt: Date;
}

const linkModels = new WeakMap<Connection, ReturnType<typeof compileLinkModel>>();

function compileLinkModel(conn: Connection) {
  return conn.model<OidcLinkDoc>(
    'OidcLink',
    new Schema<OidcLinkDoc>(
      {
        _id: String,
        issuer: { type: String, required: true },
        memberId: { type: String, required: true, index: true },
        createdBy: { type: String, required: true },
        createdAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'oidc_links',
  );
}

/** The links' model on this connection (compiled once per connection, like db/models.ts). */
export function oidcLinkModel(conn: Connection) {
  let model = linkModels.get(conn);
  if (!model) {
    model = compileLinkModel(conn);
    linkModels.set(conn, model);
  }
  return model;
}

export const OidcLinkBody = z.object({ subject: z.string().trim().min(1).max(255) }).strict();
export type OidcLinkBody = z.infer<typeof OidcLinkBody>;

/** What the sign-in page reads: whether to offer single sign-on. */
export interface OidcStatus {
  enabled: boolean;
}

/** The redirect URI these settings give, or null when single sign-on is off. */
export function oidcRedirectUri(s: OidcSettings): string | null {
  if (!s.OIDC_ISSUER || !s.OIDC_CLIENT_ID) return null;
  if (s.OIDC_REDIRECT_URI) return s.OIDC_REDIRECT_URI;
  if (!s.PUBLIC_URL) return null;
  return new URL(OIDC_CALLBACK_PATH, s.PUBLIC_URL).toString();
}

const isLoopbackHost = (host: string) => host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** Only a platform on this machine (a test or a local trial) may be reached over plain http. */
export const issuerAllowed = (issuer: string) => {
  const url = new URL(issuer);
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
};

/** The sign-in started in this browser: what the callback must match. Sealed into a cookie. */
interface Pending {
  state: string;
  nonce: string;
  verifier: string;
  /** Where to go once signed in: a path on this site. */
  next: string;
  /** ms since the epoch */
  until: number;
}

/** AES-256-GCM with a key of its own, so a browser can neither read nor forge its pending sign-in. */
class Sealer {
  constructor(private readonly key: Buffer) {}

  seal(p: Pending): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(p), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  open(sealed: string | undefined): Pending | null {
    if (!sealed || sealed.length > 2048) return null;
    try {
      const raw = Buffer.from(sealed, 'base64url');
      if (raw.length < 29) return null;
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      const p = JSON.parse(text) as Pending;
      return p.until > Date.now() ? p : null;
    } catch {
      return null;
    }
  }
}

/** A path on this site to return to (never another site, nor `//host`); `/` otherwise. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 512) return '/';
  return /^\/(?![/\\])[^\s]*$/.test(next) && !next.startsWith('/api/') ? next : '/';
}

type Refusal = 'expired' | 'unknown' | 'deactivated' | 'unavailable' | 'denied';

/** The page a refused sign-in lands on: Chinese first, English second, nothing to run. */
const refusals: Record<Refusal, { status: number; zh: string; en: string }> = {
  unknown: {
    status: 403,
    zh: '此统一身份认证账户尚未开通议堂账户，请联系市政协办公室开通账户。',
    en: 'This identity has no Yitang account. Please contact the CPPCC office to have an account opened.',
  },
  deactivated: {
    status: 403,
    zh: '此账户已停用。如有疑问，请联系市政协办公室。',
    en: 'This account is deactivated. Please contact the CPPCC office if you have questions.',
  },
  expired: {
    status: 400,
    zh: '登录请求已失效或已使用，请重新登录。',
    en: 'This sign-in request has expired or was already used. Please sign in again.',
  },
  denied: {
    status: 400,
    zh: '统一身份认证平台未完成登录，请重新登录。',
    en: 'The identity platform did not complete the sign-in. Please sign in again.',
  },
  unavailable: {
    status: 503,
    zh: '暂时无法连接统一身份认证平台，请稍后再试，或使用账户密码登录。',
    en: 'The identity platform cannot be reached now. Please try again later, or sign in with your password.',
  },
};

/** A plain card in the app's colours, readable on a phone (the CSP allows inline styles, no scripts). */
const pageStyle =
  'body{margin:0;background:#f5f4f0;color:#1f2328;font:16px/1.6 system-ui,"PingFang SC","Microsoft YaHei",sans-serif}' +
  'main{max-width:32rem;margin:2rem auto;padding:1.5rem;background:#fff;border:1px solid #dcd9d2;border-radius:8px}' +
  'h1{font-size:1.4rem;margin:0 0 1rem}.en{color:#5b616b}a{color:#9f1c20}a:focus{outline:3px solid #1f5fbf}';

function refusalPage(res: Response, reason: Refusal): void {
  const r = refusals[reason];
  res
    .status(r.status)
    .type('html')
    .set('Cache-Control', 'no-store')
    .send(
      `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>无法登录 · Cannot sign in</title><style>${pageStyle}</style></head><body><main><h1>无法登录</h1><p data-reason="${reason}">${r.zh}</p><p lang="en" class="en">${r.en}</p><p><a href="/login">返回登录页</a> · <a href="/login" lang="en">Back to sign-in</a></p></main></body></html>`,
    );
}

export interface OidcDeps {
  settings: OidcSettings;
  conn: Connection;
  models: Models;
  members: MemberService;
  auth: AuthService;
  audit: Audit;
  logger: Logger;
  secureCookie: boolean;
  /** The server's secret: the pending sign-in's cookie is sealed with a key drawn from it. */
  secret: Buffer;
}

const who = (m: MemberView) => ({ id: m.id, name: m.name });

/** The sign-in routes (`/auth/oidc/...`) and staff's linking of an account to a subject. */
export function oidcRouter(deps: OidcDeps): Router {
  const { settings, models, members, auth, audit, logger } = deps;
  const records = createMemberRecords(models);
  const links = oidcLinkModel(deps.conn);
  const redirectUri = oidcRedirectUri(settings);
  const issuer = settings.OIDC_ISSUER;
  const enabled = redirectUri !== null && issuer !== undefined;
  const claim: OidcClaim = settings.OIDC_CLAIM ?? 'sub';
  const sealer = new Sealer(Buffer.from(hkdfSync('sha256', deps.secret, Buffer.alloc(0), 'yitang oidc state', 32)));
  const r = Router();
  const signedIn = requireMember(auth);

  const notConfigured = () => new AppError('NOT_FOUND', 'Single sign-on is not configured.');

  /** The platform's metadata, fetched once; a failure is forgotten so the next sign-in tries again. */
  let configuration: Promise<client.Configuration> | null = null;
  const discover = async (): Promise<client.Configuration> => {
    if (!issuer || !settings.OIDC_CLIENT_ID) throw notConfigured();
    configuration ??= client
      .discovery(
        new URL(issuer),
        settings.OIDC_CLIENT_ID,
        undefined,
        // HTTP Basic, the default a registered client has (OpenID Connect Registration); PKCE alone without a secret.
        settings.OIDC_CLIENT_SECRET ? client.ClientSecretBasic(settings.OIDC_CLIENT_SECRET) : client.None(),
        {
          timeout: 10,
          ...(new URL(issuer).protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
        },
      )
      .catch((err: unknown) => {
        configuration = null;
        throw err;
      });
    return configuration;
  };

  const setPending = (res: Response, value: string, maxAgeSeconds: number) =>
    res.cookie(STATE_COOKIE, value, {
      httpOnly: true,
      // Lax: the platform's redirect back is a top-level GET, which carries it.
      sameSite: 'lax',
      secure: deps.secureCookie,
      path: STATE_COOKIE_PATH,
      maxAge: maxAgeSeconds * 1000,
    });

  r.get('/auth/oidc', (_req, res) => {
    res.json({ enabled } satisfies OidcStatus);
  });

  r.get('/auth/oidc/start', async (req, res) => {
    if (!enabled) throw notConfigured();
    let config: client.Configuration;
    try {
      config = await discover();
    } catch (err) {
      logger.warn({ err, issuer }, 'identity platform discovery failed');
      refusalPage(res, 'unavailable');
      return;
    }
    const pending: Pending = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
      next: safeNext(req.query.next),
      until: Date.now() + pendingSeconds * 1000,
    };
    const scope = ['openid', claim === 'email' ? 'email' : claim === 'phone_number' ? 'phone' : null]
      .filter(Boolean)
      .join(' ');
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    });
    setPending(res, sealer.seal(pending), pendingSeconds);
    res.set('Cache-Control', 'no-store').redirect(303, url.toString());
  });

  /** The one account this verified claim names (not a guest), or null when none or several do. */
  async function byClaim(value: string): Promise<string | null> {
    const field = claim === 'email' ? 'email' : 'phone';
    const normalised = field === 'email' ? value.trim().toLowerCase() : value.replace(/^\+86/, '').replace(/\D/g, '');
    if (!normalised) return null;
    const values = [...new Set([value.trim(), normalised])];
    const found = await records.byContact(field, values, 2);
    const accounts = found.filter((m) => m.kind !== 'guest');
    return accounts.length === 1 ? (accounts[0]?.id ?? null) : null;
  }

  r.get('/auth/oidc/callback', async (req, res) => {
    if (!enabled || !redirectUri || !issuer) throw notConfigured();
    const pending = sealer.open(parseCookie(req.headers.cookie ?? '')[STATE_COOKIE]);
    // One use per start, whatever happens next.
    res.clearCookie(STATE_COOKIE, { path: STATE_COOKIE_PATH });
    if (!pending) {
      refusalPage(res, 'expired');
      return;
    }
    let config: client.Configuration;
    try {
      config = await discover();
    } catch (err) {
      logger.warn({ err, issuer }, 'identity platform discovery failed');
      refusalPage(res, 'unavailable');
      return;
    }
    // The URL the platform sent the browser to: the configured one, never the Host header.
    const current = new URL(redirectUri);
    current.search = new URL(req.originalUrl, 'http://callback.invalid').search;
    let claims: client.IDToken | undefined;
    let accessToken = '';
    try {
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
      accessToken = tokens.access_token;
    } catch (err) {
      logger.info({ err }, 'single sign-on callback refused');
      if (err instanceof client.AuthorizationResponseError) refusalPage(res, 'denied');
      else if (err instanceof client.ClientError || err instanceof client.ResponseBodyError) {
        refusalPage(res, 'expired');
      } else refusalPage(res, 'unavailable');
      return;
    }
    const subject = claims?.sub;
    if (!subject) {
      refusalPage(res, 'expired');
      return;
    }
    let memberId = (await links.findOne({ _id: subject, issuer }).lean())?.memberId ?? null;
    if (!memberId && claim !== 'sub') {
      let source: Record<string, unknown> = claims ?? {};
      if (source[claim] === undefined) {
        try {
          source = await client.fetchUserInfo(config, accessToken, subject);
        } catch (err) {
          logger.warn({ err }, 'identity platform userinfo failed');
        }
      }
      const value = source[claim];
      const verified = source[claim === 'email' ? 'email_verified' : 'phone_number_verified'] === true;
      if (typeof value === 'string' && verified) memberId = await byClaim(value);
    }
    const doc = memberId ? await records.standing(memberId) : null;
    if (!doc || doc.kind === 'guest') {
      await audit.record({ actor: null, action: 'auth.oidcRefused', target: subject, details: { reason: 'unknown' } });
      refusalPage(res, 'unknown');
      return;
    }
    const member = doc.deactivated || !memberId ? null : await members.getActive(memberId);
    if (!member) {
      await audit.record({
        actor: null,
        action: 'auth.oidcRefused',
        target: subject,
        details: { reason: 'deactivated' },
      });
      refusalPage(res, 'deactivated');
      return;
    }
    const token = await auth.startSession(member.id);
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.secureCookie,
      path: '/',
      maxAge: limits.sessionMaxAgeSeconds * 1000,
    });
    await audit.record({
      actor: who(member),
      action: 'auth.login',
      target: subject,
      details: { method: 'oidc', address: req.ip ?? 'unknown' },
    });
    res.set('Cache-Control', 'no-store').redirect(303, pending.next);
  });

  /** The target account's kind, refusing unless `by` is staff allowed to manage it. */
  async function manageable(req: Request, res: Response): Promise<{ by: MemberView; memberId: string }> {
    const by = res.locals.member as MemberView;
    if (by.kind !== 'staff') throw new AppError('FORBIDDEN', 'Only staff manage accounts.');
    const memberId = String(req.params.id);
    const kind = await records.kindOf(memberId);
    if (!kind || kind === 'guest') throw new AppError('NOT_FOUND', 'No such account.');
    if (!mayManageAccount(kind, false)) {
      if (!mayManageAccount(kind, await records.isAdmin(by.id))) {
        throw new AppError('FORBIDDEN', 'Only the administrator manages staff accounts.');
      }
    }
    return { by, memberId };
  }

  r.get('/accounts/:id/oidc', signedIn, async (req, res) => {
    const { memberId } = await manageable(req, res);
    const link = await links.findOne({ memberId }).lean();
    res.json({ subject: link?._id ?? null, enabled });
  });

  r.post('/accounts/:id/oidc', signedIn, validateBody(OidcLinkBody), async (req, res) => {
    const { by, memberId } = await manageable(req, res);
    if (!enabled || !issuer) throw notConfigured();
    const { subject } = req.body as OidcLinkBody;
    const linkedElsewhere = () =>
      new AppError('ILLEGAL_TRANSITION', 'This identity is already linked to another account.');
    const taken = await links.findById(subject).lean();
    if (taken && taken.memberId !== memberId) throw linkedElsewhere();
    // One identity per account: a new link replaces the old one.
    await links.deleteMany({ memberId, _id: trusted({ $ne: subject }) });
    try {
      // Matched on the account too: a link another account won meanwhile is a duplicate key, not overwritten.
      await links.updateOne(
        { _id: subject, memberId },
        { $set: { issuer, createdBy: by.id, createdAt: new Date() } },
        { upsert: true },
      );
    } catch (err) {
      if (isDuplicateKey(err)) throw linkedElsewhere();
      throw err;
    }
    await audit.record({ actor: who(by), action: 'account.oidcLink', target: memberId, details: { subject } });
    res.json({ subject, enabled });
  });

  r.post('/accounts/:id/oidc/unlink', signedIn, async (req, res) => {
    const { by, memberId } = await manageable(req, res);
    const gone = await links.deleteMany({ memberId });
    if (gone.deletedCount > 0) {
      await audit.record({ actor: who(by), action: 'account.oidcUnlink', target: memberId });
    }
    res.json({ subject: null, enabled });
  });

  return r;
}
