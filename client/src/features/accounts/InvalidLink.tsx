import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { Link } from '../../lib/router';

/** A used, expired or unknown setup, activation or reset link. */
export function InvalidLink() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <h1>{t('accounts.invalidLinkTitle')}</h1>
      <Banner tone="error" testId="link-invalid">
        {t('accounts.invalidLinkBody')}
      </Banner>
      <p>
        <Link to="/">{t('notFound.back')}</Link>
      </p>
    </div>
  );
}
