import { EventEmitter } from 'node:events';
import { type Models, rawCollection } from '../db/models';
import { isDuplicateKey } from '../errors';
import type { Logger } from '../logger';
import type { Claims } from './claims';
import type { JobKind, NotifyJobDoc } from './notify.model';

/** The China-time day of an instant, YYYY-MM-DD. */
export function chinaDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);
}

/** The days from `from` to `to` (YYYY-MM-DD, both included), at most `max` of them. */
function daysBetween(from: string, to: string, max: number): string[] {
  const out: string[] = [];
  let t = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  while (t <= end && out.length < max) {
    out.push(new Date(t).toISOString().slice(0, 10));
    t += 86_400_000;
  }
  return out;
}

/** What runs a job: given the job (its ref, its rev), it sends what it has to send. */
export type JobRunner = (job: NotifyJobDoc) => Promise<void>;

/** How long a job's run may hold its lease before another node takes the job over. */
const RUN_LEASE_MS = 5 * 60_000;
/** After a long stop, the days of due jobs read one by one before falling back to reading all. */
const MAX_DAYS_BACK = 31;

/**
 * The durable scheduler (`notify_jobs`): timed jobs under natural keys, planned again when their
 * source changes (a new time gives the job a new `rev`), cancelled when it goes. A tick reads the
 * due jobs by equality on the day they fall due (`slot`, indexed; the time is checked in code, as
 * FerretDB pushes only equalities down to PostgreSQL), claims each run by key (claims.ts), runs
 * it and marks it done. A job whose node stopped mid-run is taken over once its lease ends; the
 * messages it sends carry idempotency keys, so a run repeated after a crash sends nothing twice.
 */
export function createScheduler(deps: {
  models: Models;
  claims: Claims;
  logger: Logger;
  now: () => number;
  runners: Partial<Record<JobKind, JobRunner>>;
}) {
  const { NotifyJob } = deps.models;
  const jobs = rawCollection(NotifyJob);
  /** `planned` after each job stored or moved (tests wait on it: sources plan behind their answers). */
  const events = new EventEmitter<{ planned: [string] }>();
  /** The last day this process read; null before the first tick, which reads every due job. */
  let lastDay: string | null = null;

  async function dueJobs(): Promise<NotifyJobDoc[]> {
    const today = chinaDay(new Date(deps.now()));
    const days = lastDay ? daysBetween(lastDay, today, MAX_DAYS_BACK + 1) : [];
    let found: NotifyJobDoc[];
    if (!lastDay || days.length > MAX_DAYS_BACK || days.at(-1) !== today) {
      // The first tick after a start (or a long pause) catches up whatever fell due meanwhile.
      found = await NotifyJob.find({ state: 'due' }).lean();
    } else {
      found = [];
      for (const slot of days) found.push(...(await NotifyJob.find({ slot, state: 'due' }).lean()));
    }
    lastDay = today;
    const now = deps.now();
    return found
      .filter((j) => new Date(j.runAt).getTime() <= now)
      .sort((a, b) => new Date(a.runAt).getTime() - new Date(b.runAt).getTime());
  }

  async function run(job: NotifyJobDoc): Promise<boolean> {
    const runner = deps.runners[job.kind];
    if (!runner) return false;
    if (!(await deps.claims.claim(`job:${job._id}@${job.rev}`, RUN_LEASE_MS))) return false;
    // Read again under the claim: the run may be done, or the job planned anew, meanwhile.
    const current = await NotifyJob.findById(job._id).lean();
    if (current?.state !== 'due' || current.rev !== job.rev) return false;
    await runner(current);
    await NotifyJob.updateOne(
      { _id: job._id, rev: job.rev, state: 'due' },
      { $set: { state: 'done', doneAt: new Date(deps.now()) } },
    );
    return true;
  }

  return {
    events,

    /**
     * Plans job `key` to run at `runAt` (again, if it exists: a new time makes a new rev, and a
     * job done or cancelled for another time is due again). The same time again changes nothing.
     */
    async plan(key: string, kind: JobKind, ref: string, runAt: Date): Promise<void> {
      const now = new Date(deps.now());
      const slot = chinaDay(runAt.getTime() > now.getTime() ? runAt : now);
      const existing = await NotifyJob.findById(key).lean();
      if (!existing) {
        try {
          await jobs.insertOne({
            _id: key,
            kind,
            ref,
            runAt,
            slot,
            state: 'due',
            rev: 1,
            plannedAt: now,
            doneAt: null,
          });
          events.emit('planned', key);
          return;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
        return this.plan(key, kind, ref, runAt);
      }
      if (new Date(existing.runAt).getTime() === runAt.getTime() && existing.state !== 'cancelled') return;
      await NotifyJob.updateOne(
        { _id: key, rev: existing.rev },
        { $set: { runAt, slot, state: 'due', rev: existing.rev + 1, plannedAt: now, doneAt: null } },
      );
      events.emit('planned', key);
    },

    /** Cancels job `key` if it has not run (its source went: a cancelled session, a closed item). */
    async cancel(key: string): Promise<void> {
      await NotifyJob.updateOne({ _id: key, state: 'due' }, { $set: { state: 'cancelled' } });
    },

    /** The stored job, for tests and the planners. */
    find: (key: string) => NotifyJob.findById(key).lean(),

    /** Runs every job that is due now; answers how many this node ran. */
    async runDue(): Promise<number> {
      let ran = 0;
      for (const job of await dueJobs()) {
        try {
          if (await run(job)) ran += 1;
        } catch (err) {
          deps.logger.error({ err, jobId: job._id }, 'scheduled job failed');
        }
      }
      return ran;
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
