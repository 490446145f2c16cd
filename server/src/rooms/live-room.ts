import { randomUUID } from 'node:crypto';
import {
  addBallot,
  type BallotReceipt,
  ballotCount,
  type ClientPayload,
  decide,
  limits,
  type PollView,
  type PresenceEntry,
  type RoomSnapshot,
  type SessionRole,
  type Tally,
} from '@yitang/shared';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { PollDoc } from '../polls/poll.model';
import { type PollRepository, presentPoll } from '../polls/poll.repository';
import { sessionChannel, type YitangServer } from '../socket/types';
import type { SessionDoc } from './room.model';
import { presentSession, type RoomRepository } from './room.repository';

interface PollRuntime {
  doc: PollDoc;
  tally: Tally;
  /** Set once a close has begun: later casts are refused with POLL_CLOSED. */
  closing: Promise<PollView> | null;
  /** Ballot writes in flight; a close waits for them so every acknowledged ballot is counted. */
  inflight: Set<Promise<unknown>>;
  tallyTimer: NodeJS.Timeout | null;
  lastTallyAt: number;
}

interface Voter {
  memberId: string;
  name: string;
}

/**
 * The in-memory state of one live session, owned by this process. Every change is written to
 * MongoDB before it is acknowledged; `load` rebuilds the same state from MongoDB after a restart.
 */
export class LiveRoom {
  private seq = 0;
  /** memberId -> presence entry and how many of that member's sockets are here. */
  private readonly presence = new Map<string, { entry: PresenceEntry; sockets: number }>();
  private readonly polls = new Map<string, PollRuntime>();

  private constructor(
    private session: SessionDoc,
    private readonly roomName: string,
    private readonly deps: {
      io: YitangServer;
      rooms: RoomRepository;
      polls: PollRepository;
      logger: Logger;
    },
  ) {}

  static async load(sessionId: string, deps: LiveRoom['deps']): Promise<LiveRoom | null> {
    const session = await deps.rooms.getSession(sessionId);
    if (!session) return null;
    const names = await deps.rooms.roomNames([session.roomId]);
    const room = new LiveRoom(session, names.get(session.roomId) ?? session.roomId, deps);
    for (const doc of await deps.polls.listForSession(sessionId)) {
      // Open polls recount their stored ballots: that is what survives a crash.
      const tally = doc.result?.tally ?? (await deps.polls.countBallots(doc._id));
      room.polls.set(doc._id, {
        doc,
        tally,
        closing: null,
        inflight: new Set(),
        tallyTimer: null,
        lastTallyAt: 0,
      });
    }
    return room;
  }

  get id(): string {
    return this.session._id;
  }

  get channel(): string {
    return sessionChannel(this.session._id);
  }

  roleOf(memberId: string): SessionRole {
    if (memberId === this.session.firstConvenerId) return 'firstConvener';
    if (memberId === this.session.secondConvenerId) return 'secondConvener';
    return 'member';
  }

  private nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  async snapshot(memberId: string): Promise<RoomSnapshot> {
    const pollIds = [...this.polls.keys()];
    const mine = await this.deps.polls.ballotsOf(memberId, pollIds);
    const you = this.presence.get(memberId)?.entry;
    return {
      seq: this.seq,
      session: presentSession(this.session, this.roomName),
      presence: [...this.presence.values()].map((p) => p.entry),
      polls: [...this.polls.values()].map((p) => presentPoll(p.doc, p.tally)),
      myBallots: Object.fromEntries(mine),
      you: you ?? { memberId, name: '', role: this.roleOf(memberId) },
    };
  }

  /** Adds one socket of a member; the first socket makes the member present for everyone else. */
  enter(member: Voter, socketId: string): void {
    const here = this.presence.get(member.memberId);
    if (here) {
      here.sockets += 1;
      return;
    }
    const entry: PresenceEntry = { memberId: member.memberId, name: member.name, role: this.roleOf(member.memberId) };
    this.presence.set(member.memberId, { entry, sockets: 1 });
    this.deps.io.to(this.channel).except(socketId).emit('presence:joined', { seq: this.nextSeq(), entry });
  }

  /** Removes one socket of a member; the member leaves when their last socket does. */
  exit(memberId: string): void {
    const here = this.presence.get(memberId);
    if (!here) return;
    here.sockets -= 1;
    if (here.sockets > 0) return;
    this.presence.delete(memberId);
    this.deps.io.to(this.channel).emit('presence:left', { seq: this.nextSeq(), memberId });
  }

  get presentCount(): number {
    return this.presence.size;
  }

  async gotoItem(itemId: string): Promise<{ currentItemId: string }> {
    if (!this.session.agenda.some((a) => a.id === itemId)) {
      throw new AppError('NOT_FOUND', `No agenda item ${itemId}.`);
    }
    await this.deps.rooms.setCurrentItem(this.session._id, itemId);
    this.session = { ...this.session, currentItemId: itemId };
    this.deps.io.to(this.channel).emit('agenda:current', { seq: this.nextSeq(), currentItemId: itemId });
    return { currentItemId: itemId };
  }

  async openPoll(openedBy: string, payload: ClientPayload<'poll:open'>): Promise<PollView> {
    const doc: PollDoc = {
      _id: `p-${randomUUID()}`,
      sessionId: this.session._id,
      question: payload.question,
      state: 'open',
      openedBy,
      openedAt: new Date(),
      closedBy: null,
      closedAt: null,
      result: null,
    };
    await this.deps.polls.insertPoll(doc);
    const runtime: PollRuntime = {
      doc,
      tally: { yes: 0, no: 0, abstain: 0 },
      closing: null,
      inflight: new Set(),
      tallyTimer: null,
      lastTallyAt: 0,
    };
    this.polls.set(doc._id, runtime);
    const view = presentPoll(doc, runtime.tally);
    this.deps.io.to(this.channel).emit('poll:opened', { seq: this.nextSeq(), poll: view });
    return view;
  }

  private requirePoll(pollId: string): PollRuntime {
    const poll = this.polls.get(pollId);
    if (!poll) throw new AppError('NOT_FOUND', `No poll ${pollId} in this session.`);
    return poll;
  }

  /**
   * Casts one ballot. The database key decides "one voter, one ballot"; a re-send of a ballot
   * already stored (same ballotId) gets the same receipt, before or after the poll closed.
   */
  async castVote(voter: Voter, payload: ClientPayload<'vote:cast'>): Promise<BallotReceipt> {
    const poll = this.requirePoll(payload.pollId);
    const receipt = (choice: BallotReceipt['choice']): BallotReceipt => ({
      pollId: payload.pollId,
      ballotId: payload.ballotId,
      choice,
    });

    if (poll.closing || poll.doc.state !== 'open') {
      const stored = await this.deps.polls.findBallot(payload.pollId, voter.memberId);
      if (stored && stored.ballotId === payload.ballotId) return receipt(stored.choice);
      throw new AppError('POLL_CLOSED', 'This poll is closed.');
    }

    const write = this.deps.polls.insertBallot({
      ballotId: payload.ballotId,
      pollId: payload.pollId,
      voterId: voter.memberId,
      choice: payload.choice,
      castAt: new Date(),
    });
    poll.inflight.add(write);
    let result: Awaited<typeof write>;
    try {
      result = await write;
    } finally {
      poll.inflight.delete(write);
    }

    if (result.inserted) {
      poll.tally = addBallot(poll.tally, payload.choice);
      this.scheduleTally(poll);
      return receipt(payload.choice);
    }
    const existing = result.existing;
    if (existing && existing.ballotId === payload.ballotId && existing.voterId === voter.memberId) {
      return receipt(existing.choice);
    }
    if (existing && existing.voterId === voter.memberId) {
      throw new AppError('ALREADY_VOTED', 'You have already voted in this poll.');
    }
    throw new AppError('BALLOT_ID_REUSED', 'This ballot id belongs to another ballot.');
  }

  /** Sends the tally at most `tallyFramesPerSecond` times a second per poll. */
  private scheduleTally(poll: PollRuntime): void {
    if (poll.tallyTimer) return;
    const interval = 1000 / limits.tallyFramesPerSecond;
    const wait = Math.max(0, poll.lastTallyAt + interval - Date.now());
    poll.tallyTimer = setTimeout(() => {
      poll.tallyTimer = null;
      poll.lastTallyAt = Date.now();
      if (poll.doc.state !== 'open') return;
      this.deps.io
        .to(this.channel)
        .emit('poll:tally', { pollId: poll.doc._id, tally: poll.tally, ballots: ballotCount(poll.tally) });
    }, wait);
  }

  async closePoll(closedBy: string, pollId: string): Promise<PollView> {
    const poll = this.requirePoll(pollId);
    if (poll.doc.state === 'closed') return presentPoll(poll.doc, poll.tally);
    poll.closing ??= this.finishClose(poll, closedBy).catch((err: unknown) => {
      // A failed close leaves the poll open, so a later close can try again.
      poll.closing = null;
      throw err;
    });
    return poll.closing;
  }

  private async finishClose(poll: PollRuntime, closedBy: string): Promise<PollView> {
    await Promise.allSettled([...poll.inflight]);
    const tally = await this.deps.polls.countBallots(poll.doc._id);
    const closedAt = new Date();
    const result = { tally, outcome: decide(tally) };
    const closed = await this.deps.polls.closePoll(poll.doc._id, { closedBy, closedAt, result });
    const doc = closed
      ? { ...poll.doc, state: 'closed' as const, closedBy, closedAt, result }
      : await this.reread(poll);
    poll.doc = doc;
    poll.tally = doc.result?.tally ?? tally;
    if (poll.tallyTimer) clearTimeout(poll.tallyTimer);
    poll.tallyTimer = null;
    const view = presentPoll(poll.doc, poll.tally);
    this.deps.io.to(this.channel).emit('poll:closed', { seq: this.nextSeq(), poll: view });
    return view;
  }

  private async reread(poll: PollRuntime): Promise<PollDoc> {
    const doc = await this.deps.polls.getPoll(poll.doc._id);
    if (!doc) throw new AppError('NOT_FOUND', `Poll ${poll.doc._id} vanished.`);
    return doc;
  }

  /** Stops timers; the room can be dropped afterwards. */
  dispose(): void {
    for (const p of this.polls.values()) if (p.tallyTimer) clearTimeout(p.tallyTimer);
  }
}
