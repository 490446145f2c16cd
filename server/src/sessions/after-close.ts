import { type Connection, type Model, Schema } from 'mongoose';
import { isDuplicateKey } from '../errors';
import type { Logger } from '../logger';
import type { SessionDoc } from '../rooms/room.model';

/** The steps that follow a session's close, by name (one subscriber each). */
export type AfterCloseStep = 'minutes' | 'tracking' | 'scoring' | 'topics' | 'notifications';

export interface AfterCloseEvent {
  sessionId: string;
  closedBy: { id: string; name: string };
  /** The session as stored once closed. */
  session: SessionDoc;
}

export type AfterCloseSubscriber = (event: AfterCloseEvent) => Promise<void>;

/** One row per step done for a session: a re-run skips it. */
interface AfterCloseDoneDoc {
  _id: string;
  sessionId: string;
  step: string;
  at: Date;
}

function doneModel(conn: Connection): Model<AfterCloseDoneDoc> {
  return (
    (conn.models.AfterCloseDone as Model<AfterCloseDoneDoc> | undefined) ??
    conn.model<AfterCloseDoneDoc>(
      'AfterCloseDone',
      new Schema<AfterCloseDoneDoc>(
        { _id: String, sessionId: { type: String, index: true }, step: String, at: Date },
        { versionKey: false },
      ),
      'session_after_close',
    )
  );
}

/**
 * The one explicit step after a session closes (its last events in the minutes): each module
 * that acts on a closed session subscribes by name. Subscribers run in the order they
 * subscribed (topics follow tracking, which they read); each is attempted even if another
 * failed, a failure is logged with the subscriber's name, and a step that succeeded is stored
 * as done, so a re-run (a retry, a restart) runs only the steps still owed.
 */
export class AfterClose {
  private readonly subscribers: Array<{ name: AfterCloseStep; run: AfterCloseSubscriber }> = [];
  private readonly done: Model<AfterCloseDoneDoc>;

  constructor(
    conn: Connection,
    private readonly deps: {
      logger: Logger;
      session: (id: string) => Promise<SessionDoc | null>;
      person: (id: string) => Promise<{ id: string; name: string } | null>;
    },
  ) {
    this.done = doneModel(conn);
  }

  subscribe(name: AfterCloseStep, run: AfterCloseSubscriber): void {
    if (this.subscribers.some((s) => s.name === name)) throw new Error(`after-close: ${name} subscribed twice`);
    this.subscribers.push({ name, run });
  }

  /** Runs the steps still owed for a closed session; resolves with the names of those that failed. */
  async run(sessionId: string, closedById: string): Promise<AfterCloseStep[]> {
    const session = await this.deps.session(sessionId);
    if (session?.state !== 'closed') return [];
    const closedBy = (await this.deps.person(closedById)) ?? { id: closedById, name: closedById };
    const event: AfterCloseEvent = { sessionId, closedBy, session };
    const already = new Set((await this.done.find({ sessionId }, { step: 1 }).lean()).map((d) => d.step));
    const failed: AfterCloseStep[] = [];
    for (const { name, run } of this.subscribers) {
      if (already.has(name)) continue;
      try {
        await run(event);
      } catch (err) {
        this.deps.logger.error({ err, sessionId, step: name }, `after-close step ${name} failed`);
        failed.push(name);
        continue;
      }
      try {
        await this.done.create({ _id: `${sessionId}:${name}`, sessionId, step: name, at: new Date() });
      } catch (err) {
        // A concurrent run finished the same step: it is done either way.
        if (!isDuplicateKey(err)) this.deps.logger.error({ err, sessionId, step: name }, 'after-close mark failed');
      }
    }
    return failed;
  }
}
