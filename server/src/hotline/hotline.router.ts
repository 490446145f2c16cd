import {
  type HotlineDeliveriesResponse,
  type HotlineDeliveryResponse,
  type HotlineImportRefusal,
  type HotlineRowProblem,
  type HotlineTicketResponse,
  type HotlineTicketsResponse,
  type HotlineTopicResponse,
  HotlineWebhookBody,
  hotlineLimits,
  type MemberView,
} from '@yitang/shared';
import express, { type RequestHandler, Router } from 'express';
import multer from 'multer';
import type { AuthService } from '../auth/auth.service';
import { AppError } from '../errors';
import { requireMember } from '../http/middleware';
import type { HotlineService } from './hotline.service';
import type { Outbox } from './outbox';
import { type ReplayGuard, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from './signature';
import { parseTicketsCsv } from './ticket';

export const HOTLINE_WEBHOOK_PATH = '/api/hotline/webhook';

const signatureMessages = {
  MISSING: 'The request is not signed (X-Yitang-Timestamp and X-Yitang-Signature are required).',
  MALFORMED: 'The signature headers cannot be read.',
  STALE: 'The request timestamp is outside the allowed window.',
  BAD_SIGNATURE: 'The signature does not match the request.',
} as const;

/**
 * POST /api/hotline/webhook — a ticket from the hotline, signed with the shared secret. The route
 * reads the raw body itself (mounted before the JSON parser) because the HMAC covers the bytes as
 * sent. 401 for any signature problem or a replay, 400 for a bad ticket, 200 with the same
 * receipt for the first delivery and every repeat of a ticket.
 */
export function hotlineWebhookRouter(deps: {
  service: HotlineService;
  secret: string | null;
  guard: ReplayGuard;
  toleranceSeconds?: number;
}): Router {
  const r = Router();
  r.post(HOTLINE_WEBHOOK_PATH, express.raw({ type: () => true, limit: '64kb' }), async (req, res) => {
    if (!deps.secret) throw new AppError('UNAVAILABLE', 'The hotline webhook is not configured.');
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const now = new Date();
    const verified = verifySignature({
      secret: deps.secret,
      timestampHeader: req.get(TIMESTAMP_HEADER),
      signatureHeader: req.get(SIGNATURE_HEADER),
      rawBody: raw,
      now,
      toleranceSeconds: deps.toleranceSeconds,
    });
    if (!verified.ok) throw new AppError('UNAUTHENTICATED', signatureMessages[verified.reason]);
    if (!deps.guard.accept(verified.signature, verified.timestamp, now)) {
      throw new AppError('UNAUTHENTICATED', 'This request was already received (replay).');
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new AppError('BAD_REQUEST', 'The body is not JSON.');
    }
    const parsed = HotlineWebhookBody.safeParse(json);
    if (!parsed.success) {
      throw new AppError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    }
    res.json(await deps.service.receive(parsed.data));
  });
  return r;
}

/** Staff only: members and guests are refused with FORBIDDEN. */
const requireStaff: RequestHandler = (_req, res, next) => {
  const member = res.locals.member as MemberView;
  if (member.kind !== 'staff') throw new AppError('FORBIDDEN', 'Only staff handle hotline tickets.');
  next();
};

/** One CSV file in the `file` field, held in memory; too large a file is a 413. */
function csvUpload(): RequestHandler {
  const single = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: hotlineLimits.maxCsvBytes, files: 1, fields: 5 },
  }).single('file');
  return (req, res, next) => {
    single(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        if (err.code === 'LIMIT_FILE_SIZE') {
          return next(new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${hotlineLimits.maxCsvBytes} bytes.`));
        }
        return next(new AppError('BAD_REQUEST', `The upload cannot be read: ${err.message}`));
      }
      // busboy's own refusals (no boundary, a malformed part) are the client's body, not ours.
      next(new AppError('BAD_REQUEST', 'The upload could not be read.'));
    });
  };
}

const refuse = (problems: HotlineRowProblem[]): HotlineImportRefusal => ({
  error: {
    code: 'BAD_REQUEST',
    message: `Nothing was imported: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the file.`,
  },
  problems,
});

/** Text of the upload; a file that is not UTF-8 (e.g. saved as GBK) is refused, not misread. */
function utf8(bytes: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Staff endpoints: GET /hotline/tickets, GET /hotline/tickets/:id, POST /hotline/imports (CSV in
 * field `file`), POST /hotline/tickets/:id/topic, GET /hotline/deliveries[?ticketId=],
 * POST /hotline/deliveries/:id/retry.
 */
export function hotlineRouter(deps: { auth: AuthService; service: HotlineService; outbox: Outbox }): Router {
  const r = Router();
  r.use('/hotline', requireMember(deps.auth), requireStaff);

  r.get('/hotline/tickets', async (_req, res) => {
    const body: HotlineTicketsResponse = { tickets: await deps.service.list() };
    res.json(body);
  });
  r.get('/hotline/tickets/:id', async (req, res) => {
    const body: HotlineTicketResponse = { ticket: await deps.service.get(String(req.params.id)) };
    res.json(body);
  });
  r.post('/hotline/imports', csvUpload(), async (req, res) => {
    const file = req.file;
    if (!file) throw new AppError('BAD_REQUEST', 'Attach the CSV file in the field "file".');
    const text = utf8(file.buffer);
    if (text === null) {
      res
        .status(400)
        .json(refuse([{ row: 0, code: 'notCsv', message: 'The file is not UTF-8 text; save it as "CSV UTF-8".' }]));
      return;
    }
    const parsed = parseTicketsCsv(text);
    if (parsed.errors.length > 0) {
      res.status(400).json(refuse(parsed.errors));
      return;
    }
    const member = res.locals.member as MemberView;
    const outcome = await deps.service.importTickets(parsed.tickets, member, file.originalname ?? '');
    if (!outcome.ok) {
      res.status(400).json(refuse(outcome.problems));
      return;
    }
    res.status(201).json(outcome.result);
  });
  r.post('/hotline/tickets/:id/topic', async (req, res) => {
    const member = res.locals.member as MemberView;
    const body: HotlineTopicResponse = await deps.service.toTopic(String(req.params.id), member);
    res.status(body.created ? 201 : 200).json(body);
  });
  r.get('/hotline/deliveries', async (req, res) => {
    const ticketId = typeof req.query.ticketId === 'string' ? req.query.ticketId : undefined;
    const body: HotlineDeliveriesResponse = { deliveries: await deps.outbox.list({ ticketId }) };
    res.json(body);
  });
  r.post('/hotline/deliveries/:id/retry', async (req, res) => {
    const body: HotlineDeliveryResponse = { delivery: await deps.outbox.retry(String(req.params.id)) };
    res.json(body);
  });
  return r;
}
