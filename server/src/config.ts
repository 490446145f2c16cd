import { isIP } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { issuerAllowed, OidcClaim } from './auth/oidc';

/** The repository root, for defaults that live beside the code (data dir, tools, client build). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const flag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

/**
 * One entry of TRUST_PROXY as Express's proxy-addr takes it: a name, an address, or a subnet (as a
 * prefix length or a netmask). Anything else (`true`, `1`) crashed startup deep inside proxy-addr.
 */
function trustedProxy(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address = '', range, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(range) === 4;
}

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,60}$/)
    .default('yitang'),
  YITANG_DATA_DIR: z.string().min(1).default(path.join(repoRoot, '.data')),
  FERRETDB_BIN: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    ),
  SEED_DEMO: flag.default(true),
  /** Lets anyone pick a demo identity without a password. Defaults to SEED_DEMO. */
  DEMO_LOGIN: flag.optional(),
  CLIENT_DIST: z
    .string()
    .min(1)
    .default(path.join(repoRoot, 'client', 'dist')),
  /** Debian's Chromium renders the minutes PDF export. */
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  COOKIE_SECURE: flag.default(false),
  /**
   * Which proxies may name the client in X-Forwarded-For (Express's 'trust proxy': addresses,
   * subnets or loopback/linklocal/uniquelocal, comma-separated). The per-address sign-in limit
   * counts that client, so an nginx on another host must be listed here.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .min(1)
    .refine((v) => v.split(',').every((p) => trustedProxy(p.trim())), {
      message:
        'expected proxy addresses or subnets (e.g. 10.0.0.5, 10.0.0.0/8) or loopback, linklocal, uniquelocal, comma-separated; not true or a hop count: name the proxy',
    })
    .default('loopback'),
  /** Several server processes share rooms' broadcasts and leases through this Redis (docs/scale-out.md). */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  /** This process's name among the nodes; unique while it runs. Defaults to host and pid. */
  NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,60}$/)
    .optional(),
  /** Shared secret of the 12345 hotline webhooks (both ways); without it the inbound webhook is off. */
  HOTLINE_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * Seals secret ballots so the database alone cannot open them (docs/security.md). Required with
   * REDIS_URL, so every node opens every ballot; otherwise generated into YITANG_DATA_DIR/ballot.key.
   */
  BALLOT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Where status changes go back to the hotline; without it they wait in the outbox. */
  HOTLINE_OUTBOUND_URL: z.url({ protocol: /^https?$/ }).optional(),
  HOTLINE_RETRY_BASE_MS: z.coerce.number().int().min(1).default(1_000),
  HOTLINE_RETRY_MAX_MS: z.coerce
    .number()
    .int()
    .min(1)
    .default(5 * 60_000),
  HOTLINE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(12),
  HOTLINE_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** Above this many present a room snapshot lists only those who run the room (`limits.snapshotPresenceMax` if unset; tests lower it). */
  SNAPSHOT_PRESENCE_MAX: z.coerce.number().int().min(1).optional(),
  /**
   * How long a raised hand waits for someone whose connection dropped (a phone changing network)
   * before it leaves the queue (`limits.handKeptAfterLeavingMs` if unset; tests shorten it).
   */
  HAND_KEPT_AFTER_LEAVING_MS: z.coerce.number().int().min(0).optional(),
  /** The address people open Yitang at (https://…): emailed links and the sign-on callback start with it. */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Single sign-on (auth/oidc.ts): the identity platform's issuer URL; off without it. */
  OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** Without it the client is public (PKCE only). */
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Defaults to PUBLIC_URL + /api/auth/oidc/callback. */
  OIDC_REDIRECT_URI: z.url({ protocol: /^https?$/ }).optional(),
  /** Which claim ties an identity to an account: sub (linked by staff), or a verified phone_number or email. */
  OIDC_CLAIM: OidcClaim.default('sub'),
  /** Activation and reset links are also emailed through this server (smtp:// or smtps://). */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'must start with smtp:// or smtps://')
    .optional(),
  /** The sender of those emails, e.g. 市政协办公室 <yitang@example.gov.cn>. */
  MAIL_FROM: z.string().min(3).optional(),
  /** SMS through a signed-template gateway (notifications/channels/sms.ts); off without URL, key and sign name. */
  SMS_URL: z.url({ protocol: /^https?$/ }).optional(),
  SMS_KEY_ID: z.string().min(1).optional(),
  SMS_KEY_SECRET: z.string().min(8, 'must be at least 8 characters').optional(),
  /** The approved signature (签名), e.g. 海安政协. */
  SMS_SIGN_NAME: z.string().min(1).max(20).optional(),
  /** The approved template of each kind of message: `sessionDayBefore=SMS_123,…` (a kind left out sends its own name). */
  SMS_TEMPLATES: z.string().optional(),
  /** A WeChat Work / 政务微信 group robot's webhook URL (…/cgi-bin/webhook/send?key=…); off without it. */
  WECOM_ROBOT_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** WeChat Work application messages: API host (政务微信 has its own), corp id, the app's secret and agent id. */
  WECOM_API_BASE: z.url({ protocol: /^https?$/ }).optional(),
  WECOM_CORP_ID: z.string().min(1).optional(),
  WECOM_CORP_SECRET: z.string().min(1).optional(),
  WECOM_AGENT_ID: z
    .string()
    .regex(/^\d{1,12}$/, 'a number')
    .optional(),
  /** How often each node looks for due reminders and retries (ms); 0 turns the timer off. */
  NOTIFY_TICK_MS: z.coerce.number().int().min(0).default(30_000),
  NOTIFY_RETRY_BASE_MS: z.coerce.number().int().min(1).default(30_000),
  NOTIFY_RETRY_MAX_MS: z.coerce
    .number()
    .int()
    .min(1)
    .default(60 * 60_000),
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  /** Voice and video in online and hybrid rooms (media/): off, the room works as text only. */
  MEDIA: z.enum(['on', 'off']).default('on'),
  /**
   * An existing LiveKit deployment (wss://…), with its API key and secret; without it the embedded
   * one starts (with this key and secret if they are given, else a generated pair).
   */
  LIVEKIT_URL: z.url({ protocol: /^(wss?|https?)$/ }).optional(),
  LIVEKIT_API_KEY: z.string().min(1).optional(),
  LIVEKIT_API_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** The livekit-server binary of the embedded media server (default: .tools/bin, then PATH). */
  LIVEKIT_BIN: z.string().min(1).optional(),
});

export type Config = Omit<z.infer<typeof EnvSchema>, 'DEMO_LOGIN'> & { DEMO_LOGIN: boolean };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** Whether demo sign-in would be on, read from the raw environment so it is checked beside other problems. */
function demoLoginOf(env: NodeJS.ProcessEnv): boolean {
  const read = (v: string | undefined) => {
    const p = flag.safeParse(v);
    return p.success ? p.data : undefined;
  };
  return read(env.DEMO_LOGIN) ?? read(env.SEED_DEMO ?? '1') ?? false;
}

/** Reads the environment once; lists every problem at the same time instead of failing on the first. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  // Each node would otherwise generate its own key and could not count the others' ballots.
  if (env.REDIS_URL && !env.BALLOT_SECRET) {
    problems.push('BALLOT_SECRET: required with REDIS_URL, so that every node can open every secret ballot');
  }
  // Demo sign-in lets anyone in without a password: only a browser on this machine may reach it.
  const host = env.HOST ?? '127.0.0.1';
  if (demoLoginOf(env) && !isLoopback(host)) {
    problems.push(
      `DEMO_LOGIN: demo sign-in (no password; on by default with SEED_DEMO) is refused when HOST=${host} listens beyond this machine; set DEMO_LOGIN=0 or HOST=127.0.0.1`,
    );
  }
  if (env.OIDC_ISSUER && !env.OIDC_CLIENT_ID) problems.push('OIDC_CLIENT_ID: required with OIDC_ISSUER');
  if (env.OIDC_ISSUER && !env.OIDC_REDIRECT_URI && !env.PUBLIC_URL) {
    problems.push('OIDC_REDIRECT_URI: required with OIDC_ISSUER unless PUBLIC_URL is set');
  }
  if (env.OIDC_ISSUER && URL.canParse(env.OIDC_ISSUER) && !issuerAllowed(env.OIDC_ISSUER)) {
    problems.push('OIDC_ISSUER: must be https:// (plain http only for a platform on this machine)');
  }
  // A link built from the request's Host header could point anywhere: emailed links need the real address.
  for (const name of ['SMTP_URL', 'SMS_URL', 'WECOM_ROBOT_URL', 'WECOM_CORP_ID'] as const) {
    if (env[name] && !env.PUBLIC_URL) {
      problems.push(`PUBLIC_URL: required with ${name}, to build the links its messages carry`);
      break;
    }
  }
  if (env.SMTP_URL && !env.MAIL_FROM) problems.push('MAIL_FROM: required with SMTP_URL');
  if (env.SMS_URL && !(env.SMS_KEY_ID && env.SMS_KEY_SECRET && env.SMS_SIGN_NAME)) {
    problems.push('SMS_KEY_ID, SMS_KEY_SECRET, SMS_SIGN_NAME: required with SMS_URL');
  }
  if (env.WECOM_CORP_ID && !(env.WECOM_CORP_SECRET && env.WECOM_AGENT_ID)) {
    problems.push('WECOM_CORP_SECRET, WECOM_AGENT_ID: required with WECOM_CORP_ID');
  }
  if ((env.LIVEKIT_URL || env.LIVEKIT_API_KEY) && !(env.LIVEKIT_API_KEY && env.LIVEKIT_API_SECRET)) {
    problems.push('LIVEKIT_API_KEY, LIVEKIT_API_SECRET: required with LIVEKIT_URL, and with each other');
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return { ...parsed.data, DEMO_LOGIN: parsed.data.DEMO_LOGIN ?? parsed.data.SEED_DEMO };
}
