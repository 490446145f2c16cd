import { randomUUID } from 'node:crypto';
import {
  type ActivityKind,
  activityKindLabels,
  awaitsDepartment,
  expertiseFit,
  isOverdue,
  type MemberView,
  type NotifyChannel,
  type NotifyKind,
  NotifyPreferencesBody,
  type NotifyPreferencesView,
  notifyPaths,
  type TrackingItemView,
} from '@yitang/shared';
import type { Models } from '../db/models';
import type { Logger } from '../logger';
import type { SessionDoc } from '../rooms/room.model';
import { type ChannelSettings, createChannels } from './channels';
import { createClaims } from './claims';
import { createDeliveries, type DeliverySettings } from './deliveries';
import type { Notice } from './notification.service';
import type { JobKind, NotifyJobDoc } from './notify.model';
import { chinaDay, createScheduler, type JobRunner } from './scheduler';

/** The notification settings of the environment (config.ts), each channel off when unset. */
export type NotifySettings = ChannelSettings & {
  /** How often a node looks for due jobs and attempts (ms); 0: only when `tick()` is called. */
  NOTIFY_TICK_MS?: number;
  NOTIFY_RETRY_BASE_MS?: number;
  NOTIFY_RETRY_MAX_MS?: number;
  NOTIFY_MAX_ATTEMPTS?: number;
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** An overdue item is chased again after this long while it stays overdue (and escalates). */
const CHASE_AGAIN_MS = 7 * DAY;
/** Deadline reminders and automatic chases go out at this hour, China time. */
const MORNING_HOUR = 9;

/** 09:00 China time on day `day` (YYYY-MM-DD) plus `days`. */
function morningOf(day: string, days: number): Date {
  return new Date(Date.parse(`${day}T00:00:00+08:00`) + days * DAY + MORNING_HOUR * HOUR);
}

/** The keys of a session's reminders and of an item's deadline jobs (parsed in this one place). */
export const jobKeys = {
  sessionDayBefore: (sessionId: string) => `session-reminder:${sessionId}:day-before`,
  sessionHourBefore: (sessionId: string) => `session-reminder:${sessionId}:hour-before`,
  /** The deadline is part of the key: a new deadline is a new job, and the old one finds it changed. */
  tracking: (kind: 'trackingDueWeek' | 'trackingDueDay' | 'trackingOverdue', itemId: string, deadline: string) =>
    `${kind}:${itemId}:${deadline}`,
  deadlineOf: (key: string) => key.slice(key.lastIndexOf(':') + 1),
};

/** Whom the scheduler acts as when it chases: staff, by name. */
const SCHEDULER: MemberView = {
  id: 'system-scheduler',
  name: '议堂自动督办',
  kind: 'staff',
  sectorId: null,
  sectorName: null,
  title: '',
  guestSessionId: null,
  guestRole: null,
  canConvene: false,
  departmentId: null,
  workingGroupId: null,
  districtId: null,
  status: 'serving',
};

/** What the notifications need of other modules, through their functions. */
export interface NotifyDeps {
  models: Models;
  logger: Logger;
  settings: NotifySettings & { PUBLIC_URL?: string };
  /** The clock; tests move it instead of waiting hours. */
  now?: () => number;
  /** This node's name in the claims. */
  owner?: string;
  session: (id: string) => Promise<SessionDoc | null>;
  trackingItem: (id: string, as: MemberView) => Promise<TrackingItemView | null>;
  departmentPeople: (item: TrackingItemView) => Promise<string[]>;
  chase: (id: string, as: MemberView, note: string) => Promise<TrackingItemView>;
  memberNames: (ids: string[]) => Promise<Map<string, string>>;
  /** The email and phone on the member's record, if any: the preferences page starts from them. */
  contact: (memberId: string) => Promise<{ email: string; phone: string } | null>;
  /** The review status of a session's minutes (draft, inReview, approved, published). */
  minutesStatus: (sessionId: string) => Promise<string>;
  /** Each member's required minimums (六个一) not met in `year`; null without a rubric for it. */
  missingMinimums: (year: number, as: MemberView) => Promise<Array<{ memberId: string; missing: string[] }> | null>;
  /** Sessions still to come (scheduled, not cancelled), as staff see them. */
  upcomingSessions: (as: MemberView) => Promise<Array<{ id: string; topic: string; scheduledAt: string }>>;
  /** Every member's expertise tags (专长). */
  expertise: () => Promise<Array<{ id: string; tags: string[] }>>;
  /**
   * Activities (履职活动) still to come, from `today` (YYYY-MM-DD) on, as staff see them: each with
   * the members invited and how they answered. Absent, the quarterly note names sessions only.
   */
  upcomingActivities?: (
    as: MemberView,
    today: string,
  ) => Promise<
    Array<{
      id: string;
      kind: ActivityKind;
      title: string;
      date: string;
      invitees: Array<{ memberId: string; answer: string }>;
    }>
  >;
}

/** Minutes still waiting after a session's close are asked for again this often, this many times at most. */
const MINUTES_AGAIN_MS = 2 * DAY;
const MINUTES_MAX_ASKS = 5;

/** In-app notices that also go out through the member's channels, as this kind of message. */
const forwardedNotices: Record<string, NotifyKind> = { minutesToApprove: 'minutesReview' };

/** The quarterly note goes at 09:00 on the first day of each quarter's last month: time is left to act. */
const QUARTER_MONTHS = [3, 6, 9, 12];
/** At most this many fitting sessions, and as many fitting activities, are named in a quarterly note. */
const MAX_UPCOMING = 3;

/** The next quarterly run after `now`: its key (by month) and time. */
export function nextQuarterly(now: number): { key: string; at: Date } {
  const day = chinaDay(new Date(now));
  let year = Number(day.slice(0, 4));
  for (;;) {
    for (const month of QUARTER_MONTHS) {
      const mm = String(month).padStart(2, '0');
      const at = morningOf(`${year}-${mm}-01`, 0);
      if (at.getTime() > now) return { key: `quarterly-minimums:${year}-${mm}`, at };
    }
    year += 1;
  }
}

/**
 * Messages outside the browser (issue 18): members' channel choices and quiet hours, the
 * channels, the deliveries and the durable scheduler that plans and runs reminders.
 */
export function createNotify(deps: NotifyDeps) {
  const { NotifyPrefs } = deps.models;
  const now = deps.now ?? Date.now;
  const owner = deps.owner ?? `node-${randomUUID().slice(0, 8)}`;
  const channels = createChannels(deps.settings);
  const claims = createClaims(deps.models, owner, now);
  const settings: DeliverySettings = {
    retryBaseMs: deps.settings.NOTIFY_RETRY_BASE_MS ?? 30_000,
    retryMaxMs: deps.settings.NOTIFY_RETRY_MAX_MS ?? 60 * 60_000,
    maxAttempts: deps.settings.NOTIFY_MAX_ATTEMPTS ?? 8,
    publicUrl: deps.settings.PUBLIC_URL ?? null,
  };
  /** A page's address as messages carry it (as the deliveries make the message's own link). */
  const publicLink = (path: string) => (settings.publicUrl ? new URL(path, settings.publicUrl).toString() : path);
  const deliveries = createDeliveries({
    models: deps.models,
    channels,
    claims,
    logger: deps.logger,
    now,
    settings,
    memberNames: deps.memberNames,
  });

  const sessionRunner =
    (kind: 'sessionDayBefore' | 'sessionHourBefore'): JobRunner =>
    async (job) => {
      const s = await deps.session(job.ref);
      if (!s || s.cancelledAt || s.state !== 'scheduled') return;
      const invitations = s.invitations ?? [];
      // Whoever asked for leave is not reminded; whoever has not answered is asked to.
      const people = [
        s.firstConvenerId,
        ...(s.secondConvenerId ? [s.secondConvenerId] : []),
        ...invitations.filter((i) => i.answer !== 'leave').map((i) => i.memberId),
      ];
      const pending = new Set(invitations.filter((i) => (i.answer ?? 'pending') === 'pending').map((i) => i.memberId));
      await deliveries.enqueue({
        key: `${job._id}#${job.rev}`,
        kind,
        params: { topic: s.topic, at: new Date(s.scheduledAt).toISOString() },
        paramsFor: (memberId) => ({ rsvp: pending.has(memberId) ? '1' : '0' }),
        path: notifyPaths.session(s._id),
        memberIds: people,
        group: true,
      });
    };

  /** The item if it still awaits its department by the deadline the job was planned for. */
  async function openItem(job: NotifyJobDoc): Promise<TrackingItemView | null> {
    const item = await deps.trackingItem(job.ref, SCHEDULER);
    if (!item || item.deadline !== jobKeys.deadlineOf(job._id) || !awaitsDepartment(item.status)) return null;
    return item;
  }

  const dueRunner =
    (kind: 'trackingDueWeek' | 'trackingDueDay'): JobRunner =>
    async (job) => {
      const item = await openItem(job);
      if (!item) return;
      await deliveries.enqueue({
        key: `${job._id}#${job.rev}`,
        kind,
        params: { text: item.text, department: item.department, deadline: item.deadline ?? '' },
        path: notifyPaths.trackingItem(item.id),
        memberIds: await deps.departmentPeople(item),
      });
    };

  /** An overdue item is chased as staff chase it (escalating), then again a week later while overdue. */
  const overdueRunner: JobRunner = async (job) => {
    const item = await openItem(job);
    if (!item || !isOverdue(item, chinaDay(new Date(now())))) return;
    const chased = await deps.chase(item.id, SCHEDULER, '已超过办理期限，系统自动催办。');
    await deliveries.enqueue({
      key: `${job._id}#${job.rev}`,
      kind: 'trackingOverdue',
      params: {
        text: item.text,
        department: item.department,
        deadline: item.deadline ?? '',
        level: String(chased.chaseLevel),
      },
      path: notifyPaths.trackingItem(item.id),
      memberIds: await deps.departmentPeople(chased),
      group: true,
    });
    await scheduler.plan(job._id, 'trackingOverdue', job.ref, new Date(now() + CHASE_AGAIN_MS));
  };

  /**
   * Each member who still misses a minimum this year hears which, with coming sessions and the
   * coming activities they are invited to (and have not asked leave from) that fit their
   * expertise, each activity with its link.
   */
  const quarterlyRunner: JobRunner = async (job) => {
    const today = chinaDay(new Date(now()));
    const year = Number(today.slice(0, 4));
    const rows = await deps.missingMinimums(year, SCHEDULER);
    if (rows) {
      const upcoming = (await deps.upcomingSessions(SCHEDULER)).filter((s) => Date.parse(s.scheduledAt) > now());
      const activities = deps.upcomingActivities
        ? (await deps.upcomingActivities(SCHEDULER, today)).filter((a) => a.date >= today)
        : [];
      const tags = new Map((await deps.expertise()).map((m) => [m.id, m.tags]));
      for (const row of rows) {
        if (row.missing.length === 0) continue;
        const expertise = tags.get(row.memberId) ?? [];
        const fitting = upcoming
          .map((s) => ({ s, fit: expertiseFit(s.topic, expertise).score }))
          .filter((x) => x.fit > 0)
          .sort((a, b) => b.fit - a.fit)
          .slice(0, MAX_UPCOMING)
          .map((x) => `${x.s.topic}|${chinaDay(new Date(x.s.scheduledAt))}`);
        // An activity is read only by those it invites: the note names only the member's own.
        const fittingActivities = activities
          .filter((a) => a.invitees.some((i) => i.memberId === row.memberId && i.answer !== 'leave'))
          .map((a) => ({ a, fit: expertiseFit(`${activityKindLabels[a.kind]} ${a.title}`, expertise).score }))
          .filter((x) => x.fit > 0)
          .sort((x, y) => y.fit - x.fit || x.a.date.localeCompare(y.a.date))
          .slice(0, MAX_UPCOMING)
          // One line each, `title|date|kind|link` (a title's own line breaks would split it).
          .map((x) =>
            [x.a.title.replace(/\s+/g, ' '), x.a.date, x.a.kind, publicLink(notifyPaths.activity(x.a.id))].join('|'),
          );
        await deliveries.enqueue({
          key: `${job._id}#${job.rev}`,
          kind: 'quarterlyMinimums',
          params: {
            missing: row.missing.join(','),
            upcoming: fitting.join('\n'),
            activities: fittingActivities.join('\n'),
          },
          path: notifyPaths.duty(),
          memberIds: [row.memberId],
        });
      }
    }
    const next = nextQuarterly(now());
    await scheduler.plan(next.key, 'quarterlyMinimums', 'committee', next.at);
  };

  /**
   * Minutes still waiting a day after the close: a draft asks its recorders and the first convener
   * to submit it, a version in review asks the conveners to approve; asked again every two days.
   */
  const minutesRunner: JobRunner = async (job) => {
    const s = await deps.session(job.ref);
    if (!s) return;
    const status = await deps.minutesStatus(s._id);
    const recorders = [...(s.roles ?? []), ...(s.invitations ?? [])]
      .filter((r) => r.role === 'recorder')
      .map((r) => r.memberId);
    const conveners = [s.firstConvenerId, ...(s.secondConvenerId ? [s.secondConvenerId] : [])];
    const waiting = status === 'draft' ? [...recorders, s.firstConvenerId] : status === 'inReview' ? conveners : [];
    if (waiting.length === 0) return;
    await deliveries.enqueue({
      key: `${job._id}#${job.rev}`,
      kind: 'minutesReview',
      params: { topic: s.topic, status },
      path: notifyPaths.minutes(s._id),
      memberIds: waiting,
    });
    if (job.rev < MINUTES_MAX_ASKS) {
      await scheduler.plan(job._id, 'minutesReview', job.ref, new Date(now() + MINUTES_AGAIN_MS));
    }
  };

  const runners: Partial<Record<JobKind, JobRunner>> = {
    minutesReview: minutesRunner,
    quarterlyMinimums: quarterlyRunner,
    sessionDayBefore: sessionRunner('sessionDayBefore'),
    sessionHourBefore: sessionRunner('sessionHourBefore'),
    trackingDueWeek: dueRunner('trackingDueWeek'),
    trackingDueDay: dueRunner('trackingDueDay'),
    trackingOverdue: overdueRunner,
  };
  const scheduler = createScheduler({ models: deps.models, claims, logger: deps.logger, now, runners });

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;

  /** The China day old claims were last swept on, by this process. */
  let sweptOn: string | null = null;

  async function tickOnce(): Promise<void> {
    await scheduler.runDue();
    await deliveries.sendDue();
    const today = chinaDay(new Date(now()));
    if (sweptOn !== today) {
      sweptOn = today;
      await claims.sweep();
    }
  }

  const notify = {
    deliveries,
    scheduler,
    available: (): NotifyChannel[] => deliveries.available(),

    async preferences(memberId: string): Promise<NotifyPreferencesView> {
      const doc = await NotifyPrefs.findById(memberId).lean();
      // Before the member saves any, the addresses on their record (those the form would take).
      const record = doc ? null : await deps.contact(memberId);
      const email = record && NotifyPreferencesBody.shape.email.safeParse(record.email).success ? record.email : null;
      const phone = record && NotifyPreferencesBody.shape.phone.safeParse(record.phone).success ? record.phone : null;
      return {
        channels: doc?.channels ?? [],
        email: doc ? doc.email : email,
        phone: doc ? doc.phone : phone,
        wecomUserId: doc?.wecomUserId ?? null,
        quietHours: doc?.quietFrom && doc.quietTo ? { from: doc.quietFrom, to: doc.quietTo } : null,
        locale: doc?.locale ?? 'zh-CN',
        available: deliveries.available(),
      };
    },

    async savePreferences(memberId: string, body: NotifyPreferencesBody): Promise<NotifyPreferencesView> {
      await NotifyPrefs.updateOne(
        { _id: memberId },
        {
          $set: {
            channels: [...new Set(body.channels)],
            email: body.email,
            phone: body.phone,
            wecomUserId: body.wecomUserId,
            quietFrom: body.quietHours?.from ?? null,
            quietTo: body.quietHours?.to ?? null,
            locale: body.locale,
            updatedAt: new Date(now()),
          },
        },
        { upsert: true },
      );
      return notify.preferences(memberId);
    },

    /** Plans (or moves, or cancels) a session's reminders after it was created or changed. */
    async planSession(sessionId: string): Promise<void> {
      const s = await deps.session(sessionId);
      const dayKey = jobKeys.sessionDayBefore(sessionId);
      const hourKey = jobKeys.sessionHourBefore(sessionId);
      if (!s || s.cancelledAt || s.state !== 'scheduled') {
        await scheduler.cancel(dayKey);
        await scheduler.cancel(hourKey);
        return;
      }
      const at = new Date(s.scheduledAt).getTime();
      // "Tomorrow" is only said a day ahead: a session planned for later today gets the hour's reminder only.
      if (at - DAY > now()) await scheduler.plan(dayKey, 'sessionDayBefore', sessionId, new Date(at - DAY));
      else await scheduler.cancel(dayKey);
      if (at > now()) await scheduler.plan(hourKey, 'sessionHourBefore', sessionId, new Date(at - HOUR));
      else await scheduler.cancel(hourKey);
    },

    /** After a session's close: its minutes are asked for a day later if they still wait. */
    async planMinutes(sessionId: string): Promise<void> {
      const key = `minutes-review:${sessionId}`;
      if (!(await scheduler.find(key))) await scheduler.plan(key, 'minutesReview', sessionId, new Date(now() + DAY));
    },

    /** Plans an item's deadline reminders and its automatic chase from its deadline. */
    async planTracking(item: Pick<TrackingItemView, 'id' | 'deadline' | 'status'>): Promise<void> {
      if (!item.deadline || !awaitsDepartment(item.status)) return;
      const week = morningOf(item.deadline, -7);
      const day = morningOf(item.deadline, -1);
      if (week.getTime() > now()) {
        await scheduler.plan(
          jobKeys.tracking('trackingDueWeek', item.id, item.deadline),
          'trackingDueWeek',
          item.id,
          week,
        );
      }
      if (day.getTime() > now()) {
        await scheduler.plan(
          jobKeys.tracking('trackingDueDay', item.id, item.deadline),
          'trackingDueDay',
          item.id,
          day,
        );
      }
      // Once planned, the chase keeps its own time (it moves itself a week on after each chase).
      const overdueKey = jobKeys.tracking('trackingOverdue', item.id, item.deadline);
      if (!(await scheduler.find(overdueKey))) {
        await scheduler.plan(overdueKey, 'trackingOverdue', item.id, morningOf(item.deadline, 1));
      }
    },

    /** Sends an in-app notice through the members' channels too, when its kind is one that goes out. */
    async forwardNotice(memberIds: string[], notice: Notice): Promise<void> {
      const kind = forwardedNotices[notice.kind];
      if (!kind) return;
      await deliveries.enqueue({
        key: `notice:${notice.key}`,
        kind,
        params: notice.params,
        path: notice.link,
        memberIds,
      });
    },

    /** The floor was given in a live session: the speaker hears at once, quiet hours or not. */
    async floorGranted(sessionId: string): Promise<void> {
      const s = await deps.session(sessionId);
      const speaker = s?.speakers?.speaker;
      if (!s || !speaker) return;
      const stored = await deliveries.enqueue({
        key: `floor:${sessionId}:${new Date(speaker.startedAt).toISOString()}`,
        kind: 'floorYours',
        params: { topic: s.topic },
        path: notifyPaths.session(sessionId),
        memberIds: [speaker.memberId],
      });
      // Not the tick: one may be running already, past its sends. Attempts are claimed, so this is safe beside it.
      if (stored.length > 0) await deliveries.sendDue();
    },

    /** Runs the due jobs, then the due attempts; one tick at a time in this process. */
    tick(): Promise<void> {
      running ??= tickOnce()
        .catch((err: unknown) => deps.logger.error({ err }, 'notification tick failed'))
        .finally(() => {
          running = null;
        });
      return running;
    },

    /** Starts the timer (NOTIFY_TICK_MS); the first tick catches up what fell due while stopped. */
    async start(): Promise<void> {
      // Without a channel there is nothing to send: no timer, no reads (jobs are still planned).
      if (deliveries.available().length === 0) return;
      // The quarterly note plans itself on from each run; the first is planned here (once: by key).
      const next = nextQuarterly(now());
      await scheduler.plan(next.key, 'quarterlyMinimums', 'committee', next.at);
      const every = deps.settings.NOTIFY_TICK_MS ?? 30_000;
      if (every <= 0 || timer || stopped) return;
      timer = setInterval(() => void notify.tick(), every);
      timer.unref();
      void notify.tick();
    },

    /** Stops the timer and waits for a running tick; what is due stays stored for the next start. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await running;
      for (const c of channels.values()) c.close?.();
    },
  };
  return notify;
}

export type Notify = ReturnType<typeof createNotify>;
