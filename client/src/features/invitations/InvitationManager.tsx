import { GuestRole, type InvitationView, limits } from '@yitang/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { Section } from '../../components/Section';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { useLoad } from '../../lib/useLoad';
import { useAppStore } from '../../store';
import { mayInvite } from '../room/permissions';
import { createInvitation, fetchInvitations, revokeInvitation } from './api';

type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export function invitationStatus(inv: InvitationView, nowMs: number): InvitationStatus {
  if (inv.revokedAt) return 'revoked';
  if (inv.acceptedBy) return 'accepted';
  return Date.parse(inv.expiresAt) <= nowMs ? 'expired' : 'pending';
}

/** A link shown once, with a copy button. */
function CreatedLink({ url }: { url: string }) {
  const { t } = useTranslation();
  const inputRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      inputRef.current?.select();
    }
  };
  return (
    <div className="created-link">
      <div className="row row--wrap">
        <Field label={t('invite.link')} className="field--row">
          <input
            ref={inputRef}
            type="text"
            readOnly
            value={url}
            onFocus={(e) => e.target.select()}
            data-testid="invite-link"
          />
        </Field>
        <button type="button" className="button" onClick={() => void copy()} data-testid="invite-copy">
          {t('invite.copy')}
        </button>
      </div>
      <p role="status" className="hint">
        {copied && t('common.copied')}
      </p>
    </div>
  );
}

/** Chairs invite guests (department reps, stakeholders, citizens…) with a link for one guest, and revoke. */
export function InvitationManager({ sessionId }: { sessionId: string }) {
  const { t, i18n } = useTranslation();
  const errorId = useId();
  const role = useAppStore((s) => s.you?.role);
  const allowed = mayInvite(role);
  const list = useLoad(() => fetchInvitations(sessionId), [sessionId], { when: allowed });
  const invitations = list.data;
  const setInvitations = list.setData;
  const [failed, setError] = useState<ClientErrorCode | null>(null);
  const error = failed ?? list.error;
  const [guestRole, setGuestRole] = useState<GuestRole>('stakeholder');
  const [name, setName] = useState('');
  // Empty: the server keeps the link valid until the day after the session.
  const [hours, setHours] = useState('');
  const [problems, setProblems] = useState<Array<'name' | 'hours'>>([]);
  const [busy, setBusy] = useState(false);
  const [link, setLink] = useState<string | null>(null);

  if (!allowed) return null;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: Array<'name' | 'hours'> = [];
    const trimmed = name.trim();
    if (trimmed === '' || trimmed.length > limits.maxNameLength) found.push('name');
    const h = hours.trim() === '' ? undefined : /^\s*\d+\s*$/.test(hours) ? Number(hours) : Number.NaN;
    if (h !== undefined && !(h >= 1 && h <= 24 * 30)) found.push('hours');
    setProblems(found);
    if (found.length > 0) return;
    setBusy(true);
    setError(null);
    try {
      const created = await createInvitation(sessionId, {
        role: guestRole,
        name: trimmed,
        ...(h === undefined ? {} : { hours: h }),
      });
      setLink(new URL(created.path, window.location.origin).toString());
      setName('');
      setInvitations((list) => [created.invitation, ...(list ?? [])]);
    } catch (err) {
      setError(toClientErrorCode(err));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (inv: InvitationView) => {
    setError(null);
    try {
      const updated = await revokeInvitation(sessionId, inv.id);
      setInvitations((list) => (list ?? []).map((x) => (x.id === updated.id ? updated : x)));
    } catch (err) {
      setError(toClientErrorCode(err));
    }
  };

  const now = Date.now();
  return (
    <Section
      title={t('invite.managerTitle')}
      titleText={t('invite.managerTitle')}
      collapsible
      className="console"
      testId="invite-manager"
    >
      <form className="form" onSubmit={submit} noValidate aria-busy={busy || undefined}>
        <Field label={t('invite.roleLabel')}>
          <select
            value={guestRole}
            onChange={(e) => {
              const r = GuestRole.safeParse(e.target.value);
              if (r.success) setGuestRole(r.data);
            }}
            data-testid="invite-role"
          >
            {GuestRole.options.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label={t('invite.name')}
          error={problems.includes('name') && t('invite.nameInvalid', { max: limits.maxNameLength })}
        >
          <input
            type="text"
            value={name}
            maxLength={limits.maxNameLength}
            onChange={(e) => setName(e.target.value)}
            data-testid="invite-name"
          />
        </Field>
        <Field label={t('invite.hours')} error={problems.includes('hours') && t('invite.hoursInvalid')}>
          <input
            type="number"
            inputMode="numeric"
            min={1}
            max={24 * 30}
            className="input--short"
            value={hours}
            onChange={(e) => setHours(e.target.value)}
            data-testid="invite-hours"
          />
        </Field>
        <button type="submit" className="button button--primary" disabled={busy} data-testid="invite-create">
          {t('invite.create')}
        </button>
      </form>
      <p id={errorId} role="alert" className="field-error">
        {error && t(`errors.${error}`)}
      </p>
      {link && <CreatedLink key={link} url={link} />}
      <h3>{t('invite.listTitle')}</h3>
      {invitations === null ? (
        <p className="hint">{t('app.loading')}</p>
      ) : invitations.length === 0 ? (
        <p className="muted">{t('invite.listEmpty')}</p>
      ) : (
        <ul className="invitations" data-testid="invite-list">
          {invitations.map((inv) => {
            const status = invitationStatus(inv, now);
            return (
              <li
                key={inv.id}
                className="row row--between row--wrap"
                data-testid={`invite-${inv.id}`}
                data-status={status}
              >
                <span>
                  <span className="presence__name">{inv.name}</span>{' '}
                  <span className={`role role--${inv.role}`}>{t(`roles.${inv.role}`)}</span>{' '}
                  <span className={`badge badge--${status}`}>{t(`invite.status.${status}`)}</span>
                  <br />
                  <span className="hint">
                    {t('invite.expiresAt', { time: formatDateTime(inv.expiresAt, i18n.language) })}
                  </span>
                </span>
                {status === 'pending' && (
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={t('invite.revokeLabel', { name: inv.name })}
                    onClick={() => void revoke(inv)}
                    data-testid={`invite-revoke-${inv.id}`}
                  >
                    {t('invite.revoke')}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}
