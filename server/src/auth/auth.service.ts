import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import {
  type CreatedInvitation,
  type CreateInvitationBody,
  type InvitationView,
  limits,
  type MemberView,
} from '@yitang/shared';
import { parse as parseCookie } from 'cookie';
import { type Models, rawCollection, trusted } from '../db/models';
import { writeEpoch } from '../db/write-epochs';
import { AppError } from '../errors';
import { Serial } from '../lib/serial';
import { memberWrites } from '../members/member.model';
import { createMemberRecords, type MemberService } from '../members/member.service';
import { type CredentialDoc, type InvitationDoc, signInWrites } from './auth.model';
import { type CachedSignIn, type ReadMark, SignInCache } from './sign-in-cache';

export const SESSION_COOKIE = 'yitang_session';

/**
 * How stale `lastSeenAt` may get before a use writes it again (a tiny part of the idle limit);
 * also how often a live socket's work, and an open socket, touch the sign-in (auth/activity.ts).
 */
export const touchEveryMs = 60_000;

/** Sign-ins (and as many members) the handshake's copy keeps on each node. */
const signInsCopied = 50_000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');
const newToken = () => randomBytes(32).toString('base64url');

/** Reads the session token from a Cookie header, if any. */
export function tokenFromCookieHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  return parseCookie(header)[SESSION_COOKIE] || undefined;
}

/** Hashes a password with argon2id (the library's defaults: 19 MiB, 2 passes). */
export const hashPassword = (password: string) => hash(password);

export function presentInvitation(i: InvitationDoc): InvitationView {
  return {
    id: i._id,
    sessionId: i.sessionId,
    role: i.role,
    name: i.name,
    expiresAt: i.expiresAt.toISOString(),
    revokedAt: i.revokedAt ? i.revokedAt.toISOString() : null,
    acceptedBy: i.acceptedBy ?? null,
  };
}

/**
 * Sign-in sessions stored in MongoDB (password, demo identity, or an accepted invitation). The
 * same token authenticates REST, the Socket.IO handshake and the minutes socket.
 */
export function createAuthService(models: Models, members: MemberService) {
  const records = createMemberRecords(models);
  const accepting = new Serial();
  /** A hash of a random string: verifying against it spends the same time on an unknown name. */
  let dummyHash: Promise<string> | null = null;
  const conn = models.AuthSession.db;
  /** The handshake's copy of the sign-ins and member views (see `handshake`). */
  const cache = new SignInCache(
    { signIns: () => writeEpoch(conn, signInWrites), views: () => writeEpoch(conn, memberWrites) },
    { max: signInsCopied },
  );
  /** The sign-ins' collection for this service's own touches and deletes, which keep `cache` themselves. */
  const signIns = () => rawCollection(models.AuthSession);
  const copyOf = (s: { memberId: string; createdAt: Date; expiresAt: Date; lastSeenAt?: Date }): CachedSignIn => ({
    memberId: s.memberId,
    createdAt: s.createdAt.getTime(),
    expiresAt: s.expiresAt.getTime(),
    lastSeenAt: (s.lastSeenAt ?? s.createdAt).getTime(),
  });
  /** When a sign-in ends, however busy (ms since the epoch), and when its idle clock runs out. */
  const endsOf = (s: CachedSignIn) => ({
    end: Math.min(s.expiresAt, s.createdAt + limits.sessionMaxAgeSeconds * 1000),
    idleEnd: s.lastSeenAt + limits.sessionIdleSeconds * 1000,
  });

  /**
   * Starts a sign-in. `known`: the member's view as read for it, with the mark taken before that
   * read, so the handshake's copy holds the member too.
   */
  async function startSession(memberId: string, known?: { member: MemberView; read: ReadMark }): Promise<string> {
    const token = newToken();
    const now = new Date();
    const read = known?.read ?? cache.mark();
    const doc = {
      _id: hashToken(token),
      memberId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + limits.sessionMaxAgeSeconds * 1000),
      lastSeenAt: now,
    };
    await models.AuthSession.create(doc);
    cache.put(doc._id, copyOf(doc), read);
    if (known && known.member.kind !== 'guest') cache.putView(known.member, read);
    return token;
  }

  /**
   * A usable invitation for this token, or INVITATION_INVALID (unknown, revoked, expired). An
   * accepted one stays usable: the link is how its guest comes back (a second browser, a phone
   * whose chat app opens links elsewhere, or after leaving).
   */
  async function usableInvitation(token: string): Promise<InvitationDoc> {
    const inv = await models.Invitation.findOne({ tokenHash: hashToken(token) }).lean();
    if (!inv || inv.revokedAt || inv.expiresAt.getTime() <= Date.now()) {
      throw new AppError('INVITATION_INVALID', 'This invitation link is not valid any more.');
    }
    return inv;
  }

  /**
   * Who the token signs in, and until when (ms since the epoch): the session's expiry and, for a
   * guest, their invitation's (a guest may stay signed in while it is neither revoked nor
   * expired). Long-lived sockets are closed then (lib/access-expiry.ts).
   */
  async function access(
    token: string | undefined,
    /**
     * Takes the session's due touch instead of writing it now, with when its idle clock would
     * run out (ms since the epoch) if it were never written (a socket handshake: the open
     * sockets' touches are written together, see `OpenSessions.touchBySweep`). A room filling
     * with members who signed in earlier in the day made one update per join otherwise.
     */
    deferTouch?: (token: string, idleEndsAt: number) => void,
  ): Promise<{ member: MemberView; until: number } | null> {
    if (!token) return null;
    const id = hashToken(token);
    const read = cache.mark();
    const stored = await models.AuthSession.findById(id).lean();
    if (!stored) {
      cache.forget(id);
      return null;
    }
    const s = copyOf(stored);
    const now = Date.now();
    // An absolute lifetime from creation (a stolen cookie dies with it however busy it is), and an
    // idle limit since the last use (a shared terminal left signed in signs itself out).
    const { end, idleEnd } = endsOf(s);
    if (end < now || idleEnd < now) {
      cache.forget(id);
      await signIns().deleteOne({ _id: id });
      return null;
    }
    // Written at most once a minute: every REST call and handshake comes through here.
    if (now - s.lastSeenAt > touchEveryMs) {
      if (deferTouch) deferTouch(token, idleEnd);
      else {
        await signIns().updateOne({ _id: id }, { $set: { lastSeenAt: new Date(now) } });
        s.lastSeenAt = now;
      }
    }
    // A deactivated account has no sessions; this also refuses one started while it was cut off.
    const member = await members.getActive(s.memberId);
    if (!member) return null;
    // An open socket is use, not idleness: sockets end at the absolute end only.
    if (member.kind !== 'guest') {
      cache.put(id, s, read);
      cache.putView(member, read);
      return { member, until: end };
    }
    const inv = await models.Invitation.findOne({ acceptedBy: member.id }).lean();
    if (!inv || inv.revokedAt || inv.expiresAt.getTime() <= Date.now()) return null;
    return { member, until: Math.min(end, inv.expiresAt.getTime()) };
  }

  /**
   * As `access`, for a Socket.IO handshake: answered from this node's copy when it holds the
   * sign-in and its member (not a guest's), and neither looks expired or idle there; from the
   * database otherwise, which fills the copy. A room of thousands filling made two reads by key
   * per join. Why a copy is safe here and only here: auth/sign-in-cache.ts.
   */
  async function handshake(
    token: string | undefined,
    deferTouch: (token: string, idleEndsAt: number) => void,
    /** False while this node may be missing other nodes' notices (cluster.ts): the database decides. */
    fromCopy = true,
  ): Promise<{ member: MemberView; until: number } | null> {
    if (!token) return null;
    if (!fromCopy) return access(token, deferTouch);
    const s = cache.get(hashToken(token));
    const member = s ? cache.view(s.memberId) : undefined;
    if (s && member) {
      const now = Date.now();
      const { end, idleEnd } = endsOf(s);
      if (end >= now && idleEnd >= now) {
        if (now - s.lastSeenAt > touchEveryMs) deferTouch(token, idleEnd);
        return { member, until: end };
      }
    }
    return access(token, deferTouch);
  }

  return {
    startSession,

    handshake,

    /**
     * Copies the sign-ins still usable, and their members, into the handshake's copy: after a
     * restart, the members of a sitting signed in earlier come back to rooms here. Returns how
     * many sign-ins it copied.
     */
    async warm(): Promise<number> {
      const read = cache.mark();
      const now = Date.now();
      // Those neither past their end nor idle; the most recently used first, up to what is kept.
      const rows = await models.AuthSession.find({
        expiresAt: trusted({ $gt: new Date(now) }),
        lastSeenAt: trusted({ $gt: new Date(now - limits.sessionIdleSeconds * 1000) }),
      })
        .sort({ lastSeenAt: -1 })
        .limit(signInsCopied)
        .lean();
      const usable = rows
        .map((r) => ({ id: r._id, s: copyOf(r) }))
        .filter(({ s }) => {
          const { end, idleEnd } = endsOf(s);
          return end >= now && idleEnd >= now;
        });
      const views = await members.getManyActive([...new Set(usable.map(({ s }) => s.memberId))]);
      const accounts = new Set<string>();
      for (const v of views) {
        if (v.kind === 'guest') continue;
        accounts.add(v.id);
        cache.putView(v, read);
      }
      let copied = 0;
      for (const { id, s } of usable) if (accounts.has(s.memberId) && cache.put(id, s, read)) copied += 1;
      return copied;
    },

    /**
     * Forgets the sign-ins of a member another node ended (all but `keepHash`'s), or, with no
     * member, everything: that node's notices may have been missed.
     */
    forgetEnded(memberId: string | null, keepHash?: string): void {
      if (memberId === null) cache.clear();
      else cache.forgetMember(memberId, keepHash);
    },

    /** Forgets the member views (another node wrote a member or a sector). */
    forgetMembers(): void {
      cache.forgetViews();
    },

    async passwordLogin(username: string, password: string): Promise<{ token: string; member: MemberView }> {
      const cred = await models.Credential.findById(username).lean();
      // Verify against a real hash even for an unknown name, so timing does not tell names apart.
      dummyHash ??= hash(newToken());
      const ok = await verify(cred?.passwordHash ?? (await dummyHash), password).catch(() => false);
      const read = cache.mark();
      const member = cred && ok ? await members.getActive(cred.memberId) : null;
      if (!member) throw new AppError('BAD_CREDENTIALS', 'Wrong login name or password.');
      return { token: await startSession(member.id, { member, read }), member };
    },

    /** Only the accounts the demo seed created (marked `demo`), so demo sign-in never reaches a real one. */
    async demoLogin(memberId: string): Promise<{ token: string; member: MemberView } | null> {
      const read = cache.mark();
      const member = (await records.isDemo(memberId)) ? await members.getActive(memberId) : null;
      if (!member || member.kind === 'guest') return null;
      return { token: await startSession(memberId, { member, read }), member };
    },

    access,

    /** Whether any demo account is left: demo sign-in exists only while the demo data does. */
    async hasDemoAccounts(): Promise<boolean> {
      return records.anyDemo();
    },

    async resolve(token: string | undefined): Promise<MemberView | null> {
      return (await access(token))?.member ?? null;
    },

    /** Marks the sign-ins of these tokens used now, in one write (open sockets, auth/activity.ts). */
    async touchSessions(tokens: string[]): Promise<void> {
      if (tokens.length === 0) return;
      const at = new Date();
      const ids = tokens.map(hashToken);
      await signIns().updateMany({ _id: { $in: ids } }, { $set: { lastSeenAt: at } });
      for (const id of ids) cache.touched(id, at.getTime());
    },

    /** The password logins of these accounts, in one read. */
    credentialsOf(memberIds: string[]): Promise<CredentialDoc[]> {
      return models.Credential.find({ memberId: trusted({ $in: memberIds }) }).lean();
    },

    /** The account's password login, if it has one. */
    credentialOf(memberId: string): Promise<CredentialDoc | null> {
      return models.Credential.findOne({ memberId }).lean();
    },

    /** The account's login name, if it has one (guests have none). */
    async loginOf(memberId: string): Promise<string | null> {
      return (await models.Credential.findOne({ memberId }, { _id: 1 }).lean())?._id ?? null;
    },

    /** Which of these login names are taken, and by whom. */
    async loginOwners(logins: string[]): Promise<Array<{ login: string; memberId: string }>> {
      const creds = await models.Credential.find({ _id: trusted({ $in: logins }) }, { memberId: 1 }).lean();
      return creds.map((c) => ({ login: c._id, memberId: c.memberId }));
    },

    /** Reserves a login name for an account; a taken name throws the duplicate-key error. */
    async createCredential(login: string, memberId: string, passwordHash: string): Promise<void> {
      await models.Credential.create({ _id: login, memberId, passwordHash });
    },

    async setPasswordHash(login: string, passwordHash: string): Promise<void> {
      await models.Credential.updateOne({ _id: login }, { $set: { passwordHash } });
    },

    /** Deletes the password logins of these accounts. */
    async removeCredentials(memberIds: string[]): Promise<void> {
      await models.Credential.deleteMany({ memberId: trusted({ $in: memberIds }) });
    },

    /** Ends every sign-in of the account, except the one of `keepToken` when given. */
    async endSessions(memberId: string, keepToken?: string): Promise<void> {
      const keep = keepToken === undefined ? undefined : hashToken(keepToken);
      // Forgotten before (no handshake here takes them meanwhile) and after (nor a read begun before).
      cache.forgetMember(memberId, keep);
      await signIns().deleteMany(keep === undefined ? { memberId } : { memberId, _id: { $ne: keep } });
      cache.forgetMember(memberId, keep);
    },

    async signOut(token: string | undefined): Promise<string | null> {
      if (!token) return null;
      const id = hashToken(token);
      cache.forget(id);
      const s = await signIns().findOneAndDelete({ _id: id });
      cache.forget(id);
      return s?.memberId ?? null;
    },

    async createInvitation(
      session: { id: string; scheduledAt: Date },
      body: CreateInvitationBody,
      createdBy: string,
    ): Promise<CreatedInvitation> {
      const token = newToken();
      const now = new Date();
      const sessionId = session.id;
      const expiresAt = new Date(
        body.hours !== undefined
          ? now.getTime() + body.hours * 3600_000
          : Math.max(
              now.getTime() + limits.invitationHours * 3600_000,
              session.scheduledAt.getTime() + limits.invitationGraceHours * 3600_000,
            ),
      );
      const doc: InvitationDoc = {
        _id: `inv-${randomUUID()}`,
        tokenHash: hashToken(token),
        sessionId,
        role: body.role,
        name: body.name,
        createdBy,
        createdAt: now,
        expiresAt,
        revokedAt: null,
        acceptedBy: null,
      };
      await models.Invitation.create(doc);
      return { invitation: presentInvitation(doc), token, path: `/invite/${token}` };
    },

    async listInvitations(sessionId: string): Promise<InvitationView[]> {
      const list = await models.Invitation.find({ sessionId }).sort({ createdAt: 1 }).lean();
      return list.map(presentInvitation);
    },

    /** Revokes an invitation; a guest who already accepted it is signed out of every device. */
    async revokeInvitation(
      sessionId: string,
      invitationId: string,
    ): Promise<{ invitation: InvitationView; guestId: string | null }> {
      const inv = await models.Invitation.findOneAndUpdate(
        { _id: invitationId, sessionId },
        { $set: { revokedAt: new Date() } },
        { new: true },
      ).lean();
      if (!inv) throw new AppError('NOT_FOUND', 'No such invitation.');
      if (inv.acceptedBy) {
        // Guests are never answered from the handshake's copy; forgotten all the same.
        cache.forgetMember(inv.acceptedBy);
        await signIns().deleteMany({ memberId: inv.acceptedBy });
      }
      return { invitation: presentInvitation(inv), guestId: inv.acceptedBy ?? null };
    },

    /** A usable invitation, and the name its guest gave if it was accepted already. */
    async previewInvitation(token: string): Promise<{ invitation: InvitationDoc; guestName: string | null }> {
      const invitation = await usableInvitation(token);
      const guest = invitation.acceptedBy ? await members.getActive(invitation.acceptedBy) : null;
      return { invitation, guestName: guest?.name ?? null };
    },

    /**
     * Accepts an invitation: the first time it creates the guest (one role, one session, the name
     * given) and signs them in; afterwards it signs the same guest in again (the name given then is
     * ignored). Run one at a time in this process: FerretDB 1.x does not apply a conditional update
     * atomically (two racing `acceptedBy: null` updates can both match), so the guarded update
     * alone is not enough there; on MongoDB it also guards across processes.
     */
    acceptInvitation(token: string, name: string): Promise<{ token: string; member: MemberView; sessionId: string }> {
      return accepting.run(() => acceptOnce(token, name));
    },
  };

  async function acceptOnce(
    token: string,
    name: string,
  ): Promise<{ token: string; member: MemberView; sessionId: string }> {
    const inv = await usableInvitation(token);
    if (inv.acceptedBy) return reenter(inv.acceptedBy, inv.sessionId);
    const guestId = `g-${randomUUID()}`;
    const claimed = await models.Invitation.updateOne(
      { _id: inv._id, acceptedBy: null, revokedAt: null },
      { $set: { acceptedBy: guestId } },
    );
    if (claimed.modifiedCount !== 1) {
      // Another process accepted it between the read and the update: come in as that guest.
      const now = await models.Invitation.findById(inv._id).lean();
      if (now?.acceptedBy && !now.revokedAt) return reenter(now.acceptedBy, now.sessionId);
      throw new AppError('INVITATION_INVALID', 'This invitation link is not valid any more.');
    }
    await records.create({
      _id: guestId,
      committeeId: 'guests',
      name,
      kind: 'guest',
      sectorId: null,
      title: '',
      expertise: [],
      guestSessionId: inv.sessionId,
      guestRole: inv.role,
    });
    const member = await members.get(guestId);
    if (!member) throw new AppError('INTERNAL', 'Guest could not be created.');
    return { token: await startSession(guestId), member, sessionId: inv.sessionId };
  }

  /** Signs an invitation's guest in again. */
  async function reenter(
    guestId: string,
    sessionId: string,
  ): Promise<{ token: string; member: MemberView; sessionId: string }> {
    const member = await members.getActive(guestId);
    if (!member) throw new AppError('INVITATION_INVALID', 'This invitation link is not valid any more.');
    return { token: await startSession(guestId), member, sessionId };
  }
}

export type AuthService = ReturnType<typeof createAuthService>;
