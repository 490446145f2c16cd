import {
  AccountLink,
  AccountLinkPreview,
  AccountView,
  type ChangePasswordBody,
  type CreateAccountBody,
  MemberView,
  type SetPasswordBody,
  type SetupBody,
} from '@yitang/shared';
import { api, field, ignoreBody } from '../../lib/http';

const member = field('member', MemberView);

/** Whether the setup link still works (it answers 410 once used). */
export async function checkSetup(token: string): Promise<void> {
  await api(`/api/setup/${encodeURIComponent(token)}`, ignoreBody);
}

/** Creates the first administrator; the server signs them in. */
export function runSetup(token: string, body: SetupBody): Promise<MemberView> {
  return api(`/api/setup/${encodeURIComponent(token)}`, member, { method: 'POST', body });
}

export function previewLink(token: string): Promise<AccountLinkPreview> {
  return api(`/api/accounts/links/${encodeURIComponent(token)}`, AccountLinkPreview);
}

/** Sets the password from an activation or reset link; the server signs the person in. */
export function setLinkPassword(token: string, body: SetPasswordBody): Promise<MemberView> {
  return api(`/api/accounts/links/${encodeURIComponent(token)}`, member, { method: 'POST', body });
}

export async function changePassword(body: ChangePasswordBody): Promise<void> {
  await api('/api/account/password', ignoreBody, { method: 'POST', body });
}

export function fetchAccounts(): Promise<AccountView[]> {
  return api('/api/accounts', field('accounts', AccountView.array()));
}

export function createAccount(body: CreateAccountBody): Promise<AccountLink> {
  return api('/api/accounts', AccountLink, { method: 'POST', body });
}

export function resetLink(id: string): Promise<AccountLink> {
  return api(`/api/accounts/${encodeURIComponent(id)}/reset-link`, AccountLink, { method: 'POST' });
}

export function setActive(id: string, active: boolean): Promise<AccountView> {
  const action = active ? 'reactivate' : 'deactivate';
  return api(`/api/accounts/${encodeURIComponent(id)}/${action}`, field('account', AccountView), { method: 'POST' });
}
