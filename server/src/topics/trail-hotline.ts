import type { TrailHotlineMessage } from '@yitang/shared';
import type { Models } from '../db/models';

/** The hotline side of a topic's trail: the ticket that started it and every status sent back. */
export async function hotlineMessages(models: Models, topicId: string): Promise<TrailHotlineMessage[]> {
  const [tickets, deliveries] = await Promise.all([
    models.HotlineTicketRecord.find({ topicId }).lean(),
    models.HotlineDelivery.find({ topicId }).sort({ createdAt: 1, _id: 1 }).lean(),
  ]);
  const messages: TrailHotlineMessage[] = tickets.map((t) => ({
    at: new Date(t.receivedAt).toISOString(),
    kind: 'ticket',
    text: [`${t.ticketId} ${t.title}`, t.description].filter(Boolean).join('：'),
    status: null,
    delivery: null,
  }));
  for (const d of deliveries) {
    const change = d.change;
    messages.push({
      at: new Date(d.createdAt).toISOString(),
      kind: change.kind,
      text: change.kind === 'topic' ? (change.reason ?? '') : change.text,
      status: change.status,
      delivery: d.state,
    });
  }
  return messages;
}
