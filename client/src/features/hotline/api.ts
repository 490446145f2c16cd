import {
  HotlineDeliveriesResponse,
  HotlineDeliveryResponse,
  type HotlineDeliveryView,
  HotlineImportRefusal,
  HotlineImportResponse,
  type HotlineRowProblem,
  HotlineTicketsResponse,
  type HotlineTicketView,
  HotlineTopicResponse,
} from '@yitang/shared';
import { ClientError, errorCodeOf } from '../../lib/errors';
import { api } from '../../lib/http';

const base = '/api/hotline';

export async function fetchTickets(): Promise<HotlineTicketView[]> {
  return (await api(`${base}/tickets`, HotlineTicketsResponse)).tickets;
}

export async function fetchDeliveries(): Promise<HotlineDeliveryView[]> {
  return (await api(`${base}/deliveries`, HotlineDeliveriesResponse)).deliveries;
}

/** 立题 from a ticket; a second call answers the topic made the first time. */
export async function ticketToTopic(ticketKey: string): Promise<HotlineTicketView> {
  return (await api(`${base}/tickets/${encodeURIComponent(ticketKey)}/topic`, HotlineTopicResponse, { method: 'POST' }))
    .ticket;
}

export async function retryDelivery(id: string): Promise<HotlineDeliveryView> {
  return (await api(`${base}/deliveries/${encodeURIComponent(id)}/retry`, HotlineDeliveryResponse, { method: 'POST' }))
    .delivery;
}

/** What an upload came to: every ticket stored, or nothing stored and every problem listed. */
export type UploadOutcome = { ok: true; result: HotlineImportResponse } | { ok: false; problems: HotlineRowProblem[] };

/** Sends the CSV as multipart form data (field `file`); the shared helper speaks JSON only. */
export async function uploadTickets(file: File): Promise<UploadOutcome> {
  const form = new FormData();
  form.append('file', file, file.name);
  let res: Response;
  try {
    res = await fetch(`${base}/imports`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
      body: form,
    });
  } catch {
    throw new ClientError('NETWORK');
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // An empty or non-JSON answer: the status decides below.
  }
  if (res.ok) {
    const parsed = HotlineImportResponse.safeParse(body);
    if (!parsed.success) throw new ClientError('BAD_RESPONSE', res.status);
    return { ok: true, result: parsed.data };
  }
  const refused = HotlineImportRefusal.safeParse(body);
  if (refused.success) return { ok: false, problems: refused.data.problems };
  throw new ClientError(errorCodeOf(body) ?? (res.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST'), res.status);
}
