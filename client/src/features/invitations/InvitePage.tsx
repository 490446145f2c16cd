import { type InvitationPreview, limits } from '@yitang/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { Link, navigate, sessionPath } from '../../lib/router';
import { appStore } from '../../store';
import { acceptInvitation, previewInvitation } from './api';

type Load =
  | { status: 'loading' }
  | { status: 'ready'; preview: InvitationPreview }
  | { status: 'error'; code: ClientErrorCode };

function InvalidInvitation() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <h1>{t('invite.invalidTitle')}</h1>
      <p className="banner banner--error" role="alert" data-testid="invite-invalid">
        {t('invite.invalidBody')}
      </p>
      <p>
        <Link to="/">{t('room.backToLobby')}</Link>
      </p>
    </div>
  );
}

/** An invitation link: what it is for, the guest's name, and the way in. */
export function InvitePage({ token }: { token: string }) {
  const { t, i18n } = useTranslation();
  const nameId = useId();
  const hintId = useId();
  const errorId = useId();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [name, setName] = useState('');
  const [nameInvalid, setNameInvalid] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClientErrorCode | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    setLoad({ status: 'loading' });
    previewInvitation(token).then(
      (preview) => {
        if (!live) return;
        setLoad({ status: 'ready', preview });
        setName(preview.name);
      },
      (err: unknown) => {
        if (live) setLoad({ status: 'error', code: toClientErrorCode(err) });
      },
    );
    return () => {
      live = false;
    };
  }, [token]);

  if (load.status === 'loading') {
    return (
      <p className="page hint" role="status">
        {t('app.loading')}
      </p>
    );
  }
  if (load.status === 'error' && (load.code === 'INVITATION_INVALID' || load.code === 'NOT_FOUND')) {
    return <InvalidInvitation />;
  }
  if (load.status === 'error') {
    return (
      <p className="page field-error" role="alert">
        {t(`errors.${load.code}`)}
      </p>
    );
  }
  if (error === 'INVITATION_INVALID') return <InvalidInvitation />;

  const { preview } = load;
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed === '' || trimmed.length > limits.maxNameLength) {
      setNameInvalid(true);
      nameRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const accepted = await acceptInvitation(token, { name: trimmed });
      appStore.getState().signedIn(accepted.member);
      navigate(sessionPath(accepted.sessionId), { replace: true });
    } catch (err) {
      setError(toClientErrorCode(err));
      setBusy(false);
    }
  };

  return (
    <div className="page invite">
      <h1>{t('invite.pageTitle')}</h1>
      <p>{t('invite.intro')}</p>
      <dl className="facts panel" data-testid="invite-preview">
        <div>
          <dt>{t('invite.topic')}</dt>
          <dd data-testid="invite-topic">{preview.session.topic}</dd>
        </div>
        <div>
          <dt>{t('invite.when')}</dt>
          <dd>{formatDateTime(preview.session.scheduledAt, i18n.language)}</dd>
        </div>
        <div>
          <dt>{t('invite.where')}</dt>
          <dd>{preview.session.roomName}</dd>
        </div>
        <div>
          <dt>{t('invite.role')}</dt>
          <dd data-testid="invite-role" data-role={preview.role}>
            {t(`roles.${preview.role}`)}
          </dd>
        </div>
        <div>
          <dt>{t('invite.expires')}</dt>
          <dd>{formatDateTime(preview.expiresAt, i18n.language)}</dd>
        </div>
      </dl>
      <form className="panel form" onSubmit={submit} noValidate aria-busy={busy || undefined}>
        {preview.accepted && (
          <p className="hint" data-testid="invite-returning">
            {t('invite.returning', { name: preview.name })}
          </p>
        )}
        <div className="field" hidden={preview.accepted}>
          <label htmlFor={nameId}>{t('invite.nameLabel')}</label>
          <input
            ref={nameRef}
            id={nameId}
            type="text"
            autoComplete="name"
            maxLength={limits.maxNameLength}
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setNameInvalid(false);
            }}
            aria-invalid={nameInvalid || undefined}
            aria-describedby={nameInvalid ? `${hintId} ${errorId}` : hintId}
            data-testid="invite-name-input"
          />
          <p id={hintId} className="hint">
            {t('invite.nameHint')}
          </p>
          {nameInvalid && (
            <p id={errorId} className="field-error">
              {t('invite.nameInvalid', { max: limits.maxNameLength })}
            </p>
          )}
        </div>
        <p role="alert" className="field-error">
          {error && t(`errors.${error}`)}
        </p>
        <button type="submit" className="button button--primary" disabled={busy} data-testid="invite-accept">
          {busy ? t('invite.accepting') : t(preview.accepted ? 'invite.reenter' : 'invite.accept')}
        </button>
      </form>
    </div>
  );
}
