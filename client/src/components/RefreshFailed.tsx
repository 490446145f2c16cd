import { useTranslation } from 'react-i18next';
import type { ClientErrorCode } from '../lib/errors';
import { Banner } from './Banner';

/**
 * What a page says when asking again failed while it still shows an earlier answer (a list kept
 * on screen, a record after a step): the reason, that what is shown may be out of date, and a
 * button to ask again. Without it the page looks current when it is not.
 */
export function RefreshFailed({ error, onRetry }: { error: ClientErrorCode; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Banner
      tone="error"
      testId="refresh-failed"
      actions={
        <button type="button" className="button" onClick={onRetry}>
          {t('common.retry')}
        </button>
      }
    >
      {t('common.refreshFailed', { error: t(`errors.${error}`) })}
    </Banner>
  );
}
