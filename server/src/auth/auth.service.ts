import { createHash, randomBytes } from 'node:crypto';
import { limits, type MemberView } from '@yitang/shared';
import { parse as parseCookie } from 'cookie';
import type { Models } from '../db/models';
import type { MemberService } from '../members/member.service';

export const SESSION_COOKIE = 'yitang_session';

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Reads the session token from a Cookie header, if any. */
export function tokenFromCookieHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  return parseCookie(header)[SESSION_COOKIE] || undefined;
}

/**
 * Sign-in sessions stored in MongoDB. The same token authenticates REST, the Socket.IO handshake
 * and the minutes socket. Demo sign-in picks an identity; password accounts arrive with the
 * live-room work and reuse this store.
 */
export function createAuthService(models: Models, members: MemberService) {
  return {
    async signIn(memberId: string): Promise<{ token: string; member: MemberView } | null> {
      const member = await members.get(memberId);
      if (!member) return null;
      const token = randomBytes(32).toString('base64url');
      const now = new Date();
      await models.AuthSession.create({
        _id: hashToken(token),
        memberId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + limits.sessionMaxAgeSeconds * 1000),
      });
      return { token, member };
    },

    async resolve(token: string | undefined): Promise<MemberView | null> {
      if (!token) return null;
      const s = await models.AuthSession.findById(hashToken(token)).lean();
      if (!s || s.expiresAt.getTime() < Date.now()) return null;
      return members.get(s.memberId);
    },

    async signOut(token: string | undefined): Promise<string | null> {
      if (!token) return null;
      const s = await models.AuthSession.findOneAndDelete({ _id: hashToken(token) }).lean();
      return s?.memberId ?? null;
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
