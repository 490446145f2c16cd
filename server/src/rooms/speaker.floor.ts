import {
  endTurn,
  grantFloor,
  lowerHand,
  type QueueResult,
  raiseHand,
  reorderQueue,
  type SpeakerQueue,
} from '@yitang/shared';
import { AppError } from '../errors';
import type { Serial } from '../lib/serial';
import type { Logger } from '../logger';
import type { RoomNotice } from '../minutes/minutes.writer';
import type { Actor } from './live-room';
import type { PresenceBook } from './presence.book';
import type { RoomBroadcast } from './room.broadcast';
import type { SessionDoc, SpeakingRecordDoc } from './room.model';
import type { RoomRepository } from './room.repository';

type Speaker = NonNullable<SpeakerQueue['speaker']>;

export interface SpeakerFloorDeps {
  sessionId: string;
  rooms: RoomRepository;
  logger: Logger;
  /** The room's serial queue: every change of the floor is one of the room's session writes. */
  serial: Serial;
  /** The session as the room holds it now (speakers, time limit, current item, state). */
  session: () => SessionDoc;
  /** Writes the queue to the session document (inside `serial`) and updates the room's copy. */
  patch: (patch: { speakers: SpeakerQueue }) => Promise<void>;
  /** True while the session is closing: the floor takes no new turns. */
  closing: () => boolean;
  /** True once the room is gone from this process: no countdown runs. */
  disposed: () => boolean;
  /** Who is here: only they take the floor, and the speaker and queue are listed in a big room. */
  presence: PresenceBook;
  isMuted: (memberId: string) => boolean;
  /** Tells the minutes of a finished turn. */
  tell: (notice: RoomNotice) => void;
  nameOf: (memberId: string) => Promise<string>;
  broadcast: RoomBroadcast;
  /** Numbers the room's next frame. */
  nextSeq: () => number;
  /** Told after each change of the floor (the media server's publishers follow it). */
  floorChanged?: () => void;
}

/**
 * The speaker floor of one live room: the queue of raised hands (points of order first), the
 * current turn with its server-kept countdown, and the speaking record each turn leaves. The pure
 * rules are in shared/src/speakers.ts; the live room holds the floor and shares its serial queue
 * with it, so a turn never interleaves with another change of the session.
 */
export class SpeakerFloor {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: SpeakerFloorDeps) {}

  private get speakers(): SpeakerQueue {
    return this.deps.session().speakers;
  }

  /** Whether the server's countdown for the current turn is running here. */
  get timerArmed(): boolean {
    return this.timer !== null;
  }

  /** Tells everyone the queue and the speaker as they are now. */
  emit(): void {
    this.deps.presence.stageMoved(stageOf(this.speakers));
    this.deps.broadcast.emit('speakers:updated', {
      seq: this.deps.nextSeq(),
      speakers: this.speakers,
      serverNow: new Date().toISOString(),
    });
    this.deps.floorChanged?.();
  }

  private change(fn: (s: SpeakerQueue) => SpeakerQueue | QueueResult): Promise<SpeakerQueue> {
    return this.deps.serial.run(async () => {
      if (this.deps.closing()) throw new AppError('SESSION_CLOSED', 'The session is closing.');
      const next = queueOutcome(fn(this.speakers));
      await this.deps.patch({ speakers: next });
      this.arm();
      this.emit();
      return next;
    });
  }

  raiseHand(memberId: string, pointOfOrder: boolean): Promise<SpeakerQueue> {
    return this.change((s) => {
      if (s.speaker?.memberId === memberId) throw new AppError('BAD_REQUEST', 'You have the floor already.');
      return raiseHand(s, memberId, pointOfOrder, new Date().toISOString());
    });
  }

  lowerHand(memberId: string): Promise<SpeakerQueue> {
    return this.change((s) => lowerHand(s, memberId));
  }

  reorderQueue(memberIds: string[]): Promise<SpeakerQueue> {
    return this.change((s) => reorderQueue(s, memberIds));
  }

  removeFromQueue(memberId: string): Promise<SpeakerQueue> {
    return this.change((s) => {
      if (!s.queue.some((q) => q.memberId === memberId)) throw new AppError('NOT_FOUND', 'Not in the queue.');
      return lowerHand(s, memberId);
    });
  }

  /** Gives the floor (ending and recording any current turn); the server owns the countdown. */
  grant(memberId: string | null): Promise<SpeakerQueue> {
    return this.deps.serial.run(async () => {
      if (this.deps.closing()) throw new AppError('SESSION_CLOSED', 'The session is closing.');
      if (memberId && !this.deps.presence.has(memberId))
        throw new AppError('NOT_FOUND', 'That participant is not here.');
      if (memberId && this.deps.isMuted(memberId)) throw new AppError('MUTED', 'That participant is muted.');
      const now = new Date();
      const ended = await this.recordTurn(now);
      const session = this.deps.session();
      const endsAt = new Date(now.getTime() + session.speakerLimitSeconds * 1000);
      const granted = grantFloor(ended, memberId, {
        itemId: session.currentItemId,
        startedAt: now.toISOString(),
        endsAt: endsAt.toISOString(),
      });
      if (!granted.ok) throw new AppError('NOT_FOUND', 'Nobody to give the floor to.');
      await this.deps.patch({ speakers: granted.speakers });
      this.arm();
      this.emit();
      return granted.speakers;
    });
  }

  /** Ends the current turn: by a convener, by the speaker, or by the server when time is up. */
  endSpeech(actor: Actor | null): Promise<SpeakerQueue> {
    return this.deps.serial.run(async () => {
      const speaker = this.speakers.speaker;
      if (!speaker) throw new AppError('NOT_FOUND', 'Nobody has the floor.');
      if (actor && actor.member.id !== speaker.memberId && !['firstConvener', 'secondConvener'].includes(actor.role)) {
        throw new AppError('NOT_SPEAKER', 'Only the speaker or a convener ends a turn.');
      }
      await this.finishTurn(new Date());
      return this.speakers;
    });
  }

  /** Records the current turn (if any) and returns the queue without a speaker. Not persisted. */
  private async recordTurn(now: Date): Promise<SpeakerQueue> {
    const speaker = this.speakers.speaker;
    if (!speaker) return this.speakers;
    const record = turnRecord(this.deps.sessionId, speaker, now);
    await this.deps.rooms.recordSpeech(record);
    this.deps.tell({
      type: 'speech',
      sessionId: this.deps.sessionId,
      itemId: speaker.itemId,
      memberId: speaker.memberId,
      name: this.deps.presence.entry(speaker.memberId)?.name ?? (await this.deps.nameOf(speaker.memberId)),
      startedAt: speaker.startedAt,
      durationSeconds: record.durationSeconds,
      pointOfOrder: record.pointOfOrder,
    });
    return endTurn(this.speakers);
  }

  /** Ends and records the current turn, if any. Runs inside the room's serial queue. */
  async finishTurn(now: Date): Promise<void> {
    if (!this.speakers.speaker) return;
    const next = await this.recordTurn(now);
    await this.deps.patch({ speakers: next });
    this.arm();
    this.emit();
  }

  /** (Re)starts the countdown of the current turn, if there is one in a live session. */
  arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const speaker = this.speakers.speaker;
    if (!speaker || this.deps.session().state !== 'live' || this.deps.disposed()) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        void this.deps.serial
          .run(async () => {
            if (this.speakers.speaker?.startedAt === speaker.startedAt) await this.finishTurn(new Date());
          })
          .catch((err: unknown) =>
            this.deps.logger.error({ err, sessionId: this.deps.sessionId }, 'ending a turn failed'),
          );
      },
      turnTimeLeft(speaker, Date.now()),
    );
    this.timer.unref();
  }

  /** Stops the countdown for good (the room is gone from this process). */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** The speaker and the queue's members. */
export function stageOf(speakers: SpeakerQueue): Set<string> {
  const ids = new Set(speakers.queue.map((q) => q.memberId));
  if (speakers.speaker) ids.add(speakers.speaker.memberId);
  return ids;
}

/**
 * The speaking record a turn leaves when it ends at `now`: it lasts until `now` or until its time
 * was up, whichever came first, in whole seconds (never below zero). One record per turn: its id
 * is the session, the speaker and the turn's start.
 */
export function turnRecord(sessionId: string, speaker: Speaker, now: Date): SpeakingRecordDoc {
  const startedAt = new Date(speaker.startedAt);
  const endedAt = new Date(Math.min(now.getTime(), new Date(speaker.endsAt).getTime()));
  return {
    _id: `${sessionId}:${speaker.memberId}:${speaker.startedAt}`,
    sessionId,
    memberId: speaker.memberId,
    itemId: speaker.itemId,
    startedAt,
    durationSeconds: Math.max(0, Math.round((endedAt.getTime() - startedAt.getTime()) / 1000)),
    pointOfOrder: speaker.pointOfOrder ?? false,
  };
}

/** Milliseconds until the turn's time is up at `now` (0 if it already is). */
export function turnTimeLeft(speaker: Speaker, now: number): number {
  return Math.max(0, new Date(speaker.endsAt).getTime() - now);
}

/** The queue a rule gave, or the error it refused with as an AppError. */
export function queueOutcome(out: SpeakerQueue | QueueResult): SpeakerQueue {
  if (!('ok' in out)) return out;
  if (out.ok) return out.speakers;
  throw new AppError(out.error, out.error === 'NOT_FOUND' ? 'Not in the queue.' : 'The queue cannot change that way.');
}
