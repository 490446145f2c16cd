import { z } from 'zod';
import { Text } from './domain';
import { limits } from './limits';
import { MemberOrgFields } from './org';

/** A login name: letters, digits and . _ - (what people can type on a phone and read out). */
export const LoginName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$/, '2–40 letters, digits, dots, dashes or underscores');

export const NewPassword = z.string().min(limits.minPasswordLength).max(limits.maxPasswordLength);

/** The first administrator, from the one-time setup link. */
export const SetupBody = z
  .object({ name: Text(limits.maxNameLength), login: LoginName, password: NewPassword })
  .strict();
export type SetupBody = z.infer<typeof SetupBody>;

/** Setting a password from an activation or reset link. */
export const SetPasswordBody = z.object({ password: NewPassword }).strict();
export type SetPasswordBody = z.infer<typeof SetPasswordBody>;

/** Changing one's own password: the current one proves it is still them at the keyboard. */
export const ChangePasswordBody = z
  .object({ current: z.string().min(1).max(limits.maxPasswordLength), password: NewPassword })
  .strict();
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;

/** Kinds of account staff create (guests come with invitations). */
export const StaffCreatedKind = z.enum(['member', 'official', 'staff']);
export type StaffCreatedKind = z.infer<typeof StaffCreatedKind>;

export const CreateAccountBody = z
  .object({
    name: Text(limits.maxNameLength),
    kind: StaffCreatedKind,
    login: LoginName,
    title: z.string().trim().max(limits.maxDepartmentLength).default(''),
    // The organisation fields the member records page sets at creation (POST /api/org/members).
    ...MemberOrgFields.shape,
  })
  .strict();
export type CreateAccountBody = z.input<typeof CreateAccountBody>;

/** pending: created, no password set yet; active: can sign in; deactivated: cut off. */
export const AccountStatus = z.enum(['pending', 'active', 'deactivated']);
export type AccountStatus = z.infer<typeof AccountStatus>;

export const AccountView = z.object({
  id: z.string(),
  name: z.string(),
  kind: StaffCreatedKind,
  title: z.string(),
  login: z.string().nullable(),
  status: AccountStatus,
  /** Created by the demo seed: only these may be signed into without a password. */
  demo: z.boolean(),
  admin: z.boolean(),
});
export type AccountView = z.infer<typeof AccountView>;

export const AccountsResponse = z.object({ accounts: z.array(AccountView) });

/**
 * Staff accounts are the administrator's to create, reset and cut off: otherwise any staff
 * member could take over another's (or the administrator's) account with a reset link. Other
 * accounts are any staff member's. The server enforces it; the accounts page offers no more.
 */
export function mayManageAccount(kind: StaffCreatedKind, byAdmin: boolean): boolean {
  return kind !== 'staff' || byAdmin;
}
export type AccountsResponse = z.infer<typeof AccountsResponse>;

export const AccountLinkPurpose = z.enum(['activate', 'reset']);
export type AccountLinkPurpose = z.infer<typeof AccountLinkPurpose>;

/** A one-time link to set a password; the token is shown once, to be passed on by staff. */
export const AccountLink = z.object({
  account: AccountView,
  purpose: AccountLinkPurpose,
  token: z.string(),
  path: z.string(),
  expiresAt: z.string(),
  /**
   * Whether the link was also emailed: sent, failed (staff pass it on by hand), noAddress (the
   * account has no email), off (email not configured).
   */
  mail: z.enum(['sent', 'failed', 'noAddress', 'off']).optional(),
});
export type AccountLink = z.infer<typeof AccountLink>;

/** What the page behind a link shows before the password is set. */
export const AccountLinkPreview = z.object({
  name: z.string(),
  login: z.string(),
  purpose: AccountLinkPurpose,
  expiresAt: z.string(),
});
export type AccountLinkPreview = z.infer<typeof AccountLinkPreview>;
