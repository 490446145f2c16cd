import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import {
  limits,
  type MemberView,
  MinutesCloseCode,
  minutesDocName,
  minutesWriters,
  type SignOutReason,
} from '@yitang/shared';
import express from 'express';
import type { Connection } from 'mongoose';
import { Server } from 'socket.io';
import { type WebSocket, WebSocketServer } from 'ws';
import { accountsRouter } from './accounts/accounts.router';
import { type Accounts, createAccounts } from './accounts/accounts.service';
import { activityRouter, activityUploadPaths } from './activities/activity.router';
import { createActivityService } from './activities/activity.service';
import { type Audit, auditEvents, auditRest, auditRouter, createAudit } from './audit';
import { OpenSessions, touchOnActivity } from './auth/activity';
import { authRouter } from './auth/auth.router';
import { createAuthService, hashToken, tokenFromCookieHeader } from './auth/auth.service';
import { HallCodes } from './auth/hall-code';
import { createLoginLimits } from './auth/login-limits';
import { type OidcSettings, oidcRouter } from './auth/oidc';
import { type Cluster, installRelay, LeasedRoomRegistry, passToRoomOwner } from './cluster';
import type { Config } from './config';
import { createConsultationLimits } from './consultation/consultation.limits';
import { consultationRouter } from './consultation/consultation.router';
import { createConsultationService } from './consultation/consultation.service';
import { databaseAnswers } from './db/connect';
import { createModels, type Models } from './db/models';
import { onWrites } from './db/write-epochs';
import { dutyReportRouter, dutyReportUploadPaths } from './duty-reports/duty-report.router';
import { createDutyReportService } from './duty-reports/duty-report.service';
import { AppError } from './errors';
import { createHotline, type Hotline, type HotlineSettings, hotlineMessages } from './hotline';
import { HOTLINE_WEBHOOK_PATH } from './hotline/hotline.router';
import { errorHandler, requireMember } from './http/middleware';
import { listRoutes, type RestRoute } from './http/routes';
import { jsonOnly, originGuard, sameOrigin, securityHeaders } from './http/security';
import { readUpgradeTarget, refuseUpgrade } from './http/upgrade';
import { AccessExpiry } from './lib/access-expiry';
import { serverSubkey } from './lib/server-key';
import type { Logger } from './logger';
import { MEDIA_WEBHOOK_PATH, type Media, mediaRouter, mediaWebhookRouter } from './media';
import { memberWrites } from './members/member.model';
import { createMemberService } from './members/member.service';
import { createMinutesServer, type MinutesServer } from './minutes/minutes.server';
import { createMinutesStore } from './minutes/minutes.store';
import { createMinutesWriter } from './minutes/minutes.writer';
import { createMinutesReview } from './minutes/review';
import { createMailer, type MailSettings } from './notifications/mailer';
import { notificationRouter } from './notifications/notification.router';
import { createNotificationService } from './notifications/notification.service';
import { notifyRouter } from './notifications/notify.router';
import { createNotify, type Notify, type NotifySettings } from './notifications/notify.service';
import { createMemberImporter } from './org/import';
import { memberImportRouter } from './org/import.router';
import { createDepartmentMembership } from './org/membership';
import { orgRouter } from './org/org.router';
import { createOrgService } from './org/org.service';
import { createOutcomeRepository } from './outcomes/outcome.repository';
import { BallotSeal } from './polls/ballot-seal';
import { createPollRepository } from './polls/poll.repository';
import { proposalRouter, proposalUploadPaths } from './proposals/proposal.router';
import { createProposalService, type OrgLookup } from './proposals/proposal.service';
import { followProposals } from './proposals/proposal.tracking';
import { createDashboardService } from './reports/dashboard.service';
import { reportsRouter } from './reports/reports.router';
import { roleIn } from './rooms/roles';
import { registerRoomHandlers } from './rooms/room.handlers';
import type { SessionDoc } from './rooms/room.model';
import { RoomRegistry } from './rooms/room.registry';
import { createRoomRepository } from './rooms/room.repository';
import { createMemberBulletin, memberBulletinRouter } from './scoring/bulletin-me';
import { createImporter } from './scoring/import';
import { scoringRouter } from './scoring/scoring.router';
import { createScoringService } from './scoring/scoring.service';
import { screenRouter } from './screen/screen.router';
import { registerScreens } from './screen/screen.socket';
import { ScreenLinks } from './screen/screen-link';
import { AfterClose, createSessionService, type MembershipChange, sessionRouter } from './sessions';
import { createPaperSessions, paperSessionRouter, paperUploadPaths } from './sessions/paper';
import { socialReportRouter, socialReportUploadPaths } from './social-reports/social-report.router';
import { createSocialReportService } from './social-reports/social-report.service';
import { observeAll } from './socket/dispatch';
import { memberChannel, topicChannel, type YitangServer } from './socket/types';
import { createSuggestionRepository } from './suggestions/suggestion.repository';
import { createThemeService, themeRouter } from './topics/themes';
import { topicRouter } from './topics/topic.router';
import { createTopicService } from './topics/topic.service';
import { type TrailDeps, topicTrail } from './topics/trail';
import { trackingRouter } from './tracking/tracking.router';
import { createTrackingService } from './tracking/tracking.service';

export interface ServerDeps {
  config: Pick<
    Config,
    | 'ALLOWED_ORIGINS'
    | 'CLIENT_DIST'
    | 'COOKIE_SECURE'
    | 'DEMO_LOGIN'
    | 'CHROMIUM_PATH'
    | 'SNAPSHOT_PRESENCE_MAX'
    | 'REDIS_URL'
  > &
    Partial<Pick<Config, 'TRUST_PROXY' | 'HAND_KEPT_AFTER_LEAVING_MS'>> &
    HotlineSettings &
    OidcSettings &
    MailSettings &
    NotifySettings;
  conn: Connection;
  logger: Logger;
  /** Set when this process is one node of several (Redis): rooms are leased, broadcasts shared. */
  cluster?: Cluster;
  /** Seals secret ballots (polls/ballot-seal.ts: `loadBallotSecret`); tests may leave it to a random one. */
  ballotSecret?: Buffer;
  /** The clock of the day-based parts (hall codes); tests move it across midnight. */
  clock?: () => number;
  /** Voice and video through a LiveKit server (media/); without it the room is text only. */
  media?: Media;
}

export interface YitangApp {
  http: HttpServer;
  io: YitangServer;
  models: Models;
  /** The 12345 hotline linkage (its outbox's events and `idle()` serve tests). */
  hotline: Hotline;
  /** Messages outside the browser: its scheduler's tick and deliveries serve tests. */
  notify: Notify;
  /** The tamper-evident audit log (tests append to it from two servers at once). */
  audit: Audit;
  /** Account lifecycle; main.ts asks it for the setup link on an empty database. */
  accounts: Accounts;
  /** The minutes socket server (its resident documents and release events serve tests). */
  minutes: MinutesServer;
  /** Resolves when the room's events so far are written into that session's minutes. */
  minutesIdle(sessionId: string): Promise<void>;
  /** Loads every live session's room now, so countdowns and check-ins resume after a restart. */
  warmRooms(): Promise<number>;
  /** Touches every sign-in with a room or minutes socket open now (a timer does it each minute). */
  touchOpenSessions(): Promise<void>;
  /** Listens and resolves with the base URL, e.g. `http://127.0.0.1:3000`. */
  listen(port: number, host: string): Promise<string>;
  /** Stops taking connections, flushes the minutes, and closes sockets. The database stays open. */
  close(): Promise<void>;
  /** Every REST route (method and path pattern): the fuzz suite reaches new ones by itself. */
  routes(): RestRoute[];
}

/** Resolves once every socket has closed (its close handshake done), or after `ms`. */
function closedOrTimedOut(sockets: WebSocket[], ms: number): Promise<void> {
  const open = sockets.filter((ws) => ws.readyState !== ws.CLOSED);
  if (open.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    let left = open.length;
    for (const ws of open) {
      ws.once('close', () => {
        left -= 1;
        if (left === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
  });
}

/**
 * Builds the whole server from its dependencies: REST, Socket.IO live rooms and the minutes
 * socket on one HTTP server. No global state: tests build as many as they like.
 */
export function createServer(deps: ServerDeps): YitangApp {
  const { conn, logger, config } = deps;
  const models = createModels(conn);
  const members = createMemberService(models);
  const auth = createAuthService(models, members);
  const rooms = createRoomRepository(models);
  // Without a configured secret (tests) a random one: hall codes and the audit key last as long as the process.
  const serverSecret = deps.ballotSecret ?? randomBytes(32);
  const audit = createAudit({ models, logger, key: serverSubkey(serverSecret, 'audit chain') });
  const auditRoomEvents = auditEvents(audit);
  const touchSession = touchOnActivity(auth);
  // The floor given in a live room reaches the speaker outside the browser too (an urgent message).
  const roomEvents = observeAll(logger, auditRoomEvents, touchSession, (socket, event) => {
    const sessionId = socket.data.sessionId;
    if (event !== 'speaker:grant' || !sessionId) return;
    notify.floorGranted(sessionId).catch((err: unknown) => logger.error({ err, sessionId }, 'floor message failed'));
  });
  const polls = createPollRepository(models, deps.ballotSecret ? new BallotSeal(deps.ballotSecret) : undefined);
  const hallCodes = new HallCodes(serverSubkey(serverSecret, 'hall code'), deps.clock);

  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders({ https: config.COOKIE_SECURE, mediaOrigins: deps.media?.origins ?? [] }));
  // Behind nginx (deploy/), req.ip is the client it names in X-Forwarded-For; the header from
  // anyone else is ignored, so it cannot dodge the per-address sign-in limit.
  app.set('trust proxy', config.TRUST_PROXY ?? 'loopback');
  app.set('query parser', 'simple');
  const http = createHttpServer(app);

  /** Same-origin requests, and those from the configured allowlist, may open sockets. */
  const originAllowed = (req: IncomingMessage): boolean => sameOrigin(req, config.ALLOWED_ORIGINS);

  const io: YitangServer = new Server(http, {
    maxHttpBufferSize: limits.maxSocketPayloadBytes,
    // The minutes socket shares this HTTP server's upgrade event: leave other paths alone.
    destroyUpgrade: false,
    pingInterval: 10_000,
    pingTimeout: 5_000,
    // A connection that has not joined (its sign-in refused) is closed after 10 s, not the
    // default 45 s: a stranger cannot hold sockets open by answering pings.
    connectTimeout: 10_000,
    allowRequest: (req, cb) => cb(null, originAllowed(req)),
  });
  const localMinutes = createMinutesServer({ store: createMinutesStore(models), logger });
  // With several nodes, sign-outs and permission changes reach minutes sockets on every node.
  const minutes = deps.cluster ? deps.cluster.shareMinutes(localMinutes) : localMinutes;
  const notifications = createNotificationService({ models, io, logger });
  const review = createMinutesReview({
    models,
    minutes,
    rooms,
    members,
    auth,
    chromiumPath: config.CHROMIUM_PATH,
    notifications,
    outcomesOf: (sessionId) => createOutcomeRepository(models).listForSession(sessionId),
    logger,
  });
  const sessions = createSessionService({ models, members, notifications, logger });
  const topics = createTopicService({ models, members, notifications, logger, sessions, rooms });
  const tracking = createTrackingService({ models, rooms, outcomes: createOutcomeRepository(models), logger });
  // Reminders and messages outside the browser (email, SMS, WeChat Work) from a durable scheduler;
  // sessions and tracking items plan their jobs when they are made or change.
  const notify = createNotify({
    models,
    logger,
    settings: config,
    ...(deps.clock ? { now: deps.clock } : {}),
    session: (id) => sessions.find(id),
    trackingItem: async (id, as) => {
      try {
        return (await tracking.get(id, as)).item;
      } catch (err) {
        if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
        throw err;
      }
    },
    departmentPeople: (item) => tracking.departmentPeople(item),
    chase: async (id, as, note) => (await tracking.chase(id, as, note)).item,
    memberNames: async (ids) => new Map((await members.getMany(ids)).map((m) => [m.id, m.name])),
    missingMinimums: async (year, as) => {
      try {
        return (await scoring.assessment(as, year)).rows.map((r) => ({
          memberId: r.member.id,
          missing: r.score.missing,
        }));
      } catch (err) {
        if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
        throw err;
      }
    },
    upcomingSessions: async (as) =>
      (await sessions.visible(as))
        .filter((s) => s.state === 'scheduled' && !s.cancelled)
        .map((s) => ({ id: s.id, topic: s.topic, scheduledAt: s.scheduledAt })),
    expertise: () => members.expertise(),
    // The quarterly note's coming activities and their invitees (the activity service, made below).
    upcomingActivities: async (as, today) => {
      const { activities: listed } = await activities.list({}, as);
      const coming = listed.filter((a) => a.state === 'scheduled' && a.date >= today);
      return Promise.all(
        coming.map(async (a) => ({
          id: a.id,
          kind: a.kind,
          title: a.title,
          date: a.date,
          invitees: (await activities.get(a.id, as)).invitees.map((i) => ({ memberId: i.memberId, answer: i.answer })),
        })),
      );
    },
    minutesStatus: (id) => review.status(id),
    contact: async (id) => {
      try {
        const { email, phone } = await org.member(id);
        return { email, phone };
      } catch (err) {
        if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
        throw err;
      }
    },
  });
  sessions.onCreate((id) => notify.planSession(id));
  sessions.onChange((change) => notify.planSession(change._id));
  tracking.onChange(({ item }) => notify.planTracking(item));
  // Some in-app notices (minutes awaiting a convener's approval) also go out through the channels.
  notifications.onNotify((ids, notice) => notify.forwardNotice(ids, notice));
  const scoring = createScoringService({
    models,
    members,
    sessionState: async (id) => (await sessions.find(id))?.state ?? null,
    // The assessment's panel part is the published 述职 round (the duty-report service, made below).
    panelResults: (year) => dutyReports.publishedResults(year),
  });
  const hotline = createHotline({
    models,
    logger,
    auth,
    settings: config,
    topics,
    topicOfSession: (sessionId) => sessions.topicOf(sessionId),
  });
  topics.onChange((topic) => hotline.service.topicChanged(topic));
  // An open topic page hears that its topic moved (it reads the trail again, with its own rights).
  topics.onChange((topic) => {
    io.to(topicChannel(topic.id)).emit('topic:changed', { topicId: topic.id, state: topic.state });
  });
  // Only an outcome's item can belong to a hotline ticket (through its session's topic).
  tracking.onChange((change) => {
    if (change.item.sessionId !== null) hotline.service.trackingChanged(change.item, change.from);
  });
  // The person named responsible hears of it; a chase reaches everyone who answers for the item.
  tracking.onChange(async ({ kind, item }) => {
    const notice = { params: { topic: item.text }, link: `/tracking/${encodeURIComponent(item.id)}` };
    // 交办 of an item from another source (a finding, staff's own): whoever answers for it. A
    // proposal's departments hear of 交办 once, by the proposal's own notice.
    if (kind === 'create' && item.source.kind !== 'proposal') {
      const key = `tracking-assign:${item.id}:created`;
      await notifications.notify(await tracking.departmentPeople(item), { ...notice, key, kind: 'trackingAssigned' });
    }
    if (kind === 'assign' && item.assignee) {
      const key = `tracking-assign:${item.id}:${item.history.length}`;
      await notifications.notify([item.assignee.id], { ...notice, key, kind: 'trackingAssigned' });
    }
    if (kind === 'chase') {
      const key = `tracking-chase:${item.id}:${item.chases.length}`;
      await notifications.notify(await tracking.departmentPeople(item), { ...notice, key, kind: 'trackingChased' });
    }
  });
  // Whoever proposed a topic follows its items, reports and files, as on the topic trail.
  tracking.addViewerRule(async (sessionId, member) => {
    const topicId = await sessions.topicOf(sessionId);
    return topicId !== null && (await topics.proposerOf(topicId)) === member.id;
  });
  // A topic closes when the last tracking item of its session is closed.
  tracking.onChange(async (change) => {
    if (change.item.status !== 'closed' || change.from === 'closed' || change.item.sessionId === null) return;
    await topics.followSession(change.item.sessionId, change.by);
  });
  // After the session's last events are in the minutes: one explicit step (sessions/after-close.ts)
  // whose subscribers each run once, in this order, each attempted even if another fails.
  const afterClose = new AfterClose(conn, {
    logger,
    session: (id) => sessions.find(id),
    person: (id) => members.get(id),
  });
  // A version of the minutes for review.
  afterClose.subscribe('minutes', async ({ sessionId, closedBy }) => {
    await review.onSessionClosed(sessionId, closedBy.id);
  });
  // One tracking item per recorded outcome.
  afterClose.subscribe('tracking', async ({ sessionId, closedBy }) => {
    await tracking.createFromSession(sessionId, closedBy);
  });
  // Duty records: attendance, speeches, suggestions, votes, and absences without leave.
  afterClose.subscribe('scoring', async ({ sessionId, closedBy }) => {
    await scoring.recordSession(sessionId, closedBy);
  });
  // The session's topic, if it came from one: held, and tracked once its items exist.
  afterClose.subscribe('topics', async ({ sessionId, closedBy }) => {
    await topics.followSession(sessionId, closedBy);
  });
  // 交办: each item's responsible person hears of it (once per item, by key).
  afterClose.subscribe('notifications', async ({ sessionId, closedBy }) => {
    await notify.planMinutes(sessionId);
    const member = await members.get(closedBy.id);
    if (!member) return;
    for (const item of await tracking.list({ sessionId }, member)) {
      await notify.planTracking(item);
      if (!item.assignee) continue;
      await notifications.notify([item.assignee.id], {
        key: `tracking-assign:${item.id}:created`,
        kind: 'trackingAssigned',
        params: { topic: item.text },
        link: `/tracking/${encodeURIComponent(item.id)}`,
      });
    }
  });
  const minutesWriter = createMinutesWriter({
    minutes,
    logger,
    onClosed: async (sessionId, by) => {
      await afterClose.run(sessionId, by);
    },
  });
  const registryDeps: ConstructorParameters<typeof RoomRegistry>[0] = {
    notify: minutesWriter.notify,
    io,
    rooms,
    polls,
    suggestions: createSuggestionRepository(models),
    outcomes: createOutcomeRepository(models),
    logger,
    snapshotPresenceMax: config.SNAPSHOT_PRESENCE_MAX,
    handKeptAfterLeavingMs: config.HAND_KEPT_AFTER_LEAVING_MS,
    hallCodes,
    ...(deps.media ? { media: deps.media } : {}),
  };
  const registry = deps.cluster ? new LeasedRoomRegistry(registryDeps, deps.cluster) : new RoomRegistry(registryDeps);
  // Hall screens: a read-only view of the room, no participant (screen/screen.socket.ts).
  const screenLinks = new ScreenLinks(serverSubkey(serverSecret, 'screen link'));
  const screens = registerScreens(io, {
    registry,
    links: screenLinks,
    signedIn: (cookie) => auth.access(tokenFromCookieHeader(cookie)),
    memberNames: (ids) => rooms.memberNames(ids),
    logger,
  });
  registry.on('disposed', (sessionId) => screens.drop(sessionId));
  // A loaded room learns at once who now belongs to its session, and whether it was cancelled.
  const applyMembership = async (change: MembershipChange) => {
    const room = registry.has(change._id) ? await registry.get(change._id) : null;
    if (!room) return;
    room.membershipChanged(change);
    // Whoever no longer belongs leaves the room at once: they neither vote nor count towards a
    // quorum any more, and joining again gets them the refusal.
    for (const socket of await io.in(room.channel).fetchSockets()) {
      if (room.roleOf(socket.data.member) === null) socket.disconnect(true);
    }
  };
  /** The open minutes sockets here: who is behind each, for which session, and whether they write. */
  const minutesSockets = new Map<WebSocket, { sessionId: string; member: MemberView; readonly: boolean }>();
  /**
   * Membership changes seen per session since the server started (a number per changed session):
   * a socket whose access was decided before a change it did not see is checked again once open.
   */
  const membershipChanges = new Map<string, number>();
  /**
   * Whether a person may open a session's minutes, and then whether only to read: members of the
   * session read, recorders and conveners write until the minutes are approved.
   */
  const minutesAccess = (session: SessionDoc, member: MemberView, status: string) => {
    const role = roleIn(session, member);
    if (!role || session.removed?.includes(member.id)) return null;
    return { readonly: !minutesWriters.includes(role) || (status !== 'draft' && status !== 'inReview') };
  };
  /**
   * After a membership change, each minutes socket of the session here is checked again: whoever
   * no longer belongs is closed as a refused person is (their editor says so and does not retry);
   * whoever may now write or may no longer write is closed to reconnect with their new access.
   */
  const recheckMinutes = async (sessionId: string) => {
    membershipChanges.set(sessionId, (membershipChanges.get(sessionId) ?? 0) + 1);
    const open = [...minutesSockets].filter(([, s]) => s.sessionId === sessionId);
    if (open.length === 0) return;
    const session = await rooms.getSession(sessionId);
    const status = await review.status(sessionId);
    for (const [ws, s] of open) {
      const access = session ? minutesAccess(session, s.member, status) : null;
      if (!access) ws.close(MinutesCloseCode.removed, 'not a member of this session');
      else if (access.readonly !== s.readonly) ws.close(MinutesCloseCode.permissionsChanged, 'permissions changed');
    }
  };
  sessions.onChange(async (change) => {
    await applyMembership(change);
    // With several nodes the room may be live on another one (its lease holder): tell it.
    deps.cluster?.membershipChanged(change._id);
    await recheckMinutes(change._id);
  });
  deps.cluster?.onMembershipChanged((sessionId) => {
    // The minutes socket may be here even when the room is not (it follows the room's owner).
    recheckMinutes(sessionId).catch((err: unknown) =>
      logger.error({ err, sessionId }, 'checking the minutes sockets after a membership change failed'),
    );
    void (async () => {
      const doc = await sessions.find(sessionId);
      if (!doc) return;
      await applyMembership({
        _id: doc._id,
        roles: doc.roles ?? [],
        invitations: doc.invitations ?? [],
        openToAll: doc.openToAll ?? false,
        cancelledAt: doc.cancelledAt ?? null,
      });
    })().catch((err: unknown) => logger.error({ err, sessionId }, 'a membership change from another node failed'));
  });
  // Room and minutes sockets close when the sign-in behind them expires (cookie or guest link).
  const expiry = new AccessExpiry(async (token) => (await auth.access(token))?.until ?? null, logger);
  /** The sign-in of each Socket.IO socket, from its handshake to its connection. */
  const accessOf = new WeakMap<object, { token: string; until: number }>();
  /** The room of one sign-in's sockets, named by the token's hash: room names travel over Redis. */
  const signInChannelOf = (hash: string) => `signin:${hash}`;
  const signInChannel = (token: string) => signInChannelOf(hashToken(token));
  // Another node's sign-outs and member writes make this node's handshake copy stale
  // (auth/sign-in-cache.ts); this node's member writes do the same to theirs.
  let membersTold = false;
  const stopTellingMemberWrites = deps.cluster
    ? onWrites(conn, memberWrites, () => {
        if (membersTold) return;
        membersTold = true;
        // Once for every write made by then (a member import makes hundreds).
        setImmediate(() => {
          membersTold = false;
          if (!closing) deps.cluster?.accountsChanged({ kind: 'membersWritten' });
        });
      })
    : () => undefined;
  const stopHearingAccounts = deps.cluster?.onAccountsChanged((change) => {
    if (change.kind === 'membersWritten') auth.forgetMembers();
    else if (change.kind === 'noticesMissed') auth.forgetEnded(null);
    else {
      auth.forgetEnded(change.memberId, change.keepHash);
      // A socket this node let in from its copy before the notice came is closed here, as the
      // sign-out's own broadcast closes the others (that broadcast may have come first).
      const here = io.local.in(memberChannel(change.memberId));
      const theirs = change.keepHash === undefined ? here : here.except(signInChannelOf(change.keepHash));
      theirs.emit('account:signedOut', { reason: change.reason });
      theirs.disconnectSockets(true);
    }
  });
  // An open socket is use of its sign-in: the idle clock must not run out mid-sitting.
  const openSessions = new OpenSessions((tokens) => auth.touchSessions(tokens), logger);
  openSessions.start();
  io.use(async (socket, next) => {
    try {
      const token = tokenFromCookieHeader(socket.handshake.headers.cookie);
      // The touch a handshake finds due is written by the open sign-ins' next sweep (a room
      // filling wrote it once a second, reading every stored sign-in on the embedded database).
      // From this node's copy of the sign-ins where it can (auth/sign-in-cache.ts).
      const signedIn = await auth.handshake(
        token,
        (t, idleEndsAt) => openSessions.touchBySweep(t, idleEndsAt),
        deps.cluster ? deps.cluster.hearsAccounts() : true,
      );
      if (!signedIn || !token) {
        next(Object.assign(new Error('UNAUTHENTICATED'), { data: { code: 'UNAUTHENTICATED' } }));
        return;
      }
      const { member } = signedIn;
      accessOf.set(socket, { token, until: signedIn.until });
      socket.data = { memberId: member.id, name: member.name, member, sessionId: null };
      next();
    } catch (err) {
      logger.error({ err }, 'socket auth failed');
      next(Object.assign(new Error('UNAVAILABLE'), { data: { code: 'UNAVAILABLE' } }));
    }
  });

  io.on('connection', (socket) => {
    void socket.join(memberChannel(socket.data.memberId));
    const signedIn = accessOf.get(socket);
    // One channel per sign-in, so a password change can spare the sign-in that made it.
    if (signedIn) void socket.join(signInChannel(signedIn.token));
    // A topic page's socket names its topic: it hears when the topic moves.
    const topic = socket.handshake.query.topic;
    if (typeof topic === 'string' && topic.length > 0 && topic.length <= 200) void socket.join(topicChannel(topic));
    registerRoomHandlers(socket, { registry, members, logger, onEvent: roomEvents });
    if (signedIn) {
      socket.on(
        'disconnect',
        expiry.watch(signedIn.token, signedIn.until, () => {
          socket.emit('account:signedOut', { reason: 'expired' });
          socket.disconnect(true);
        }),
      );
      socket.on('disconnect', openSessions.hold(signedIn.token));
    }
    socket.on('error', (err) => logger.warn({ err, memberId: socket.data.memberId }, 'socket error'));
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMinutesFrameBytes });

  // Socket.IO registered its upgrade listener in its constructor; one dispatcher below calls it
  // only for Socket.IO's path, so every other upgrade gets an answer here and none stays open.
  const socketIoUpgrade = http.listeners('upgrade') as ((req: IncomingMessage, socket: Duplex, head: Buffer) => void)[];
  http.removeAllListeners('upgrade');

  // Every TCP connection, upgraded or not, so that close() can end those nothing else ends.
  const connections = new Set<Socket>();
  http.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });

  let closing = false;
  const minutesUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer, sessionId: string) => {
    // While shutting down, a reconnecting editor must not load a document again.
    if (closing) return refuseUpgrade(socket, 503);
    if (!originAllowed(req)) return refuseUpgrade(socket, 403);
    void (async () => {
      const token = tokenFromCookieHeader(req.headers.cookie);
      // A touch found due is written with the open sockets' next ones, as at a Socket.IO handshake.
      const signedIn = await auth.access(token, (t) => openSessions.touchSoon(t));
      if (!signedIn || !token) return refuseUpgrade(socket, 401);
      const { member } = signedIn;
      const changesBefore = membershipChanges.get(sessionId) ?? 0;
      // Both by key and independent: one round trip, not two, before the document is loaded.
      const [session, status] = await Promise.all([rooms.getSession(sessionId), review.status(sessionId)]);
      if (!session) return refuseUpgrade(socket, 404);
      // Recorders and conveners write until the minutes are approved; everyone else reads.
      const access = minutesAccess(session, member, status);
      if (!access) return refuseUpgrade(socket, 403);
      const { readonly } = access;
      // The checks above waited on the database: the server may have begun to stop, or the
      // client may have gone, meanwhile.
      if (closing) return refuseUpgrade(socket, 503);
      if (socket.destroyed) return;
      wss.handleUpgrade(req, socket, head, (ws) => {
        // The 101 has gone out: from here a failure is a WebSocket close (1011), not an HTTP
        // answer, which the .catch below would write into the WebSocket stream.
        try {
          minutes.accept(ws, minutesDocName(sessionId), { readonly, memberId: member.id, name: member.name });
          minutesSockets.set(ws, { sessionId, member, readonly });
          ws.on('close', () => minutesSockets.delete(ws));
          // The membership changed while its access was being decided: decide again.
          if ((membershipChanges.get(sessionId) ?? 0) !== changesBefore) {
            recheckMinutes(sessionId).catch((err: unknown) =>
              logger.error({ err, sessionId }, 'checking the minutes sockets again failed'),
            );
          }
          const end = () => ws.close(MinutesCloseCode.signedOut, 'signed out');
          ws.on('close', expiry.watch(token, signedIn.until, end));
          ws.on('close', openSessions.hold(token));
        } catch (err) {
          logger.error({ err, sessionId }, 'minutes socket could not be opened');
          ws.close(1011, 'internal error');
        }
      });
    })().catch((err: unknown) => {
      logger.error({ err }, 'minutes upgrade failed');
      refuseUpgrade(socket, 503);
    });
  };

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (err) => logger.warn({ err }, 'upgrade socket error'));
    // Whatever a stranger sends, an exception here must not reach the process: answer instead.
    try {
      const target = readUpgradeTarget(req.url);
      if (target.kind === 'socketio') {
        for (const listener of socketIoUpgrade) listener.call(http, req, socket, head);
      } else if (target.kind === 'minutes') {
        minutesUpgrade(req, socket, head, target.sessionId);
      } else {
        refuseUpgrade(socket, target.kind === 'bad' ? 400 : 404);
      }
    } catch (err) {
      logger.error({ err, url: req.url }, 'upgrade failed');
      refuseUpgrade(socket, 500);
    }
  });

  // REST
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/readyz', async (_req, res) => {
    const up = await databaseAnswers(conn);
    res.status(up ? 200 : 503).json({ ok: up, database: up ? 'up' : 'down' });
  });

  // Failed sign-ins are counted per name and per address; with REDIS_URL every node shares them.
  const loginLimits = createLoginLimits({
    models,
    logger,
    redisUrl: config.REDIS_URL,
    onFailure: (f) => audit.record({ actor: null, action: 'auth.loginFailed', target: f.username, details: { ...f } }),
  });
  // Cross-site state changes are refused before any route runs; the webhook is server-to-server
  // and signed, so it is exempt by name.
  app.use(originGuard({ allowedOrigins: config.ALLOWED_ORIGINS, exempt: [HOTLINE_WEBHOOK_PATH, MEDIA_WEBHOOK_PATH] }));
  // The hotline webhook reads its raw body for the signature: before any JSON parser.
  app.use(hotline.webhookRouter);
  // So does the media server's (LiveKit signs the body's hash).
  app.use(mediaWebhookRouter({ media: deps.media, session: (id) => rooms.getSession(id) }));
  const api = express.Router();
  // Upload routes keep their own body types (multipart, or the file itself as the body).
  api.use(
    jsonOnly([
      /^\/hotline\/imports$/,
      /^\/tracking\/[^/]+\/reports$/,
      /^\/duty\/import$/,
      /^\/org\/members\/import$/,
      ...proposalUploadPaths,
      ...socialReportUploadPaths,
      ...paperUploadPaths,
      ...activityUploadPaths,
      ...dutyReportUploadPaths,
    ]),
  );
  api.use(express.json({ limit: '64kb' }));
  // After the body parser: audited calls keep a few of their body's fields.
  api.use(auditRest(audit));
  // Signing out, deactivating and resetting a password all close the member's live connections,
  // after telling them why. The event goes out before the disconnect on every node: locally the
  // packet is written before the close (which waits for the write buffer to drain), and the Redis
  // adapter publishes both on one connection, each node handling them in that order.
  // A password change passes the sign-in that made it (every tab of that browser), which stays;
  // the minutes server does not know a socket's sign-in, so its sockets then wait for their expiry.
  const cutOff = (memberId: string, reason: SignOutReason, keepToken?: string) => {
    // First the other nodes' handshake copies, which may still hold these sign-ins; a socket one
    // of them lets in before hearing of it is closed by what follows, or when it does hear.
    deps.cluster?.accountsChanged({
      kind: 'signInsEnded',
      memberId,
      reason,
      ...(keepToken === undefined ? {} : { keepHash: hashToken(keepToken) }),
    });
    const all = io.in(memberChannel(memberId));
    const theirs = keepToken === undefined ? all : all.except(signInChannel(keepToken));
    theirs.emit('account:signedOut', { reason });
    theirs.disconnectSockets(true);
    if (keepToken === undefined) minutes.disconnectMember(memberId);
    if (keepToken === undefined) screens.signedOut(memberId);
    // Their voice and video end too (the media server keeps refreshing a connected token).
    if (keepToken === undefined) deps.media?.signedOut(memberId);
  };
  const org = createOrgService({ models, sessions, rooms });
  // Activation and reset links also go by email where SMTP_URL is set.
  const mailer = createMailer(config, logger);
  const accounts = createAccounts({ models, members, auth, cutOff, mailer, checkOrgFields: org.checkMemberFields });
  api.use(
    authRouter({
      auth,
      rooms,
      secureCookie: config.COOKIE_SECURE,
      demoLogin: config.DEMO_LOGIN,
      demoIdentities: () => accounts.demoIdentities(),
      loginLimits,
      audit,
      onSignOut: cutOff,
    }),
  );
  api.use(accountsRouter({ auth, accounts, audit, secureCookie: config.COOKIE_SECURE, loginLimits }));
  api.use(memberImportRouter({ auth, importer: createMemberImporter({ models, accounts, audit }) }));
  api.use(orgRouter({ auth, org, accounts, audit }));
  api.use(
    oidcRouter({
      settings: config,
      conn,
      models,
      members,
      auth,
      audit,
      logger,
      secureCookie: config.COOKIE_SECURE,
      secret: serverSecret,
    }),
  );
  const signedIn = requireMember(auth);
  // People and sessions are the committee's business: the sign-in page has its own demo list.
  api.get('/members', signedIn, async (_req, res) => {
    res.json({ members: await members.list() });
  });
  // Sessions, their invitations, RSVP and leave: those a member may enter, managed by conveners and staff.
  api.use(sessionRouter({ auth, sessions }));
  // Consultations held on paper, recorded afterwards: closed sessions that take the same steps.
  api.use(
    paperSessionRouter({
      auth,
      paper: createPaperSessions({
        models,
        members,
        rooms,
        suggestions: createSuggestionRepository(models),
        outcomes: createOutcomeRepository(models),
        afterClose: (sessionId, byId) => afterClose.run(sessionId, byId),
      }),
    }),
  );
  api.use(review.router);
  api.use(trackingRouter({ auth, tracking }));
  // 社情民意: an adopted report writes its author's duty records through the ledger, by natural key.
  const socialReports = createSocialReportService({
    models,
    notifications,
    logger,
    recordDuty: (records, by) => scoring.ledger.recordDerived(records, by),
  });
  api.use(socialReportRouter({ auth, socialReports }));
  // Proposals (提案): the org records name departments and leaders; each step writes the duty
  // records the proposal has earned through the ledger, by natural key.
  const orgLookup: OrgLookup = (by) => org.overview(by);
  const proposals = createProposalService({
    models,
    members,
    notifications,
    org: orgLookup,
    logger,
    recordDuty: (records, by) => scoring.ledger.recordDerived(records, by),
    // One chase log: the lead department's tracking item's (docs/protocol.md).
    chase: (trackingId, member, note) => tracking.chase(trackingId, member, note),
  });
  api.use(proposalRouter({ auth, proposals, org: orgLookup }));
  // A proposal's tracking items follow its steps: one per department at 交办, the reply, the
  // proposer's feedback and a granted reassignment move them (proposals/proposal.tracking.ts).
  followProposals({ proposals, tracking });
  // Activities (履职活动): sign-ins write duty records through the ledger by natural key, and
  // findings of inspections and supervision become tracking items.
  const activities = createActivityService({
    models,
    secret: serverSecret,
    ...(deps.clock ? { clock: deps.clock } : {}),
    departments: createDepartmentMembership(models),
    tracking,
    recordDuty: (records, by) => scoring.ledger.recordDerived(records, by),
    logger,
  });
  api.use(activityRouter({ auth, activities }));
  // 述职: the panel's published results reach the ledger by natural key (duty-report:<year>:<member>).
  const dutyReports = createDutyReportService({
    models,
    members,
    sessionExists: async (id) => (await rooms.getSession(id)) !== null,
    recordDuty: (records, by) => scoring.ledger.recordDerived(records, by),
    ...(deps.clock ? { clock: deps.clock } : {}),
  });
  api.use(dutyReportRouter({ auth, dutyReports }));
  // A member's own quarterly bulletin lines, before the scoring router's /duty routes.
  api.use(memberBulletinRouter({ auth, read: createMemberBulletin({ scoring, members }) }));
  api.use(
    scoringRouter({
      auth,
      scoring,
      importer: createImporter(models),
      audit,
      chromiumPath: config.CHROMIUM_PATH,
      logger,
    }),
  );
  const trailDeps: TrailDeps = {
    topics,
    rooms,
    polls,
    outcomes: createOutcomeRepository(models),
    minutesStatus: (sessionId) => review.status(sessionId),
    // The proposer's sight of their topic's items comes from the viewer rule above.
    tracking: (sessionId, viewer) => tracking.list({ sessionId }, viewer),
    hotline: (topicId) => hotlineMessages(models, topicId),
    rounds: (topicId) => sessions.roundsOf(topicId),
  };
  api.use(topicRouter({ auth, topics, rooms, trail: (id, viewer) => topicTrail(trailDeps, id, viewer) }));
  // 意见征集 before and after the session; a group goes into the live room as one of its suggestions.
  const consultations = createConsultationService({
    models,
    topic: (id) => topics.get(id),
    session: (id) => rooms.getSession(id),
    bringToRoom: async (sessionId, by, text) => {
      const session = await rooms.getSession(sessionId);
      const room = session?.state === 'live' ? await registry.get(sessionId) : null;
      if (!session || !room) throw new AppError('SESSION_NOT_LIVE', 'The session is not live here.');
      const suggestion = await room.submitSuggestion({ member: by, role: roleIn(session, by) ?? 'staff' }, text);
      return suggestion.id;
    },
    outcomesOf: (sessionId) => createOutcomeRepository(models).listForSession(sessionId),
    ...(deps.clock ? { clock: deps.clock } : {}),
  });
  api.use(
    consultationRouter({
      auth,
      consultations,
      limits: createConsultationLimits({ models, ...(deps.clock ? { clock: deps.clock } : {}) }),
      ...(deps.cluster ? { passToOwner: passToRoomOwner.bind(null, deps.cluster) } : {}),
    }),
  );
  api.use(notificationRouter({ auth, notifications }));
  api.use(notifyRouter({ auth, notify }));
  api.use(screenRouter({ auth, rooms, links: screenLinks }));
  api.use(auditRouter({ auth, audit }));
  api.use(
    reportsRouter({
      auth,
      dashboards: createDashboardService({ models }),
      departments: (from, to) => activities.departmentScores(from, to),
    }),
  );
  api.use(themeRouter({ auth, themes: createThemeService({ models }) }));
  api.use(hotline.router);
  // Voice and video: a token for a session's media room, refused to those outside the session.
  api.use(mediaRouter({ auth, media: deps.media, session: (id) => rooms.getSession(id) }));
  api.use((_req) => {
    throw new AppError('NOT_FOUND', 'No such endpoint.');
  });
  app.use('/api', api);

  if (existsSync(path.join(config.CLIENT_DIST, 'index.html'))) {
    app.use(express.static(config.CLIENT_DIST, { index: false, maxAge: '1h' }));
    app.get('/{*path}', (_req, res) => {
      res.sendFile(path.join(config.CLIENT_DIST, 'index.html'));
    });
  }
  app.use(errorHandler(logger));

  // Several nodes: after every upgrade listener and the sign-in check are in place.
  if (deps.cluster) {
    deps.cluster.attach(io);
    installRelay(http, {
      cluster: deps.cluster,
      logger,
      sessionExists: async (id) => (await rooms.getSession(id)) !== null,
      // The cheap part of minutesUpgrade's checks, in its order: the lease is only worth
      // claiming for someone signed in, and not while this node stops.
      refuseMinutes: async (req) => {
        if (closing) return 503;
        if (!originAllowed(req)) return 403;
        return (await auth.access(tokenFromCookieHeader(req.headers.cookie))) ? null : 401;
      },
    });
  }

  return {
    http,
    io,
    models,
    hotline,
    notify,
    audit,
    accounts,
    minutes,
    minutesIdle: (sessionId) => minutesWriter.idle(sessionId),
    async warmRooms() {
      // The sign-ins too, so that a sitting's members coming back after a restart are let in
      // without a read each; a failure here only costs those reads.
      const signIns = auth.warm().catch((err: unknown) => {
        logger.warn({ err }, 'the sign-ins were not copied for the handshake');
      });
      const live = await rooms.liveSessionIds();
      // With several nodes, each warms the live rooms nobody (alive) owns yet.
      const here = deps.cluster ? await deps.cluster.claimFree(live) : live;
      await Promise.all([...here.map((id) => registry.get(id)), signIns]);
      return here.length;
    },
    routes: () => listRoutes(app.router),
    listen(port, host) {
      return new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          http.off('error', reject);
          const { port: p } = http.address() as AddressInfo;
          const url = `http://${host.includes(':') ? `[${host}]` : host}:${p}`;
          hotline
            .start()
            .then(() => notify.start())
            .then(() => resolve(url), reject);
        });
      });
    },
    touchOpenSessions: () => openSessions.sweep(),
    async close() {
      closing = true;
      openSessions.stop();
      stopTellingMemberWrites();
      stopHearingAccounts?.();
      // io.close() closes the room clients' transports at once (a loss they reconnect from),
      // then closes the HTTP server and waits for every connection to end, minutes sockets
      // included: so it is started first and awaited last, once those have been closed.
      const ioClosed = io.close();
      await hotline.close();
      await notify.stop();
      await minutesWriter.idleAll();
      // Each minutes socket gets a going-away close (1001) once its document's writes are stored.
      await minutes.close();
      await closedOrTimedOut([...wss.clients], 1_000);
      for (const ws of wss.clients) ws.terminate();
      await registry.disposeAll();
      await loginLimits.close();
      // Whatever is left: idle keep-alive requests, upgrades still being checked, relayed streams.
      for (const socket of connections) socket.destroy();
      await ioClosed;
    },
  };
}
