import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Parser } from '../../lib/http';
import { useLoad } from '../../lib/useLoad';

/** `GET /api/auth/oidc`: whether the server offers single sign-on. */
const oidcStatus: Parser<boolean> = {
  parse: (body) => typeof body === 'object' && body !== null && 'enabled' in body && body.enabled === true,
};

/** Whether the server offers single sign-on (false until it says so, or if it cannot be asked). */
export function useSsoEnabled(): boolean {
  // Unreachable or refused: what works without it stays.
  return useLoad(() => api('/api/auth/oidc', oidcStatus), []).data === true;
}

/**
 * "使用统一身份认证登录": a plain link to the server's sign-on start (a full page navigation to the
 * identity platform and back), shown only where the server has single sign-on configured.
 */
export function OidcSignIn({ next }: { next: string }) {
  const { t } = useTranslation();
  const hintId = useId();
  const enabled = useSsoEnabled();
  if (!enabled) return null;
  return (
    <div className="panel form" data-testid="oidc-panel">
      <p className="muted" aria-hidden="true">
        {t('sso.or')}
      </p>
      <a
        className="button"
        href={`/api/auth/oidc/start?next=${encodeURIComponent(next)}`}
        aria-describedby={hintId}
        data-testid="oidc-sign-in"
      >
        {t('sso.signIn')}
      </a>
      <p id={hintId} className="muted">
        {t('sso.hint')}
      </p>
    </div>
  );
}
