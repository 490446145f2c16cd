/** Bench data written straight into the database: members, sign-in sessions, live sessions. */
import type { SessionRole } from '@yitang/shared';
import { createAuthService, SESSION_COOKIE } from '../../src/auth/auth.service';
import { type Models, rawCollection } from '../../src/db/models';
import type { MemberDoc } from '../../src/members/member.model';
import { createMemberService } from '../../src/members/member.service';
import { type SessionDoc, sessionYear } from '../../src/rooms/room.model';

export interface Person {
  memberId: string;
  /** The Cookie header of a real sign-in session. */
  cookie: string;
}

/** `n` committee members `${prefix}-00001`…, each signed in through the auth service. */
export async function signedInMembers(models: Models, prefix: string, n: number, kind: MemberDoc['kind'] = 'member') {
  const docs: MemberDoc[] = Array.from({ length: n }, (_, i) => ({
    _id: `${prefix}-${String(i + 1).padStart(5, '0')}`,
    committeeId: 'bench',
    name: `委员${i + 1}`,
    kind,
    sectorId: null,
    title: '',
    expertise: [],
  }));
  const members = rawCollection(models.Member);
  for (let i = 0; i < docs.length; i += 1000) await members.insertMany(docs.slice(i, i + 1000));
  const auth = createAuthService(models, createMemberService(models));
  const people: Person[] = [];
  let next = 0;
  const worker = async () => {
    while (next < docs.length) {
      const doc = docs[next++];
      if (!doc) break;
      people.push({ memberId: doc._id, cookie: `${SESSION_COOKIE}=${await auth.startSession(doc._id)}` });
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return people.sort((a, b) => a.memberId.localeCompare(b.memberId));
}

/** A live plenary session chaired by `convenerId`, with extra roles (e.g. recorders for the minutes). */
export async function liveSession(
  models: Models,
  id: string,
  convenerId: string,
  roles: Array<{ memberId: string; role: SessionRole }> = [],
): Promise<void> {
  const now = new Date();
  const doc: SessionDoc = {
    _id: id,
    topic: '性能测试议题',
    roomId: 'bench-room',
    scheduledAt: now,
    year: sessionYear(now),
    // A plenary: every committee member may enter (the bench's participants are members with no
    // invitation; since sessions have a membership a closed session admits only its roles).
    openToAll: true,
    mode: 'online',
    state: 'live',
    firstConvenerId: convenerId,
    secondConvenerId: null,
    roles,
    agenda: [],
    currentItemId: null,
    currentItemStartedAt: null,
    locked: false,
    speakerLimitSeconds: 180,
    speakers: { queue: [], speaker: null },
    muted: [],
    removed: [],
    hallCode: '000000',
    startedAt: now,
    closedAt: null,
  };
  await rawCollection(models.Session).insertOne(doc);
}

/** Splits `items` into `parts` nearly equal slices. */
export function split<T>(items: T[], parts: number): T[][] {
  const out: T[][] = Array.from({ length: parts }, () => []);
  items.forEach((item, i) => {
    out[i % parts]?.push(item);
  });
  return out;
}

/** The value at quantile `q` (0…1) of the samples. */
export function quantile(samples: number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}
