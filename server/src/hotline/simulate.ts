/**
 * A stand-in for the 12345 hotline, for demonstrations and manual checks:
 *
 *   tsx src/hotline/simulate.ts send <yitang-url> <secret> <ticket.json>
 *     posts the ticket to /api/hotline/webhook, signed as the hotline signs it;
 *   tsx src/hotline/simulate.ts receive <port> <secret>
 *     listens on 127.0.0.1:<port> (set HOTLINE_OUTBOUND_URL=http://127.0.0.1:<port>/) and prints
 *     each status message Yitang sends back, with whether its signature holds.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { HOTLINE_WEBHOOK_PATH } from './hotline.router';
import { IDEMPOTENCY_HEADER } from './outbox';
import { SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER, verifySignature } from './signature';

async function send(url: string, secret: string, file: string): Promise<void> {
  const body = readFileSync(file, 'utf8');
  const timestamp = Math.floor(Date.now() / 1000);
  const res = await fetch(new URL(HOTLINE_WEBHOOK_PATH, url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: signBody(secret, timestamp, body),
    },
    body,
  });
  console.log(res.status, await res.text());
}

function receive(port: number, secret: string): void {
  createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const verdict = verifySignature({
        secret,
        timestampHeader: req.headers[TIMESTAMP_HEADER]?.toString(),
        signatureHeader: req.headers[SIGNATURE_HEADER]?.toString(),
        rawBody: body,
        now: new Date(),
      });
      console.log(
        new Date().toISOString(),
        verdict.ok ? 'signed' : `REFUSED ${verdict.reason}`,
        req.headers[IDEMPOTENCY_HEADER],
        body.toString('utf8'),
      );
      res.statusCode = verdict.ok ? 200 : 401;
      res.end();
    });
  }).listen(port, '127.0.0.1', () => console.log(`hotline stand-in listening on http://127.0.0.1:${port}/`));
}

const [command, a, b, c] = process.argv.slice(2);
if (command === 'send' && a && b && c) {
  send(a, b, c).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else if (command === 'receive' && a && b) {
  receive(Number(a), b);
} else {
  console.error('usage: simulate.ts send <yitang-url> <secret> <ticket.json> | receive <port> <secret>');
  process.exit(2);
}
