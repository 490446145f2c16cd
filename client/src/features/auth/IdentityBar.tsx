import { useTranslation } from 'react-i18next';
import { changePasswordPath, Link, loginPath, matchRoute, useLocation } from '../../lib/router';
import { useAppStore } from '../../store';

/** Who you are and the way out; or the way in. */
export function IdentityBar() {
  const { t } = useTranslation();
  const name = useAppStore((s) => s.me?.name);
  // Guests come in by an invitation link and have no password to change.
  const isGuest = useAppStore((s) => s.me?.kind === 'guest');
  const hasPassword = useAppStore((s) => s.me !== null && s.me.kind !== 'guest');
  const meStatus = useAppStore((s) => s.meStatus);
  const busy = useAppStore((s) => s.authBusy);
  const signOut = useAppStore((s) => s.signOut);
  const location = useLocation();
  if (!name) {
    if (meStatus !== 'ready' || matchRoute(location).name === 'login') return null;
    return (
      <Link to={loginPath(location)} className="button button--small" data-testid="sign-in-link">
        {t('auth.signIn')}
      </Link>
    );
  }
  return (
    <div className="identity-bar">
      <span className="identity-bar__name" data-testid="signed-in-as">
        {t('auth.signedInAs', { name })}
      </span>
      {hasPassword && (
        <Link to={changePasswordPath} className="button button--small" data-testid="change-password-link">
          {t('accounts.change.menu')}
        </Link>
      )}
      <button
        type="button"
        className="button button--small"
        disabled={busy}
        onClick={() => void signOut()}
        // A guest has no password: leaving is not final, the invitation link lets them back in.
        title={isGuest ? t('auth.guestLeaveHint') : undefined}
        data-testid="switch-identity"
      >
        {t(isGuest ? 'auth.guestLeave' : 'auth.signOut')}
      </button>
    </div>
  );
}
