import { randomUUID } from 'node:crypto';
import {
  type AgendaResult,
  addAgendaItem,
  type BallotContent,
  type BallotReceipt,
  type ClientEventResults,
  type ClientPayload,
  limits,
  type MemberView,
  type OutcomeView,
  type PaperBatchReceipt,
  type PollSettings,
  type PollView,
  type PresenceChange,
  type PresenceCounts,
  type PresenceEntry,
  type RoomMediaHooks,
  type RoomSnapshot,
  removeAgendaItem,
  reorderAgenda,
  type SessionRole,
  type SessionView,
  type SpeakerQueue,
  type SuggestionMark,
  type SuggestionView,
  updateAgendaItem,
} from '@yitang/shared';
import { type HallCodes, HallCodeTries } from '../auth/hall-code';
import { AppError } from '../errors';
import { Serial } from '../lib/serial';
import type { Logger } from '../logger';
import type { NoticeSink, RoomNotice } from '../minutes/minutes.writer';
import type { OutcomeRepository } from '../outcomes/outcome.repository';
import { PollBook } from '../polls/poll.book';
import type { PollRepository } from '../polls/poll.repository';
import { memberChannel, sessionChannel, type YitangServer } from '../socket/types';
import type { SuggestionRepository } from '../suggestions/suggestion.repository';
import { PresenceBook } from './presence.book';
import { roleIn } from './roles';
import { broadcastSlice, RoomBroadcast } from './room.broadcast';
import type { SessionDoc } from './room.model';
import { presentSession, type RoomRepository } from './room.repository';
import { gateDeps } from './room-gate';
import { SpeakerFloor, stageOf } from './speaker.floor';

export interface Actor {
  member: MemberView;
  role: SessionRole;
}

export interface LiveRoomDeps {
  io: YitangServer;
  rooms: RoomRepository;
  polls: PollRepository;
  suggestions: SuggestionRepository;
  outcomes: OutcomeRepository;
  logger: Logger;
  /** Told what happens (for the minutes); never throws back into the room. */
  notify?: NoticeSink;
  /** Above this many present, snapshots list only those who run the room; `limits.snapshotPresenceMax` by default. */
  snapshotPresenceMax?: number;
  /** How long a hand stays raised for someone who left; `limits.handKeptAfterLeavingMs` by default. */
  handKeptAfterLeavingMs?: number | undefined;
  /** Today's hall codes, from the server's key and clock (auth/hall-code.ts). */
  hallCodes: HallCodes;
  /** The media server (voice and video): the floor is the microphone. Absent with media off. */
  media?: RoomMediaHooks;
}

const iso = (d: Date) => d.toISOString();

/**
 * The in-memory state of one live session, owned by this process. Every change is written to
 * MongoDB before it is acknowledged or broadcast; `load` rebuilds the same state after a restart.
 * Changes to the session document run one at a time (`serial`) so none overwrites another.
 */
export class LiveRoom {
  private seq = 0;
  /** Who is here, their attendance and the presence frames. */
  private readonly presence: PresenceBook;
  private readonly serial = new Serial();
  /** Hands of people who left, taken down unless they come back in time (`exit`). */
  private readonly handTimers = new Map<string, NodeJS.Timeout>();
  /** Wrong hall codes per person (auth/hall-code.ts): a few, then a lockout. */
  private readonly hallTries: HallCodeTries;
  /** Every broadcast to the room goes through here, in order (large rooms in slices). */
  private readonly broadcast: RoomBroadcast;
  private readonly pollBook: PollBook;
  private suggestions: SuggestionView[] = [];
  private outcomes: OutcomeView[] = [];
  /** The queue, the current turn and its countdown, the speaking records. */
  private readonly floor: SpeakerFloor;
  private closing = false;
  /** Set by `dispose`: the room is gone from this process and writes nothing more. */
  private disposed = false;

  private constructor(
    private session: SessionDoc,
    private readonly roomName: string,
    private readonly deps: LiveRoomDeps,
  ) {
    this.broadcast = new RoomBroadcast(deps.io, sessionChannel(session._id), broadcastSlice);
    this.hallTries = new HallCodeTries(deps.hallCodes.now);
    this.presence = new PresenceBook({
      sessionId: session._id,
      rooms: deps.rooms,
      broadcast: this.broadcast,
      nextSeq: () => {
        this.seq += 1;
        return this.seq;
      },
      isMuted: (memberId) => this.isMuted(memberId),
      snapshotPresenceMax: deps.snapshotPresenceMax,
    });
    this.pollBook = new PollBook({
      sessionId: session._id,
      repo: deps.polls,
      pollChanged: (poll, unannounced) => {
        // Every socket here knows the other voters from its snapshot or the tally frames: a close
        // in a room of 2,000 would otherwise send each of them the whole list again.
        this.emit('poll:updated', { poll: { ...poll, voters: unannounced } });
        if (poll.stage === 'closed') this.tell({ type: 'poll', sessionId: this.id, poll });
      },
      tallyFrame: (frame) => this.broadcast.emit('poll:tally', frame),
      broadcastsPending: () => this.broadcast.flushed(),
      presentRoles: () => this.presence.roles(),
    });
    this.floor = new SpeakerFloor({
      sessionId: session._id,
      rooms: deps.rooms,
      logger: deps.logger,
      serial: this.serial,
      session: () => this.session,
      patch: (patch) => this.patch(patch),
      closing: () => this.closing,
      disposed: () => this.disposed,
      presence: this.presence,
      isMuted: (memberId) => this.isMuted(memberId),
      tell: (notice) => this.tell(notice),
      nameOf: (memberId) => this.nameOf(memberId),
      broadcast: this.broadcast,
      nextSeq: () => {
        this.seq += 1;
        return this.seq;
      },
      floorChanged: () => this.mediaFloorChanged(),
    });
  }

  /** Who publishes on the media server follows the floor, the conveners, the allowed and the muted. */
  private mediaFloorChanged(): void {
    const s = this.session;
    this.deps.media?.floorChanged(this.id, {
      speakerId: s.speakers.speaker?.memberId ?? null,
      firstConvenerId: s.firstConvenerId,
      secondConvenerId: s.secondConvenerId ?? null,
      muted: s.muted,
      allowed: s.allowedToSpeak ?? [],
    });
  }

  static async load(sessionId: string, given: LiveRoomDeps): Promise<LiveRoom | null> {
    // Once the room is disposed its repositories refuse and its notices go nowhere.
    let built: LiveRoom | null = null;
    const deps = gateDeps(given, () => built?.disposed ?? false);
    const session = await deps.rooms.getSession(sessionId);
    if (!session) return null;
    const names = await deps.rooms.roomNames([session.roomId]);
    const room = new LiveRoom(normalise(session), names.get(session.roomId) ?? session.roomId, deps);
    built = room;
    await room.pollBook.load();
    room.suggestions = await deps.suggestions.listForSession(sessionId);
    room.outcomes = await deps.outcomes.listForSession(sessionId);
    await room.presence.load();
    room.presence.setStage(stageOf(room.session.speakers));
    room.floor.arm();
    return room;
  }

  get id(): string {
    return this.session._id;
  }

  get channel(): string {
    return sessionChannel(this.session._id);
  }

  get state(): SessionDoc['state'] {
    return this.closing ? 'closed' : this.session.state;
  }

  roleOf(member: MemberView): SessionRole | null {
    return roleIn(this.session, member);
  }

  /** The sessions module changed who belongs, or cancelled: `roleOf` and `start` read it afresh. */
  membershipChanged(m: Pick<SessionDoc, 'roles' | 'invitations' | 'openToAll' | 'cancelledAt'>): void {
    this.session = { ...this.session, ...m };
  }

  isRemoved(memberId: string): boolean {
    return this.session.removed.includes(memberId);
  }

  isMuted(memberId: string): boolean {
    return this.session.muted.includes(memberId);
  }

  private emit<
    E extends 'presence:changed' | 'session:updated' | 'poll:updated' | 'suggestion:updated' | 'outcome:updated',
  >(
    event: E,
    payload: E extends 'presence:changed'
      ? PresenceChange
      : E extends 'session:updated'
        ? { session: SessionView }
        : E extends 'poll:updated'
          ? { poll: PollView }
          : E extends 'suggestion:updated'
            ? { suggestion: SuggestionView }
            : { outcome: OutcomeView },
  ): void {
    this.seq += 1;
    const emit = this.broadcast.emit.bind(this.broadcast) as (e: string, p: unknown) => void;
    emit(event, { seq: this.seq, ...payload });
  }

  /**
   * What a hall screen is built from (screen/screen.view.ts picks from it field by field), and
   * `watch` tells it when any of it may have changed. Returns what stops the watching.
   */
  screenState(): { session: SessionView; speakers: SpeakerQueue; polls: PollView[] } {
    return { session: this.view(), speakers: this.session.speakers, polls: this.pollBook.views() };
  }

  watch(fn: (event: string) => void): () => void {
    return this.broadcast.watch(fn);
  }

  presenceCounts(): PresenceCounts {
    return this.presence.counts();
  }

  /** One page of the present in `comparePresence` order; `query` matches a part of the name. */
  presencePage(p: ClientPayload<'presence:page'>): ClientEventResults['presence:page'] {
    return this.presence.page(p);
  }

  private tell(notice: RoomNotice): void {
    try {
      this.deps.notify?.(notice);
    } catch (err) {
      this.deps.logger.error({ err, sessionId: this.id }, 'room notice failed');
    }
  }

  view(): SessionView {
    return presentSession(this.session, this.roomName);
  }

  async snapshot(actor: Actor): Promise<RoomSnapshot> {
    // Only the polls the voter's ballots were counted in: a join before voting (a room filling)
    // reads nothing, instead of two point reads per poll of the session.
    const mine = await this.deps.polls.ballotsOf(actor.member.id, this.pollBook.votedIn(actor.member.id));
    // A ballot staff entered on paper shows, to its voter, who entered it.
    const enterers = mine.enteredBy ? await this.deps.rooms.memberNames([...new Set(mine.enteredBy.values())]) : [];
    const nameOf = new Map(enterers.map((m) => [m.id, m.name]));
    const myPaperBallots = Object.fromEntries(
      [...(mine.enteredBy ?? [])].map(([pollId, by]) => [pollId, nameOf.get(by) ?? by]),
    );
    const you = this.presence.entry(actor.member.id) ?? this.presence.entryFor(actor, false);
    const chairish = actor.role === 'staff' || actor.role === 'firstConvener' || actor.role === 'secondConvener';
    const { presence, partial } = this.presence.snapshot(actor);
    return {
      seq: this.seq,
      serverNow: iso(new Date()),
      session: this.view(),
      presence,
      presenceCounts: this.presenceCounts(),
      presencePartial: partial,
      speakers: this.session.speakers,
      suggestions: this.suggestions,
      polls: this.pollBook.views(),
      outcomes: this.outcomes,
      myBallots: Object.fromEntries(mine),
      myPaperBallots,
      you,
      hallCode: chairish ? this.deps.hallCodes.current(this.id) : null,
    };
  }

  /** Checks that `actor` may enter now: not removed, and not locked out. */
  admissible(actor: Actor): void {
    if (this.disposed) throw new AppError('UNAVAILABLE', 'This session is no longer served here; connect again.');
    if (this.session.removed.includes(actor.member.id))
      throw new AppError('REMOVED', 'You were removed from this session.');
    const privileged = ['firstConvener', 'secondConvener', 'staff', 'recorder'].includes(actor.role);
    if (this.session.locked && !privileged && !this.presence.isAdmitted(actor.member.id)) {
      throw new AppError('ROOM_LOCKED', 'The room is locked.');
    }
  }

  /** Adds one socket of a member; the first makes them present (online) for everyone. */
  async enter(actor: Actor): Promise<void> {
    this.admissible(actor);
    await this.presence.enter(actor, this.session.state !== 'closed');
    this.keepHand(actor.member.id);
  }

  /**
   * Removes one socket of a member; they leave when their last socket does (unless in the hall).
   * Someone who left with a hand raised loses it unless they are back within
   * `handKeptAfterLeavingMs` (a phone changing network keeps its place; someone gone does not
   * stay at the head of the queue).
   */
  exit(memberId: string): void {
    this.presence.exit(memberId);
    const inQueue = () => this.session.speakers.queue.some((q) => q.memberId === memberId);
    // The conveners' allowance to speak goes the same way as the hand.
    const allowed = () => this.session.allowedToSpeak?.includes(memberId) ?? false;
    if (this.stillHere(memberId) || !(inQueue() || allowed())) return;
    this.keepHand(memberId);
    const wait = this.deps.handKeptAfterLeavingMs ?? limits.handKeptAfterLeavingMs;
    const timer = setTimeout(() => {
      this.handTimers.delete(memberId);
      if (this.stillHere(memberId)) return;
      if (inQueue()) {
        this.lowerHand(memberId).catch((err: unknown) =>
          this.deps.logger.warn({ err, sessionId: this.id, memberId }, 'hand of a departed participant not lowered'),
        );
      }
      if (allowed()) {
        this.allow(memberId, false).catch((err: unknown) =>
          this.deps.logger.warn({ err, sessionId: this.id, memberId }, 'allowance of a departed participant kept'),
        );
      }
    }, wait);
    timer.unref();
    this.handTimers.set(memberId, timer);
  }

  private stillHere(memberId: string): boolean {
    const entry = this.presence.entry(memberId);
    return entry !== undefined && (entry.online || entry.inHall);
  }

  /** Cancels the taking down of a hand (its owner is back). */
  private keepHand(memberId: string): void {
    const timer = this.handTimers.get(memberId);
    if (timer) clearTimeout(timer);
    this.handTimers.delete(memberId);
  }

  get presentCount(): number {
    return this.presence.size;
  }

  private async patch(patch: Partial<Omit<SessionDoc, '_id'>>, expect?: SessionDoc['state'] | SessionDoc['state'][]) {
    if (!(await this.deps.rooms.patchSession(this.id, patch, expect))) {
      throw new AppError('ILLEGAL_TRANSITION', 'The session changed state meanwhile.');
    }
    this.session = { ...this.session, ...patch };
  }

  /** Runs a session change alone, then broadcasts the new session. */
  private change(fn: () => Promise<void>): Promise<SessionView> {
    return this.serial.run(async () => {
      if (this.closing && this.session.state !== 'closed')
        throw new AppError('SESSION_CLOSED', 'The session is closing.');
      await fn();
      const view = this.view();
      this.emit('session:updated', { session: view });
      return view;
    });
  }

  // ── lifecycle ──────────────────────────────────────────────────────────────

  start(): Promise<SessionView> {
    return this.change(async () => {
      if (this.session.state !== 'scheduled')
        throw new AppError('ILLEGAL_TRANSITION', 'Only a scheduled session starts.');
      if (this.session.cancelledAt) throw new AppError('ILLEGAL_TRANSITION', 'The session was cancelled.');
      const now = new Date();
      const first = this.session.currentItemId ?? this.session.agenda[0]?.id ?? null;
      await this.patch(
        { state: 'live', startedAt: now, currentItemId: first, currentItemStartedAt: first ? now : null },
        'scheduled',
      );
      this.tell({ type: 'agenda', sessionId: this.id, agenda: this.session.agenda });
    });
  }

  /**
   * Closes the session: ends the current turn (recorded), closes every open poll with its result,
   * clears the queue and freezes the room. Attendance, suggestions, ballots and outcomes were
   * stored as they happened.
   */
  async close(by: string): Promise<SessionView> {
    if (this.session.state !== 'live') throw new AppError('ILLEGAL_TRANSITION', 'Only a live session closes.');
    if (this.closing) throw new AppError('SESSION_CLOSED', 'The session is already closing.');
    this.closing = true;
    try {
      await this.serial.run(async () => this.floor.finishTurn(new Date()));
      for (const pollId of this.pollBook.openPollIds()) await this.pollBook.close(pollId);
      return await this.serial.run(async () => {
        await this.patch(
          { state: 'closed', closedAt: new Date(), speakers: { queue: [], speaker: null }, allowedToSpeak: [] },
          'live',
        );
        this.floor.emit();
        const view = this.view();
        this.emit('session:updated', { session: view });
        this.tell({ type: 'closed', sessionId: this.id, by });
        return view;
      });
    } catch (err) {
      this.closing = false;
      throw err;
    }
  }

  // ── agenda ─────────────────────────────────────────────────────────────────

  private async applyAgenda(result: AgendaResult): Promise<void> {
    if (!result.ok) throw new AppError(result.error, 'The agenda cannot change that way.');
    await this.patch({ agenda: result.agenda });
    this.tell({ type: 'agenda', sessionId: this.id, agenda: result.agenda });
  }

  addItem(p: ClientPayload<'agenda:add'>): Promise<SessionView> {
    return this.change(() =>
      this.applyAgenda(
        addAgendaItem(
          this.session.agenda,
          { id: `a-${randomUUID().slice(0, 8)}`, title: p.title, plannedMinutes: p.plannedMinutes },
          p.afterItemId,
        ),
      ),
    );
  }

  updateItem(p: ClientPayload<'agenda:update'>): Promise<SessionView> {
    return this.change(() =>
      this.applyAgenda(
        updateAgendaItem(this.session.agenda, p.itemId, { title: p.title, plannedMinutes: p.plannedMinutes }),
      ),
    );
  }

  removeItem(itemId: string): Promise<SessionView> {
    return this.change(() =>
      this.applyAgenda(removeAgendaItem(this.session.agenda, itemId, this.session.currentItemId)),
    );
  }

  reorderItems(itemIds: string[]): Promise<SessionView> {
    return this.change(() => this.applyAgenda(reorderAgenda(this.session.agenda, itemIds)));
  }

  gotoItem(itemId: string): Promise<SessionView> {
    return this.change(async () => {
      if (!this.session.agenda.some((a) => a.id === itemId))
        throw new AppError('NOT_FOUND', `No agenda item ${itemId}.`);
      await this.patch({ currentItemId: itemId, currentItemStartedAt: new Date() });
    });
  }

  lock(locked: boolean): Promise<SessionView> {
    return this.change(() => this.patch({ locked }));
  }

  setSpeakerLimit(seconds: number): Promise<SessionView> {
    return this.change(() => this.patch({ speakerLimitSeconds: seconds }));
  }

  // ── speakers ───────────────────────────────────────────────────────────────

  raiseHand(memberId: string, pointOfOrder: boolean): Promise<SpeakerQueue> {
    return this.floor.raiseHand(memberId, pointOfOrder);
  }

  lowerHand(memberId: string): Promise<SpeakerQueue> {
    return this.floor.lowerHand(memberId);
  }

  reorderQueue(memberIds: string[]): Promise<SpeakerQueue> {
    return this.floor.reorderQueue(memberIds);
  }

  removeFromQueue(memberId: string): Promise<SpeakerQueue> {
    return this.floor.removeFromQueue(memberId);
  }

  /** Gives the floor (ending and recording any current turn); the server owns the countdown. */
  grant(memberId: string | null): Promise<SpeakerQueue> {
    return this.floor.grant(memberId);
  }

  /** Ends the current turn: by a convener, by the speaker, or by the server when time is up. */
  endSpeech(actor: Actor | null): Promise<SpeakerQueue> {
    return this.floor.endSpeech(actor);
  }

  // ── suggestions and outcomes ───────────────────────────────────────────────

  async submitSuggestion(actor: Actor, text: string): Promise<SuggestionView> {
    const s: SuggestionView = {
      id: `sg-${randomUUID()}`,
      sessionId: this.id,
      itemId: this.session.currentItemId,
      authorId: actor.member.id,
      authorName: actor.member.name,
      text,
      mark: 'none',
      createdAt: iso(new Date()),
    };
    await this.deps.suggestions.insert(s);
    this.suggestions = [...this.suggestions, s];
    this.tell({ type: 'suggestion', sessionId: this.id, suggestion: s });
    this.emit('suggestion:updated', { suggestion: s });
    return s;
  }

  async markSuggestion(suggestionId: string, mark: SuggestionMark): Promise<SuggestionView> {
    const s = this.suggestions.find((x) => x.id === suggestionId);
    if (!s) throw new AppError('NOT_FOUND', 'No such suggestion.');
    await this.deps.suggestions.setMark(suggestionId, mark);
    const next = { ...s, mark };
    this.suggestions = this.suggestions.map((x) => (x.id === suggestionId ? next : x));
    this.emit('suggestion:updated', { suggestion: next });
    return next;
  }

  /** Turns a suggestion into an outcome draft the conveners then complete. */
  async draftOutcome(actor: Actor, suggestionId: string): Promise<OutcomeView> {
    const s = this.suggestions.find((x) => x.id === suggestionId);
    if (!s) throw new AppError('NOT_FOUND', 'No such suggestion.');
    return this.saveOutcome(actor, {
      outcomeId: null,
      text: s.text,
      department: '',
      deadline: null,
      pollId: null,
      suggestionIds: [s.id],
      record: false,
    });
  }

  async saveOutcome(actor: Actor, p: ClientPayload<'outcome:save'>): Promise<OutcomeView> {
    for (const id of p.suggestionIds) {
      if (!this.suggestions.some((s) => s.id === id)) throw new AppError('NOT_FOUND', `No suggestion ${id}.`);
    }
    if (p.pollId && !this.pollBook.ids().includes(p.pollId)) throw new AppError('NOT_FOUND', `No poll ${p.pollId}.`);
    if (p.record && !p.department) throw new AppError('BAD_REQUEST', 'A recorded outcome names its department.');
    const existing = p.outcomeId ? this.outcomes.find((o) => o.id === p.outcomeId) : null;
    if (p.outcomeId && !existing) throw new AppError('NOT_FOUND', 'No such outcome.');
    const now = iso(new Date());
    const outcome: OutcomeView = {
      id: existing?.id ?? `oc-${randomUUID()}`,
      sessionId: this.id,
      status: p.record ? 'recorded' : 'draft',
      text: p.text,
      department: p.department,
      deadline: p.deadline,
      pollId: p.pollId,
      suggestionIds: p.suggestionIds,
      createdBy: existing?.createdBy ?? actor.member.id,
      createdAt: existing?.createdAt ?? now,
    };
    await this.deps.outcomes.save(outcome);
    if (outcome.status === 'recorded') this.tell({ type: 'outcome', sessionId: this.id, outcome });
    this.outcomes = existing
      ? this.outcomes.map((o) => (o.id === outcome.id ? outcome : o))
      : [...this.outcomes, outcome];
    this.emit('outcome:updated', { outcome });
    return outcome;
  }

  // ── polls ──────────────────────────────────────────────────────────────────

  createPoll(actor: Actor, settings: PollSettings): Promise<PollView> {
    return this.pollBook.create(actor.member.id, settings, this.session.currentItemId);
  }

  updatePoll(pollId: string, settings: PollSettings): Promise<PollView> {
    return this.pollBook.update(pollId, settings);
  }

  openPoll(pollId: string): Promise<PollView> {
    return this.pollBook.open(pollId);
  }

  closePoll(pollId: string): Promise<PollView> {
    return this.pollBook.close(pollId);
  }

  publishPoll(pollId: string): Promise<PollView> {
    return this.pollBook.publish(pollId);
  }

  castVote(actor: Actor, p: { pollId: string; ballotId: string; content: BallotContent }): Promise<BallotReceipt> {
    return this.pollBook.cast(p.pollId, { memberId: actor.member.id, role: actor.role }, p, null, this.hallVoters);
  }

  /** Staff enter the paper ballot of someone checked in in the hall; it is marked as paper. */
  castPaper(
    staff: Actor,
    p: { pollId: string; ballotId: string; memberId: string; content: BallotContent },
  ): Promise<BallotReceipt> {
    const voter = this.presence.entry(p.memberId);
    if (!voter?.inHall) throw new AppError('NOT_IN_HALL', 'Paper ballots are for people checked in in the hall.');
    return this.pollBook.cast(p.pollId, { memberId: p.memberId, role: voter.role }, p, {
      enteredBy: staff.member.id,
    });
  }

  /** Staff enter a secret poll's paper ballots as an anonymous batch, capped by the hall. */
  castPaperBatch(
    staff: Actor,
    p: { pollId: string; batchId: string; entries: Array<{ content: BallotContent; count: number }> },
  ): Promise<PaperBatchReceipt> {
    // Read when the batch's turn comes (batches of a poll run one at a time), not now.
    return this.pollBook.castPaperBatch(p.pollId, staff.member.id, p, this.hallVoters);
  }

  /** Who is checked in at the hall, with their roles: the places a secret poll's paper ballots may take. */
  private readonly hallVoters = () => this.presence.hallVoters();

  // ── hall check-in and moderation ───────────────────────────────────────────

  /** Marks someone present in the hall (by staff, or by the hall code on their own phone). */
  async checkIn(target: Actor, by: string): Promise<PresenceEntry> {
    this.admissible(target);
    return this.presence.checkIn(target, by);
  }

  checkInByCode(actor: Actor, code: string): Promise<PresenceEntry> {
    this.hallTries.check(actor.member.id, this.deps.hallCodes.accepts(this.id, code));
    return this.checkIn(actor, actor.member.id);
  }

  async mute(memberId: string, muted: boolean): Promise<PresenceEntry> {
    if (!this.presence.has(memberId)) throw new AppError('NOT_FOUND', 'That participant is not here.');
    await this.change(async () => {
      const list = this.session.muted.filter((m) => m !== memberId);
      const allowed = (this.session.allowedToSpeak ?? []).filter((m) => m !== memberId);
      await this.patch(muted ? { muted: [...list, memberId], allowedToSpeak: allowed } : { muted: list });
    });
    if (muted) {
      // A muted participant loses their place in the queue (and the floor, if they have it), and
      // the conveners' allowance to speak with them.
      if (this.session.speakers.queue.some((q) => q.memberId === memberId)) await this.lowerHand(memberId);
      if (this.session.speakers.speaker?.memberId === memberId) await this.endSpeech(null);
    }
    this.mediaFloorChanged();
    const entry = this.presence.setMuted(memberId, muted);
    if (!entry) throw new AppError('NOT_FOUND', 'That participant is not here.');
    return entry;
  }

  /**
   * Allows a participant to speak besides the floor holder (a department's official answering):
   * the media server lets them publish at once. Withdrawn by a convener, or when they are muted,
   * removed or gone (as a raised hand is), and at the close.
   */
  async allow(memberId: string, allowed: boolean): Promise<SessionView> {
    const view = await this.change(async () => {
      // Checked in the session's queue, so a mute that lands meanwhile cannot be undone by this.
      if (allowed) {
        if (!this.presence.has(memberId)) throw new AppError('NOT_FOUND', 'That participant is not here.');
        if (memberId === this.session.firstConvenerId || memberId === this.session.secondConvenerId) {
          throw new AppError('BAD_REQUEST', 'A convener may speak already.');
        }
        if (this.isMuted(memberId)) throw new AppError('MUTED', 'That participant is muted.');
      }
      const before = this.session.allowedToSpeak ?? [];
      const rest = before.filter((m) => m !== memberId);
      if (!allowed && rest.length === before.length) return;
      await this.patch({ allowedToSpeak: allowed ? [...rest, memberId] : rest });
    });
    this.mediaFloorChanged();
    return view;
  }

  /** Removes a participant: they are told, dropped from the room, and cannot come back. */
  async remove(memberId: string): Promise<void> {
    if (memberId === this.session.firstConvenerId || memberId === this.session.secondConvenerId) {
      throw new AppError('FORBIDDEN', 'A convener cannot be removed.');
    }
    if (!this.presence.has(memberId) && !this.presence.isAdmitted(memberId)) {
      throw new AppError('NOT_FOUND', 'That participant has not taken part in this session.');
    }
    await this.change(() =>
      this.patch({
        removed: [...new Set([...this.session.removed, memberId])],
        allowedToSpeak: (this.session.allowedToSpeak ?? []).filter((m) => m !== memberId),
      }),
    );
    if (this.session.speakers.queue.some((q) => q.memberId === memberId)) await this.lowerHand(memberId);
    if (this.session.speakers.speaker?.memberId === memberId) await this.endSpeech(null);
    const target = this.deps.io.in(memberChannel(memberId));
    target.emit('room:removed', { sessionId: this.id });
    target.socketsLeave(this.channel);
    // Their minutes socket of this session closes too (the minutes writer does it at once).
    this.tell({ type: 'removed', sessionId: this.id, memberId });
    this.mediaFloorChanged();
    this.deps.media?.removed(this.id, memberId);
    this.presence.drop(memberId);
  }

  private async nameOf(memberId: string): Promise<string> {
    return (await this.deps.rooms.memberNames([memberId]))[0]?.name ?? memberId;
  }

  /** True once `dispose` ran. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Whether the server's countdown for the current turn is running here. */
  get speakerTimerArmed(): boolean {
    return this.floor.timerArmed;
  }

  /**
   * Lets go of the room in this process (shutting down, or another node took its lease): every
   * timer is cleared, broadcasts not yet sent are dropped, and from now on this copy writes,
   * sends and tells the minutes nothing (see `gateDeps`); a join that still reaches it is refused.
   */
  dispose(): void {
    this.disposed = true;
    for (const timer of this.handTimers.values()) clearTimeout(timer);
    this.handTimers.clear();
    this.pollBook.dispose();
    this.floor.dispose();
    this.broadcast.close();
    // Its participants, leaving as their connections are cut, then find nothing to change.
    this.presence.dispose();
  }
}

/** Fills fields older documents may lack, so the room never reads undefined. */
function normalise(s: SessionDoc): SessionDoc {
  return {
    ...s,
    roles: s.roles ?? [],
    agenda: s.agenda ?? [],
    currentItemId: s.currentItemId ?? null,
    currentItemStartedAt: s.currentItemStartedAt ?? null,
    locked: s.locked ?? false,
    speakerLimitSeconds: s.speakerLimitSeconds ?? 180,
    speakers: s.speakers ?? { queue: [], speaker: null },
    muted: s.muted ?? [],
    removed: s.removed ?? [],
    allowedToSpeak: s.allowedToSpeak ?? [],
    startedAt: s.startedAt ?? null,
    closedAt: s.closedAt ?? null,
  };
}
