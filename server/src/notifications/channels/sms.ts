import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { NotifyKind } from '@yitang/shared';
import { minimums } from '../templates';
import { type Channel, ChannelError, type Outgoing, postJson } from './types';

/** SMS through an HTTP gateway (SMS_URL); off without its URL, key and sign name. */
export interface SmsSettings {
  SMS_URL?: string;
  SMS_KEY_ID?: string;
  SMS_KEY_SECRET?: string;
  /** The approved signature (签名) put before every text, e.g. 海安政协. */
  SMS_SIGN_NAME?: string;
  /**
   * The approved template (模板) of each kind: `kind=templateId` pairs, comma-separated. A session
   * reminder to an invitee who has not answered uses `<kind>.rsvp` when it is given (a template
   * cannot hold an "if": the one that asks to RSVP is a template of its own).
   */
  SMS_TEMPLATES?: string;
}

export const SMS_KEY_HEADER = 'x-sms-key-id';
export const SMS_TIMESTAMP_HEADER = 'x-sms-timestamp';
export const SMS_NONCE_HEADER = 'x-sms-nonce';
export const SMS_SIGNATURE_HEADER = 'x-sms-signature';

/** The longest value a template variable takes (the big providers cap them at about 35). */
const MAX_PARAM = 35;

/**
 * The string a request's signature covers: method, path, timestamp, nonce and the body's SHA-256,
 * one per line. Signed with HMAC-SHA256 under the key secret, base64. The providers' APIs sign the
 * same parts in their own order (Alibaba Cloud's a sorted query, Tencent Cloud's TC3 canonical
 * request); an adapter for one changes this function and the header names, nothing else.
 */
export function smsStringToSign(path: string, timestamp: string, nonce: string, body: string): string {
  return ['POST', path, timestamp, nonce, createHash('sha256').update(body).digest('hex')].join('\n');
}

export function smsSignature(secret: string, stringToSign: string): string {
  return createHmac('sha256', secret).update(stringToSign).digest('base64');
}

/** `kind=id,kind=id` into a map; unknown kinds are kept (the gateway decides). */
export function parseTemplates(spec: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of (spec ?? '').split(',')) {
    const [kind, id] = pair.split('=').map((s) => s.trim());
    if (kind && id) out.set(kind, id);
  }
  return out;
}

/** A China-time date and time short enough for a template variable: 2026-12-08 09:30. */
function shortTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(at);
}

/**
 * Each kind's template variables, in the order a positional template numbers them (Tencent Cloud's
 * `{1}`, `{2}` … take `paramSet`; Alibaba Cloud's `${topic}` … take the named `params`). An approved
 * template is written with these variables and no others.
 */
export const SMS_VARIABLES: Record<NotifyKind, readonly string[]> = {
  sessionDayBefore: ['topic', 'at'],
  sessionHourBefore: ['topic', 'at'],
  floorYours: ['topic'],
  minutesReview: ['topic'],
  trackingDueWeek: ['text', 'department', 'deadline'],
  trackingDueDay: ['text', 'department', 'deadline'],
  trackingOverdue: ['text', 'department', 'deadline', 'level'],
  quarterlyMinimums: ['missing'],
};

/** What the gateway receives for one text: what Alibaba Cloud's and Tencent Cloud's SendSms take. */
export interface SmsRequest {
  /** PhoneNumbers / PhoneNumberSet. */
  phone: string;
  /** SignName: the approved signature. */
  signName: string;
  /** TemplateCode / TemplateId. */
  templateId: string;
  /** TemplateParam: the variables by name. */
  params: Record<string, string>;
  /** TemplateParamSet: the same values in `SMS_VARIABLES` order. */
  paramSet: string[];
  /** OutId / SessionContext: the delivery's idempotency key, echoed in the provider's receipts. */
  outId: string;
}

/** A variable's value as the reader reads it, cut to what a template variable takes. */
function smsValue(name: string, value: string, m: Pick<Outgoing, 'locale'>): string {
  const shown = name === 'at' ? shortTime(value) : name === 'missing' ? minimums(value, m.locale, MAX_PARAM) : value;
  return shown.slice(0, MAX_PARAM);
}

/** The body of one text: the kind's template (its RSVP variant when it asks), its variables, the signature. */
export function smsRequest(
  m: Pick<Outgoing, 'id' | 'to' | 'kind' | 'locale' | 'params'>,
  signName: string,
  templates: Map<string, string>,
): SmsRequest {
  const variables = SMS_VARIABLES[m.kind];
  const paramSet = variables.map((name) => smsValue(name, m.params[name] ?? '', m));
  const rsvp = m.params.rsvp === '1' ? templates.get(`${m.kind}.rsvp`) : undefined;
  return {
    phone: m.to,
    signName,
    templateId: rsvp ?? templates.get(m.kind) ?? m.kind,
    params: Object.fromEntries(variables.map((name, i) => [name, paramSet[i] ?? ''])),
    paramSet,
    outId: m.id,
  };
}

/**
 * A signed-template SMS gateway: the message is a template id, its variables and a sign name,
 * never free text (what the Chinese providers require), in a request signed with the key.
 * The gateway answers `{code: 'OK'}` (or `0`) when it took the message.
 */
export function smsChannel(settings: SmsSettings): Channel | null {
  const { SMS_URL, SMS_KEY_ID, SMS_KEY_SECRET, SMS_SIGN_NAME } = settings;
  if (!SMS_URL || !SMS_KEY_ID || !SMS_KEY_SECRET || !SMS_SIGN_NAME) return null;
  const templates = parseTemplates(settings.SMS_TEMPLATES);
  const path = new URL(SMS_URL).pathname;
  return {
    name: 'sms',
    async send(m) {
      const body = JSON.stringify(smsRequest(m, SMS_SIGN_NAME, templates));
      const timestamp = String(Math.floor(Date.now() / 1000));
      const nonce = randomUUID();
      const answer = (await postJson(SMS_URL, body, {
        [SMS_KEY_HEADER]: SMS_KEY_ID,
        [SMS_TIMESTAMP_HEADER]: timestamp,
        [SMS_NONCE_HEADER]: nonce,
        [SMS_SIGNATURE_HEADER]: smsSignature(SMS_KEY_SECRET, smsStringToSign(path, timestamp, nonce, body)),
      })) as { code?: unknown; message?: unknown };
      if (answer.code !== 'OK' && answer.code !== 0) {
        throw new ChannelError(`gateway refused: ${String(answer.code)} ${String(answer.message ?? '')}`.trim());
      }
    },
  };
}
