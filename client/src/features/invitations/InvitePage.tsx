import { limits } from '@yitang/shared';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { Field } from '../../components/Field';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { Link, navigate, sessionPath } from '../../lib/router';
import { useLoad } from '../../lib/useLoad';
import { appStore } from '../../store';
import { acceptInvitation, previewInvitation } from './api';

function InvalidInvitation() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <h1>{t('invite.invalidTitle')}</h1>
      <Banner tone="error" testId="invite-invalid">
        {t('invite.invalidBody')}
      </Banner>
      <p>
        <Link to="/">{t('room.backToLobby')}</Link>
      </p>
    </div>
  );
}

/** An invitation link: what it is for, the guest's name, and the way in. */
export function InvitePage({ token }: { token: string }) {
  const { t, i18n } = useTranslation();
  const load = useLoad(() => previewInvitation(token), [token]);
  // The name the guest types; until they type, the one the link was made for.
  const [typed, setTyped] = useState<string | null>(null);
  const [nameInvalid, setNameInvalid] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClientErrorCode | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);

  if (load.error === 'INVITATION_INVALID' || load.error === 'NOT_FOUND') return <InvalidInvitation />;
  if (load.error) {
    return (
      <p className="page field-error" role="alert">
        {t(`errors.${load.error}`)}
      </p>
    );
  }
  if (!load.data) {
    return (
      <p className="page hint" role="status">
        {t('app.loading')}
      </p>
    );
  }
  if (error === 'INVITATION_INVALID') return <InvalidInvitation />;

  const preview = load.data;
  const name = typed ?? preview.name;
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
        <div hidden={preview.accepted}>
          <Field
            label={t('invite.nameLabel')}
            hint={t('invite.nameHint')}
            error={nameInvalid && t('invite.nameInvalid', { max: limits.maxNameLength })}
          >
            <input
              ref={nameRef}
              type="text"
              autoComplete="name"
              maxLength={limits.maxNameLength}
              value={name}
              onChange={(e) => {
                setTyped(e.target.value);
                setNameInvalid(false);
              }}
              data-testid="invite-name-input"
            />
          </Field>
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
