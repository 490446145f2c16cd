import { useTranslation } from 'react-i18next';
import type { ClientErrorCode } from '../lib/errors';

/** A failed request's error, said in the reader's language and announced (role="alert"). */
export function ErrorBanner({ error }: { error: ClientErrorCode | null }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p className="banner banner--error" role="alert">
      {t(`errors.${error}`)}
    </p>
  );
}
