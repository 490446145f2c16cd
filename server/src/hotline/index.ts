import type { Router } from 'express';
import type { AuthService } from '../auth/auth.service';
import type { Models } from '../db/models';
import type { Logger } from '../logger';
import { DEFAULT_BASE_MS, DEFAULT_MAX_MS, type Random } from './backoff';
import { hotlineRouter, hotlineWebhookRouter } from './hotline.router';
import { createHotlineService, type HotlineService, type TopicProposer } from './hotline.service';
import { createOutbox, type Outbox } from './outbox';
import { ReplayGuard } from './signature';

export type { TopicProposer } from './hotline.service';
export { hotlineMessages } from './trail';

/** An import still `importing` after this long was cut off by a crash. */
const STALE_IMPORT_MS = 10 * 60_000;

/** The hotline's settings (see config.ts: HOTLINE_*); every one may be left out. */
export interface HotlineSettings {
  HOTLINE_SECRET?: string;
  HOTLINE_OUTBOUND_URL?: string;
  HOTLINE_RETRY_BASE_MS?: number;
  HOTLINE_RETRY_MAX_MS?: number;
  HOTLINE_MAX_ATTEMPTS?: number;
  HOTLINE_TIMEOUT_MS?: number;
}

export interface Hotline {
  service: HotlineService;
  outbox: Outbox;
  /** Mount on the app before any body parser: it reads the raw body. */
  webhookRouter: Router;
  /** Mount inside /api. */
  router: Router;
  /** Rolls back imports a crash cut off and resumes pending deliveries. */
  start(): Promise<void>;
  /** Stops sending; pending deliveries stay stored for the next start. */
  close(): Promise<void>;
}

/** The 12345 hotline linkage, built from its settings and the services it talks to. */
export function createHotline(deps: {
  models: Models;
  logger: Logger;
  auth: AuthService;
  settings: HotlineSettings;
  topics: TopicProposer | null;
  topicOfSession(sessionId: string): Promise<string | null>;
  random?: Random;
}): Hotline {
  const s = deps.settings;
  const secret = s.HOTLINE_SECRET ?? null;
  const outbox = createOutbox({
    models: deps.models,
    logger: deps.logger,
    options: {
      url: s.HOTLINE_OUTBOUND_URL ?? null,
      secret,
      retryBaseMs: s.HOTLINE_RETRY_BASE_MS ?? DEFAULT_BASE_MS,
      // A maximum below the base would make every backoff throw: the base wins.
      retryMaxMs: Math.max(s.HOTLINE_RETRY_MAX_MS ?? DEFAULT_MAX_MS, s.HOTLINE_RETRY_BASE_MS ?? DEFAULT_BASE_MS),
      maxAttempts: s.HOTLINE_MAX_ATTEMPTS ?? 12,
      timeoutMs: s.HOTLINE_TIMEOUT_MS ?? 10_000,
      random: deps.random,
    },
  });
  const service = createHotlineService({
    models: deps.models,
    logger: deps.logger,
    outbox,
    topics: deps.topics,
    topicOfSession: deps.topicOfSession,
    staleImportMs: STALE_IMPORT_MS,
  });
  // An import cut off by a crash is rolled back once it is stale: at start, and from then on
  // periodically, so one that went stale after this process started is not left hidden for good.
  let sweeper: NodeJS.Timeout | null = null;
  const sweep = () =>
    service
      .recoverImports()
      .then((n) => {
        if (n > 0) deps.logger.warn({ recovered: n }, 'hotline: unfinished imports rolled back');
      })
      .catch((err: unknown) => deps.logger.error({ err }, 'hotline: rolling back unfinished imports failed'));
  return {
    service,
    outbox,
    webhookRouter: hotlineWebhookRouter({ service, secret, guard: new ReplayGuard() }),
    router: hotlineRouter({ auth: deps.auth, service, outbox }),
    async start() {
      const recovered = await service.recoverImports();
      if (recovered > 0) deps.logger.warn({ recovered }, 'hotline: unfinished imports rolled back');
      sweeper = setInterval(() => void sweep(), STALE_IMPORT_MS);
      sweeper.unref();
      const pending = await outbox.start();
      if (pending > 0) deps.logger.info({ pending }, 'hotline: pending deliveries resumed');
    },
    async close() {
      if (sweeper) clearInterval(sweeper);
      await outbox.stop();
    },
  };
}
