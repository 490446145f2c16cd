import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { loginPath, navigate } from '../lib/router';
import { useAppStore } from '../store';

/**
 * Shows `children(meId)` to a signed-in person; sends anyone else to sign in, to come back to
 * `returnTo`. While the identity loads it says so; an auth error is shown as such.
 */
export function SignedIn({ returnTo, children }: { returnTo: string; children: (meId: string) => ReactNode }) {
  const { t } = useTranslation();
  const meId = useAppStore((s) => s.me?.id);
  const meStatus = useAppStore((s) => s.meStatus);
  const error = useAppStore((s) => s.authError);
  const signedOut = meStatus === 'ready' && !meId;

  useEffect(() => {
    if (signedOut) navigate(loginPath(returnTo), { replace: true });
  }, [signedOut, returnTo]);

  if (meStatus === 'error' && error) {
    return (
      <p className="page field-error" role="alert">
        {t(`errors.${error}`)}
      </p>
    );
  }
  if (!meId) {
    return (
      <p className="page hint" role="status">
        {t('app.loading')}
      </p>
    );
  }
  return children(meId);
}
