import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store';

/** Who you are, and the way out to pick someone else. */
export function IdentityBar() {
  const { t } = useTranslation();
  const name = useAppStore((s) => s.me?.name);
  const busy = useAppStore((s) => s.authBusy);
  const signOut = useAppStore((s) => s.signOut);
  if (!name) return null;
  return (
    <div className="identity-bar">
      <span className="identity-bar__name" data-testid="signed-in-as">
        {t('auth.signedInAs', { name })}
      </span>
      <button
        type="button"
        className="button button--small"
        disabled={busy}
        onClick={() => void signOut()}
        data-testid="switch-identity"
      >
        {t('auth.switchIdentity')}
      </button>
    </div>
  );
}
