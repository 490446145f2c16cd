import type { TrailHotlineMessage } from '@yitang/shared';
import { type Models, trusted } from '../db/models';

/**
 * The hotline side of a topic's trail: the ticket that started it and every status sent back.
 * The hotline module answers it, as it owns the tickets, imports and deliveries it reads.
 */
export async function hotlineMessages(models: Models, topicId: string): Promise<TrailHotlineMessage[]> {
  const [stored, deliveries] = await Promise.all([
    models.HotlineTicketRecord.find({ topicId }).lean(),
    models.HotlineDelivery.find({ topicId }).sort({ createdAt: 1, _id: 1 }).lean(),
  ]);
  // A ticket from a CSV import counts only once its import is done (see HotlineImportDoc).
  const importIds = [...new Set(stored.flatMap((t) => (t.importId ? [t.importId] : [])))];
  const done = new Set(
    importIds.length === 0
      ? []
      : (await models.HotlineImport.find({ _id: trusted({ $in: importIds }), state: 'done' }, { _id: 1 }).lean()).map(
          (i) => i._id,
        ),
  );
  const tickets = stored.filter((t) => !t.importId || done.has(t.importId));
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
