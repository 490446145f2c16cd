import { useTranslation } from 'react-i18next';
import type { ClientErrorCode } from '../lib/errors';
import { Banner } from './Banner';

/** A failed request's error, said in the reader's language and announced (role="alert"). */
export function ErrorBanner({ error, testId }: { error: ClientErrorCode | null; testId?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <Banner tone="error" testId={testId}>
      {t(`errors.${error}`)}
    </Banner>
  );
}
