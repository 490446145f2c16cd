import { randomUUID } from 'node:crypto';
import {
  acceptsBallots,
  addToPollTally,
  type BallotContent,
  type BallotReceipt,
  emptyPollTally,
  evaluatePoll,
  limits,
  liveTallyShown,
  mayVote,
  type PaperBatchReceipt,
  type PollSettings,
  type PollTally,
  type PollView,
  pollTransition,
  type SessionRole,
  validateBallot,
} from '@yitang/shared';
import { AppError } from '../errors';
import type { PollDoc } from './poll.model';
import type { PollRepository, StoredBallot } from './poll.repository';

interface PollRuntime {
  doc: PollDoc;
  /** Live tally (named polls); for secret polls, the sums kept in step with the stored ones. */
  tally: PollTally;
  /** Who has voted, with their ballot's id: a re-send is answered from here, without a read. */
  voters: Map<string, { ballotId: string; paper: boolean }>;
  /** Voters added since the last tally frame. */
  votersAdded: string[];
  /** Set once a close has begun: later ballots are refused with POLL_CLOSED. */
  closing: Promise<PollView> | null;
  /** Ballot writes in flight; a close waits for them so every acknowledged ballot is counted. */
  inflight: Set<Promise<unknown>>;
  frameTimer: NodeJS.Timeout | null;
  /** A frame is due and waits for the room's earlier broadcasts to go out. */
  frameWaiting: boolean;
  /** When the last tally frame went out (`performance.now()`). */
  lastFrameAt: number;
  /**
   * Paper batches of this poll, one after the other: each checks the allowance against the
   * count the one before it left, so two desks entering at once cannot pass it together.
   */
  paperQueue: Promise<unknown>;
  /** Ballots of the paper batch being written (the cap counts them before they are stored). */
  paperReserved: number;
  /** Hall voters whose online ballot is being written (the cap counts them as voted). */
  hallReserved: Set<string>;
}

export interface Voter {
  memberId: string;
  role: SessionRole;
}

export interface PollBookDeps {
  sessionId: string;
  repo: PollRepository;
  /**
   * Broadcast a sequenced change of one poll. `view` is the whole poll; `unannounced` the voters
   * no tally frame has named yet, the only ones the room needs told (docs/performance.md, "A
   * poll's close names only the voters no frame named").
   */
  pollChanged: (view: PollView, unannounced: string[]) => void;
  /** Broadcast a coalesced tally frame (not sequenced). */
  tallyFrame: (frame: { pollId: string; ballots: number; tally: PollTally | null; votersAdded: string[] }) => void;
  /**
   * While the room's earlier broadcasts are still going out, a promise of when they have; null
   * when none is. A frame due meanwhile waits for it and then carries every voter added so far,
   * so frames to a big room on a slow node merge instead of queueing up one behind another.
   */
  broadcastsPending?: () => Promise<void> | null;
  /** Who is present now, with their roles: the electorate for quorum and "of present" majorities. */
  presentRoles: () => SessionRole[];
}

/**
 * The polls of one live room: lifecycle (draft → open → closed → published), ballots with
 * one-voter-one-ballot kept by the database key, live tallies coalesced per poll, and results
 * evaluated by the shared engine from the stored ballots.
 */
export class PollBook {
  private readonly polls = new Map<string, PollRuntime>();
  /** Set by `dispose`: a ballot whose write was under way then schedules no more frames. */
  private disposed = false;

  constructor(private readonly deps: PollBookDeps) {}

  /** Rebuilds every poll of the session from MongoDB. */
  async load(): Promise<void> {
    for (const doc of await this.deps.repo.listForSession(this.deps.sessionId)) {
      const secret = doc.settings.secret;
      // A closed secret poll whose close died before removing the sealed contents: remove them.
      if (secret && doc.tally && !doc.sealsRemoved) await this.deps.repo.removeSeals(doc._id);
      const tally =
        doc.tally ??
        (secret
          ? await this.countSecret(doc.settings, doc._id)
          : await this.deps.repo.countNamed(doc.settings, doc._id));
      const voters = await this.deps.repo.voters(doc._id, secret);
      this.polls.set(
        doc._id,
        this.runtime(doc, tally, new Map(voters.map((v) => [v.voterId, { ballotId: v.ballotId, paper: v.paper }]))),
      );
    }
  }

  /** A secret poll's sums from its stored ballots: the sealed ones opened, over any sums from before sealing. */
  private async countSecret(settings: PollSettings, pollId: string): Promise<PollTally> {
    let tally = (await this.deps.repo.legacySecretTally(pollId)) ?? addNothing(settings);
    for (const content of await this.deps.repo.openSealed(settings, pollId)) {
      tally = addToPollTally(settings, tally, content);
    }
    for (const content of await this.deps.repo.openPaperBatches(settings, pollId)) {
      tally = addToPollTally(settings, tally, content);
    }
    return tally;
  }

  private runtime(doc: PollDoc, tally: PollTally, voters: PollRuntime['voters']): PollRuntime {
    return {
      doc,
      tally,
      voters,
      votersAdded: [],
      closing: null,
      inflight: new Set(),
      frameTimer: null,
      frameWaiting: false,
      lastFrameAt: 0,
      paperQueue: Promise.resolve(),
      paperReserved: 0,
      hallReserved: new Set(),
    };
  }

  view(rt: PollRuntime): PollView {
    const d = rt.doc;
    const hideTally = !liveTallyShown(d.settings) && (d.stage === 'open' || d.stage === 'draft');
    return {
      id: d._id,
      sessionId: d.sessionId,
      itemId: d.itemId ?? null,
      settings: d.settings,
      stage: d.stage,
      tally: hideTally ? null : (d.tally ?? rt.tally),
      ballots: (d.tally ?? rt.tally).ballots,
      voters: [...rt.voters.keys()],
      paperBallots: d.paperCount ?? 0,
      presentElectorate: d.presentElectorate ?? null,
      result: d.result ?? null,
      openedAt: d.openedAt ? d.openedAt.toISOString() : null,
      closedAt: d.closedAt ? d.closedAt.toISOString() : null,
      publishedAt: d.publishedAt ? d.publishedAt.toISOString() : null,
    };
  }

  views(): PollView[] {
    return [...this.polls.values()].map((rt) => this.view(rt));
  }

  ids(): string[] {
    return [...this.polls.keys()];
  }

  /** The polls whose counted ballots include one of this voter's: the only ones a join reads ballots of. */
  votedIn(voterId: string): string[] {
    return [...this.polls.values()].filter((rt) => rt.voters.has(voterId)).map((rt) => rt.doc._id);
  }

  openPollIds(): string[] {
    return [...this.polls.values()].filter((p) => p.doc.stage === 'open').map((p) => p.doc._id);
  }

  private require(pollId: string): PollRuntime {
    const rt = this.polls.get(pollId);
    if (!rt) throw new AppError('NOT_FOUND', `No poll ${pollId} in this session.`);
    return rt;
  }

  private step(rt: PollRuntime, action: 'open' | 'close' | 'publish' | 'edit') {
    const t = pollTransition(rt.doc.stage, action);
    if (!t.ok) throw new AppError('ILLEGAL_TRANSITION', `A ${rt.doc.stage} poll cannot ${action}.`);
    return t.stage;
  }

  async create(createdBy: string, settings: PollSettings, itemId: string | null): Promise<PollView> {
    const doc: PollDoc = {
      _id: `p-${randomUUID()}`,
      sessionId: this.deps.sessionId,
      itemId,
      settings,
      stage: 'draft',
      createdBy,
      createdAt: new Date(),
      openedAt: null,
      closedAt: null,
      publishedAt: null,
      presentElectorate: null,
      tally: null,
      result: null,
    };
    await this.deps.repo.insertPoll(doc);
    const rt = this.runtime(doc, addNothing(settings), new Map());
    this.polls.set(doc._id, rt);
    return this.changed(rt);
  }

  /** Settings change only while the poll is a draft; from open on they are frozen. */
  async update(pollId: string, settings: PollSettings): Promise<PollView> {
    const rt = this.require(pollId);
    this.step(rt, 'edit');
    if (!(await this.deps.repo.updateDraft(pollId, settings, rt.doc.itemId))) {
      throw new AppError('ILLEGAL_TRANSITION', 'The poll is not a draft any more.');
    }
    rt.doc = { ...rt.doc, settings };
    rt.tally = addNothing(settings);
    return this.changed(rt);
  }

  async open(pollId: string): Promise<PollView> {
    const rt = this.require(pollId);
    const stage = this.step(rt, 'open');
    const openedAt = new Date();
    if (!(await this.deps.repo.transition(pollId, 'draft', { stage, openedAt }))) {
      throw new AppError('ILLEGAL_TRANSITION', 'The poll is not a draft any more.');
    }
    rt.doc = { ...rt.doc, stage, openedAt };
    return this.changed(rt);
  }

  async publish(pollId: string): Promise<PollView> {
    const rt = this.require(pollId);
    const stage = this.step(rt, 'publish');
    const publishedAt = new Date();
    if (!(await this.deps.repo.transition(pollId, 'closed', { stage, publishedAt }))) {
      throw new AppError('ILLEGAL_TRANSITION', 'The poll is not closed.');
    }
    rt.doc = { ...rt.doc, stage, publishedAt };
    return this.changed(rt);
  }

  /**
   * Casts a ballot for `voter` (online, or a paper ballot entered by staff). Eligibility is the
   * poll's electorate; content is checked against the frozen settings. The database key decides
   * "one voter, one ballot"; a re-send (same ballotId) gets the same receipt, also after close.
   */
  async cast(
    pollId: string,
    voter: Voter,
    ballot: { ballotId: string; content: BallotContent },
    paper: { enteredBy: string } | null,
    hall?: () => Voter[],
  ): Promise<BallotReceipt> {
    const rt = this.require(pollId);
    const { settings } = rt.doc;
    const receipt: BallotReceipt = { pollId, ballotId: ballot.ballotId, paper: paper !== null };
    const sameBallot = (b: StoredBallot | null) =>
      b !== null && b.ballotId === ballot.ballotId && b.voterId === voter.memberId;

    if (rt.closing || !acceptsBallots(rt.doc.stage)) {
      const stored = await this.deps.repo.findBallot(pollId, voter.memberId, settings.secret);
      if (sameBallot(stored)) return { ...receipt, paper: stored?.paper ?? false };
      throw new AppError(
        rt.doc.stage === 'draft' ? 'POLL_NOT_OPEN' : 'POLL_CLOSED',
        'This poll is not taking ballots.',
      );
    }
    // A secret poll's paper ballots are anonymous batches (`castPaperBatch`): one entered for a
    // named member would tie that member to a paper ballot whose content the desk saw.
    if (paper && settings.secret) {
      throw new AppError('BAD_REQUEST', 'Secret polls take paper ballots as anonymous batches (vote:paperBatch).');
    }
    if (!mayVote(settings, voter.role)) throw new AppError('NOT_ELIGIBLE', 'Your role does not vote in this poll.');
    const check = validateBallot(settings, ballot.content);
    if (!check.ok) throw new AppError('INVALID_BALLOT', `Ballot refused: ${check.reason}.`);

    const reserved = hall && !paper ? this.reserveHallPlace(rt, voter.memberId, hall) : false;
    const write = this.write(rt, voter.memberId, ballot, paper);
    rt.inflight.add(write);
    try {
      return await write.then((r) => ({ ...receipt, paper: r.paper }));
    } finally {
      rt.inflight.delete(write);
      if (reserved) rt.hallReserved.delete(voter.memberId);
    }
  }

  /**
   * An online ballot from someone checked in at the hall, in a secret poll with paper ballots:
   * it takes a hall place, so it is refused when paper ballots already fill every place (the
   * paper count must stay within the hall voters without an online ballot; the batches have no
   * names, so theirs is taken to be among them). Checked and reserved in one synchronous step,
   * like a batch's check (`writeBatch`), so neither can slip past the other. True: reserved.
   */
  private reserveHallPlace(rt: PollRuntime, memberId: string, hall: () => Voter[]): boolean {
    const { settings } = rt.doc;
    const paper = (rt.doc.paperCount ?? 0) + rt.paperReserved;
    if (!settings.secret || paper === 0 || rt.voters.has(memberId) || rt.hallReserved.has(memberId)) return false;
    const places = this.hallPlaces(rt, hall());
    if (!places.has(memberId)) return false;
    if (paper > places.size - 1) {
      throw new AppError(
        'ALREADY_VOTED',
        'Every voter checked in at the hall without an online ballot has a paper ballot already.',
      );
    }
    rt.hallReserved.add(memberId);
    return true;
  }

  /** The hall voters of the poll's electorate without a ballot, stored or being written. */
  private hallPlaces(rt: PollRuntime, hall: Voter[]): Set<string> {
    return new Set(
      hall
        .filter(
          (v) => mayVote(rt.doc.settings, v.role) && !rt.voters.has(v.memberId) && !rt.hallReserved.has(v.memberId),
        )
        .map((v) => v.memberId),
    );
  }

  /**
   * Stores a batch of a secret poll's paper ballots, entered by staff with no voter. The cap:
   * the paper ballots of the poll may not exceed the voters checked in at the hall now (`hall`,
   * those of the poll's electorate) less those of them who have a ballot of their own. "Now"
   * rather than at the open, since people arriving after the open vote on paper too; a check-in
   * is not undone, so the allowance only grows by arrivals and shrinks by ballots.
   */
  async castPaperBatch(
    pollId: string,
    enteredBy: string,
    batch: { batchId: string; entries: Array<{ content: BallotContent; count: number }> },
    hall: () => Voter[],
  ): Promise<PaperBatchReceipt> {
    const rt = this.require(pollId);
    const { settings } = rt.doc;
    if (!settings.secret) {
      throw new AppError('BAD_REQUEST', 'Named polls take paper ballots one per member (vote:paper).');
    }
    const known = this.knownBatch(rt, batch.batchId);
    if (known) return known;
    const contents: BallotContent[] = [];
    for (const { content, count } of batch.entries) {
      const check = validateBallot(settings, content);
      if (!check.ok) throw new AppError('INVALID_BALLOT', `Ballot refused: ${check.reason}.`);
      for (let i = 0; i < count; i += 1) contents.push(content);
    }
    const write = rt.paperQueue.then(() => this.writeBatch(rt, enteredBy, batch.batchId, contents, hall));
    // The next batch waits for this one, whether it was stored or refused.
    rt.paperQueue = write.catch(() => undefined);
    rt.inflight.add(write);
    try {
      return await write;
    } finally {
      rt.inflight.delete(write);
    }
  }

  private knownBatch(rt: PollRuntime, batchId: string): PaperBatchReceipt | null {
    const b = rt.doc.paperBatches?.find((x) => x.batchId === batchId);
    return b ? { pollId: rt.doc._id, batchId, count: b.count, paperCount: rt.doc.paperCount ?? 0 } : null;
  }

  private async writeBatch(
    rt: PollRuntime,
    enteredBy: string,
    batchId: string,
    contents: BallotContent[],
    hall: () => Voter[],
  ): Promise<PaperBatchReceipt> {
    // Again, now that the batches before it are done: one of them may have been this one.
    const known = this.knownBatch(rt, batchId);
    if (known) return known;
    if (rt.closing || !acceptsBallots(rt.doc.stage)) {
      throw new AppError(
        rt.doc.stage === 'draft' ? 'POLL_NOT_OPEN' : 'POLL_CLOSED',
        'This poll is not taking ballots.',
      );
    }
    const { settings } = rt.doc;
    const pollId = rt.doc._id;
    const maxPaper = this.hallPlaces(rt, hall()).size;
    const paperCount = rt.doc.paperCount ?? 0;
    if (paperCount + contents.length > maxPaper) {
      const left = Math.max(0, maxPaper - paperCount);
      throw new AppError(
        'PAPER_LIMIT',
        `Only ${left} paper ballot(s) remain: ${maxPaper} checked in at the hall without an online ballot, ${paperCount} entered.`,
      );
    }
    // Reserved from this synchronous check until stored or refused: an online ballot of a hall
    // voter arriving meanwhile counts it (`reserveHallPlace`).
    rt.paperReserved = contents.length;
    let stored: Awaited<ReturnType<PollRepository['addPaperBatch']>>;
    try {
      stored = await this.deps.repo.addPaperBatch(settings, pollId, { batchId, contents, enteredBy }, maxPaper);
    } finally {
      // Released in the same step that counts a stored batch below, so no check sees neither.
      rt.paperReserved = 0;
    }
    if (!stored) {
      // The poll's document refused it: it closed meanwhile, or holds more than this room knew.
      const fresh = await this.deps.repo.getPoll(pollId);
      const there = fresh?.paperBatches?.find((b) => b.batchId === batchId);
      if (fresh && there) return { pollId, batchId, count: there.count, paperCount: fresh.paperCount ?? 0 };
      if (fresh?.stage !== 'open') throw new AppError('POLL_CLOSED', 'This poll is not taking ballots.');
      throw new AppError(
        'PAPER_LIMIT',
        `Only ${Math.max(0, maxPaper - (fresh.paperCount ?? 0))} paper ballot(s) remain.`,
      );
    }
    rt.doc = {
      ...rt.doc,
      paperCount: paperCount + stored.count,
      paperBatches: [...(rt.doc.paperBatches ?? []), stored],
    };
    for (const content of contents) rt.tally = addToPollTally(settings, rt.tally, content);
    // Every desk's allowance changes with the paper count: a sequenced update (a secret poll's
    // view has no tally while open), not a coalesced frame.
    this.changed(rt);
    return { pollId, batchId, count: stored.count, paperCount: paperCount + stored.count };
  }

  private async write(
    rt: PollRuntime,
    voterId: string,
    ballot: { ballotId: string; content: BallotContent },
    paper: { enteredBy: string } | null,
  ): Promise<{ paper: boolean }> {
    const { settings } = rt.doc;
    const pollId = rt.doc._id;
    const isPaper = paper !== null;
    const mine = rt.voters.get(voterId);
    if (mine) {
      // Already counted (a re-send, or a second ballot): answered from memory, with no write
      // the database would refuse (it slows the whole insert batch) and no read (FerretDB
      // scans the collection for it).
      return this.refusal({ ...mine, voterId, content: null }, voterId, ballot.ballotId);
    }
    // Either way one insert holds the whole ballot, so once it is stored it is counted: named,
    // in the clear; secret, the voter mark with the content sealed (see ballot-seal.ts).
    const res = settings.secret
      ? await this.deps.repo.castSecret(settings, pollId, voterId, { ...ballot, enteredBy: paper?.enteredBy ?? null })
      : await this.deps.repo.castNamed(pollId, {
          ballotId: ballot.ballotId,
          voterId,
          content: ballot.content,
          paper: isPaper,
          enteredBy: paper?.enteredBy ?? null,
          castAt: new Date(),
        });
    if (!res.stored) return this.refusal(res.existing, voterId, ballot.ballotId);
    rt.tally = addToPollTally(settings, rt.tally, ballot.content);
    this.counted(rt, voterId, ballot.ballotId, isPaper);
    return { paper: isPaper };
  }

  private refusal(existing: StoredBallot | null, voterId: string, ballotId: string): { paper: boolean } {
    if (existing && existing.voterId === voterId && existing.ballotId === ballotId) return { paper: existing.paper };
    if (existing && existing.voterId === voterId) throw new AppError('ALREADY_VOTED', 'Already voted in this poll.');
    throw new AppError('BALLOT_ID_REUSED', 'This ballot id belongs to another ballot.');
  }

  private counted(rt: PollRuntime, voterId: string, ballotId: string, paper: boolean): void {
    rt.voters.set(voterId, { ballotId, paper });
    rt.votersAdded.push(voterId);
    this.scheduleFrame(rt);
  }

  /** Sends at most `tallyFramesPerSecond` frames per poll; a secret poll's frames carry no tally. */
  private scheduleFrame(rt: PollRuntime): void {
    if (rt.frameTimer || rt.frameWaiting || this.disposed) return;
    const interval = 1000 / limits.tallyFramesPerSecond;
    const wait = Math.max(0, rt.lastFrameAt + interval - performance.now());
    rt.frameTimer = setTimeout(() => {
      rt.frameTimer = null;
      // A timer armed late in a long turn of the event loop counts from the turn's start, so it
      // can fire before the interval has passed: then it waits out the rest.
      if (performance.now() < rt.lastFrameAt + interval) {
        this.scheduleFrame(rt);
        return;
      }
      const pending = this.deps.broadcastsPending?.() ?? null;
      if (!pending) {
        this.sendFrame(rt);
        return;
      }
      rt.frameWaiting = true;
      void pending.then(() => {
        rt.frameWaiting = false;
        if (!this.disposed) this.sendFrame(rt);
      });
    }, wait);
  }

  private sendFrame(rt: PollRuntime): void {
    rt.lastFrameAt = performance.now();
    // A closed poll sends no frame, and its voters stay for the close's change to name: a frame
    // due while a secret poll's close removes the seals would otherwise take them and tell nobody.
    if (rt.doc.stage !== 'open') return;
    const votersAdded = rt.votersAdded.splice(0);
    this.deps.tallyFrame({
      pollId: rt.doc._id,
      ballots: rt.tally.ballots,
      tally: liveTallyShown(rt.doc.settings) ? rt.tally : null,
      votersAdded,
    });
  }

  async close(pollId: string): Promise<PollView> {
    const rt = this.require(pollId);
    if (rt.doc.stage === 'closed' || rt.doc.stage === 'published') return this.view(rt);
    this.step(rt, 'close');
    rt.closing ??= this.finishClose(rt).catch((err: unknown) => {
      // A failed close leaves the poll open, so a later close can try again.
      rt.closing = null;
      throw err;
    });
    return rt.closing;
  }

  private async finishClose(rt: PollRuntime): Promise<PollView> {
    // Every ballot's write, its secret sums included, is in `inflight` until it is answered.
    await Promise.allSettled([...rt.inflight]);
    const { settings } = rt.doc;
    const pollId = rt.doc._id;
    // The stored ballots are the truth; the live tally only mirrors them.
    const tally = settings.secret
      ? await this.countSecret(settings, pollId)
      : await this.deps.repo.countNamed(settings, pollId);
    const presentElectorate = Math.max(this.deps.presentRoles().filter((role) => mayVote(settings, role)).length, 0);
    const result = evaluatePoll(settings, tally, { presentElectorate });
    const closedAt = new Date();
    const patch = { stage: 'closed' as const, closedAt, tally, result, presentElectorate };
    if (!(await this.deps.repo.transition(pollId, 'open', patch))) {
      const fresh = await this.deps.repo.getPoll(pollId);
      if (!fresh) throw new AppError('NOT_FOUND', `Poll ${pollId} vanished.`);
      rt.doc = fresh;
    } else {
      rt.doc = { ...rt.doc, ...patch };
    }
    // The sums are stored once, for every ballot at once: now the sealed contents can go, so the
    // record of a closed secret poll is who voted and the sums, nothing more.
    if (settings.secret && !rt.doc.sealsRemoved) {
      const paperBatches = await this.deps.repo.removeSeals(pollId);
      rt.doc = { ...rt.doc, sealsRemoved: true, paperBatches };
    }
    rt.tally = rt.doc.tally ?? tally;
    if (rt.frameTimer) clearTimeout(rt.frameTimer);
    rt.frameTimer = null;
    return this.changed(rt);
  }

  /**
   * Tells the room a poll changed. The voters added since the last tally frame go with the change
   * and no later frame names them: the change is broadcast in the same order as the frames, so
   * every socket of the room has been told each voter exactly once since it joined (its snapshot
   * lists those before). Returns the whole view.
   */
  private changed(rt: PollRuntime): PollView {
    const view = this.view(rt);
    this.deps.pollChanged(view, rt.votersAdded.splice(0));
    return view;
  }

  dispose(): void {
    this.disposed = true;
    for (const rt of this.polls.values()) if (rt.frameTimer) clearTimeout(rt.frameTimer);
  }
}

const addNothing = (settings: PollSettings): PollTally => emptyPollTally(settings);
