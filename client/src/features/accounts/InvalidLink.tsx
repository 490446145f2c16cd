import { useTranslation } from 'react-i18next';
import { Link } from '../../lib/router';

/** A used, expired or unknown setup, activation or reset link. */
export function InvalidLink() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <h1>{t('accounts.invalidLinkTitle')}</h1>
      <p className="banner banner--error" role="alert" data-testid="link-invalid">
        {t('accounts.invalidLinkBody')}
      </p>
      <p>
        <Link to="/">{t('notFound.back')}</Link>
      </p>
    </div>
  );
}
