import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import {
  type AccountLink,
  type AccountLinkPreview,
  type AccountLinkPurpose,
  type AccountView,
  type CreateAccountBody,
  limits,
  type MemberOrgFields,
  type MemberView,
  mayManageAccount,
  type SetupBody,
  type SignOutReason,
  type StaffCreatedKind,
} from '@yitang/shared';
import type { AuthService } from '../auth/auth.service';
import { hashPassword } from '../auth/auth.service';
import { type Models, trusted } from '../db/models';
import { AppError, isDuplicateKey } from '../errors';
import { Serial } from '../lib/serial';
import { createMemberRecords, type MemberService } from '../members/member.service';
import { accountLinkMail, type Mailer } from '../notifications/mailer';

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');
const newToken = () => randomBytes(32).toString('base64url');

/**
 * Stands in for a password hash until the person sets one: not an argon2 hash, so no password
 * verifies against it, yet the credential already reserves the login name (its `_id`).
 */
const NO_PASSWORD = '!unset';

/** The first administrator's id: a fixed key, so two setups racing on two nodes cannot both win. */
const FIRST_ADMIN_ID = 's-admin';

const staffKinds: StaffCreatedKind[] = ['member', 'official', 'staff'];

const linkPaths: Record<AccountLinkPurpose, string> = { activate: '/activate/', reset: '/reset/' };
const linkSeconds: Record<AccountLinkPurpose, number> = {
  activate: limits.activationLinkSeconds,
  reset: limits.resetLinkSeconds,
};

const invalidLink = () => new AppError('INVITATION_INVALID', 'This link is not valid any more.');

export interface AccountsDeps {
  models: Models;
  members: MemberService;
  auth: AuthService;
  /** Closes every live connection of a member (room and minutes sockets), as sign-out does. */
  /** Closes the member's live connections, but those of `keepToken`'s sign-in if given. */
  cutOff: (memberId: string, reason: SignOutReason, keepToken?: string) => void;
  /** Also emails activation and reset links to the account's address (null: email not configured). */
  mailer?: Mailer | null;
  /**
   * Refuses organisation fields that name no record (a sector, group, district or department
   * that does not exist, a department for someone not an official): the org module's check.
   */
  checkOrgFields?: (kind: StaffCreatedKind, fields: MemberOrgFields) => Promise<void>;
}

/**
 * The account lifecycle: the first administrator from the setup link, accounts staff create,
 * one-time activation and reset links, password changes, deactivation.
 */
export function createAccounts(deps: AccountsDeps) {
  const { models, members, auth } = deps;
  const records = createMemberRecords(models);
  /**
   * The setup token lives in this process's memory only: nothing is written to the database
   * before it is used, a leaked data directory holds no link, and a restart simply prints a
   * new one (the old dies with the process). With several nodes each prints its own.
   */
  let setupHash: string | null = null;
  /** Links are used one at a time here: FerretDB 1.x does not make a conditional delete atomic. */
  const using = new Serial();

  const hasAccounts = () => records.anyOfKind(staffKinds);

  const setupValid = (token: string) => {
    if (!setupHash) return false;
    const a = Buffer.from(hashToken(token));
    const b = Buffer.from(setupHash);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  async function view(memberIds: string[]): Promise<AccountView[]> {
    const [docs, creds] = await Promise.all([records.many(memberIds), auth.credentialsOf(memberIds)]);
    const credOf = new Map(creds.map((c) => [c.memberId, c]));
    return docs
      .filter((m) => m.kind !== 'guest')
      .map((m) => {
        const cred = credOf.get(m._id);
        return {
          id: m._id,
          name: m.name,
          kind: m.kind as StaffCreatedKind,
          title: m.title ?? '',
          login: cred?._id ?? null,
          status: m.deactivatedAt ? 'deactivated' : cred && cred.passwordHash !== NO_PASSWORD ? 'active' : 'pending',
          demo: m.demo === true,
          admin: m.admin === true,
        };
      });
  }

  /** Refuses unless `by` may manage an account of this kind (shared `mayManageAccount`). */
  async function mayManage(kind: StaffCreatedKind, by: MemberView): Promise<void> {
    if (mayManageAccount(kind, false)) return;
    if (!mayManageAccount(kind, await records.isAdmin(by.id))) {
      throw new AppError('FORBIDDEN', 'Only the administrator manages staff accounts.');
    }
  }

  async function one(memberId: string): Promise<AccountView> {
    const [v] = await view([memberId]);
    if (!v) throw new AppError('NOT_FOUND', 'No such account.');
    return v;
  }

  async function createLink(memberId: string, purpose: AccountLinkPurpose, by: string): Promise<AccountLink> {
    const token = newToken();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + linkSeconds[purpose] * 1000);
    // A new link replaces any earlier one for the account: only the latest one passed on works.
    await models.AccountToken.deleteMany({ memberId });
    await models.AccountToken.create({
      _id: hashToken(token),
      memberId,
      purpose,
      createdBy: by,
      createdAt: now,
      expiresAt,
    });
    return {
      account: await one(memberId),
      purpose,
      token,
      path: `${linkPaths[purpose]}${token}`,
      expiresAt: expiresAt.toISOString(),
    };
  }

  /** Emails a new link to the account's address when email is configured; says whether it went. */
  async function mailed(link: AccountLink): Promise<AccountLink> {
    const mailer = deps.mailer;
    if (!mailer) return { ...link, mail: 'off' };
    const to = (await records.emailOf(link.account.id))?.trim();
    if (!to) return { ...link, mail: 'noAddress' };
    const sent = await mailer.send(
      accountLinkMail(to, {
        purpose: link.purpose,
        url: mailer.link(link.path),
        name: link.account.name,
        login: link.account.login ?? '',
        expiresAt: link.expiresAt,
      }),
    );
    return { ...link, mail: sent ? 'sent' : 'failed' };
  }

  async function usableLink(token: string) {
    const t = await models.AccountToken.findById(hashToken(token)).lean();
    if (!t || t.expiresAt.getTime() <= Date.now()) throw invalidLink();
    const member = await records.get(t.memberId);
    const cred = await auth.credentialOf(t.memberId);
    if (!member || member.deactivatedAt || member.pendingImport || !cred) throw invalidLink();
    return { t, member, cred };
  }

  return {
    /**
     * On an empty database (no account of any kind), makes the one-time setup token and answers
     * it; otherwise null. Called once at start-up; the link is printed, never stored.
     */
    async openSetup(): Promise<string | null> {
      if (await hasAccounts()) {
        setupHash = null;
        return null;
      }
      const token = newToken();
      setupHash = hashToken(token);
      return token;
    },

    async checkSetup(token: string): Promise<void> {
      if (!setupValid(token) || (await hasAccounts())) throw invalidLink();
    },

    /** Creates the first administrator (a staff account marked admin) and kills the link. */
    setup(token: string, body: SetupBody): Promise<{ token: string; member: MemberView }> {
      return using.run(async () => {
        if (!setupValid(token) || (await hasAccounts())) throw invalidLink();
        setupHash = null;
        const passwordHash = await hashPassword(body.password);
        try {
          await records.create({
            _id: FIRST_ADMIN_ID,
            committeeId: 'committee',
            name: body.name,
            kind: 'staff',
            sectorId: null,
            title: '',
            expertise: [],
            admin: true,
          });
        } catch (err) {
          if (isDuplicateKey(err)) throw invalidLink();
          throw err;
        }
        await auth.createCredential(body.login, FIRST_ADMIN_ID, passwordHash);
        const member = await members.get(FIRST_ADMIN_ID);
        if (!member) throw new AppError('INTERNAL', 'The administrator could not be created.');
        return { token: await auth.startSession(FIRST_ADMIN_ID), member };
      });
    },

    async list(): Promise<AccountView[]> {
      const ids = await records.idsOfKind(staffKinds);
      const byId = new Map((await view(ids)).map((a) => [a.id, a]));
      return ids.flatMap((id) => byId.get(id) ?? []);
    },

    /**
     * Creates an account with its login name reserved and no password; answers its activation
     * link. With `pendingImport` (a member import's id) the account is written unfinished and the
     * link is not emailed: `completeImport` makes it live and mails it.
     */
    async create(body: CreateAccountBody, by: MemberView, opts: { pendingImport?: string } = {}): Promise<AccountLink> {
      await mayManage(body.kind, by);
      await deps.checkOrgFields?.(body.kind, body);
      const id = `${body.kind === 'member' ? 'm' : body.kind === 'official' ? 'o' : 's'}-${randomUUID()}`;
      try {
        // The credential first: its key is the login name, so a taken name stops here.
        await auth.createCredential(body.login, id, NO_PASSWORD);
      } catch (err) {
        if (isDuplicateKey(err)) throw new AppError('ILLEGAL_TRANSITION', 'This login name is taken.');
        throw err;
      }
      const committeeId = await records.committeeOf(by.id);
      await records.create({
        _id: id,
        committeeId: committeeId ?? 'committee',
        name: body.name,
        kind: body.kind,
        sectorId: body.sectorId ?? null,
        title: body.title ?? '',
        expertise: body.expertise ?? [],
        workingGroupId: body.workingGroupId ?? null,
        districtId: body.districtId ?? null,
        departmentId: body.kind === 'official' ? (body.departmentId ?? null) : null,
        phone: body.phone ?? '',
        email: body.email ?? '',
        status: body.status ?? 'serving',
        ...(opts.pendingImport ? { pendingImport: opts.pendingImport } : {}),
      });
      const link = await createLink(id, 'activate', by.id);
      return opts.pendingImport ? link : mailed(link);
    },

    /**
     * A new link for the account, emailed. An account of an unfinished import has none, but for
     * that import itself (`pendingImport`), and then it is not emailed (`completeImport` does).
     */
    async resetLink(memberId: string, by: MemberView, opts: { pendingImport?: string } = {}): Promise<AccountLink> {
      const pending = (await records.get(memberId))?.pendingImport;
      if (pending && pending !== opts.pendingImport) throw new AppError('NOT_FOUND', 'No such account.');
      const account = await one(memberId);
      await mayManage(account.kind, by);
      if (account.status === 'deactivated') throw new AppError('ILLEGAL_TRANSITION', 'Reactivate the account first.');
      if (!account.login) throw new AppError('ILLEGAL_TRANSITION', 'This account has no login name.');
      // An account that never set a password gets a fresh activation link instead.
      const link = await createLink(memberId, account.status === 'pending' ? 'activate' : 'reset', by.id);
      return opts.pendingImport ? link : mailed(link);
    },

    /**
     * Makes the accounts a member import wrote live (one write, after its last row), then emails
     * their links: before this, none is listed, can sign in, or has a working or mailed link.
     */
    async completeImport(importId: string, links: AccountLink[]): Promise<AccountLink[]> {
      await records.clearPendingImport(importId);
      const out: AccountLink[] = [];
      for (const link of links) out.push(await mailed(link));
      return out;
    },

    async previewLink(token: string): Promise<AccountLinkPreview> {
      const { t, member, cred } = await usableLink(token);
      return { name: member.name, login: cred._id, purpose: t.purpose, expiresAt: t.expiresAt.toISOString() };
    },

    /**
     * Sets the password from a link, once: the link is deleted before the password is written,
     * and every earlier sign-in of the account ends (whoever knew the old password is out).
     */
    useLink(token: string, password: string): Promise<{ token: string; member: MemberView }> {
      return using.run(async () => {
        const { t, cred } = await usableLink(token);
        const gone = await models.AccountToken.deleteOne({ _id: t._id });
        if (gone.deletedCount !== 1) throw invalidLink();
        await auth.setPasswordHash(cred._id, await hashPassword(password));
        await auth.endSessions(t.memberId);
        deps.cutOff(t.memberId, 'passwordReset');
        const member = await members.getActive(t.memberId);
        if (!member) throw invalidLink();
        return { token: await auth.startSession(t.memberId), member };
      });
    },

    /** The account's login name, if it has one (guests have none). */
    async loginOf(memberId: string): Promise<string | null> {
      return auth.loginOf(memberId);
    },

    /** Which of these login names are taken, and by which account. */
    loginOwners(logins: string[]): Promise<Array<{ login: string; memberId: string }>> {
      return auth.loginOwners(logins);
    },

    /**
     * Changes the password and ends every other sign-in of the account (a device where the old
     * password was used, or a copied cookie); `keepToken`, the one changing it, stays signed in.
     */
    async changePassword(memberId: string, current: string, password: string, keepToken: string): Promise<void> {
      const cred = await auth.credentialOf(memberId);
      const ok = cred ? await verify(cred.passwordHash, current).catch(() => false) : false;
      if (!cred || !ok) throw new AppError('BAD_CREDENTIALS', 'The current password is wrong.');
      await auth.setPasswordHash(cred._id, await hashPassword(password));
      await auth.endSessions(memberId, keepToken);
      deps.cutOff(memberId, 'passwordChanged', keepToken);
    },

    /** Cuts an account off at once: flag first (no new sign-in or handshake), then sessions and sockets. */
    async deactivate(memberId: string, by: MemberView): Promise<AccountView> {
      if (memberId === by.id) throw new AppError('ILLEGAL_TRANSITION', 'You cannot deactivate your own account.');
      await mayManage((await one(memberId)).kind, by);
      await records.setDeactivated(memberId, new Date());
      await auth.endSessions(memberId);
      await models.AccountToken.deleteMany({ memberId });
      deps.cutOff(memberId, 'deactivated');
      return one(memberId);
    },

    async reactivate(memberId: string, by: MemberView): Promise<AccountView> {
      await mayManage((await one(memberId)).kind, by);
      await records.setDeactivated(memberId, null);
      return one(memberId);
    },

    /**
     * Takes back accounts nobody has used yet (a member import that could not finish): their
     * links, then their logins, then the members.
     */
    async discard(memberIds: string[]): Promise<void> {
      await models.AccountToken.deleteMany({ memberId: trusted({ $in: memberIds }) });
      await auth.removeCredentials(memberIds);
      await records.remove(memberIds);
    },

    /** The demo seed's accounts still active: the sign-in page's one-click list. */
    async demoIdentities(): Promise<MemberView[]> {
      const list = await members.getMany(await records.activeDemoIds());
      // By id, as the full member list was: byte order, not a locale's.
      return list.filter((m) => m.kind !== 'guest').sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
