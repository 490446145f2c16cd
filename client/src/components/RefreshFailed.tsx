import { useTranslation } from 'react-i18next';
import type { ClientErrorCode } from '../lib/errors';
import { Banner } from './Banner';

/**
 * What a page says when asking failed: the reason and a button to ask again. When it still shows
 * an earlier answer (`kept`: a list kept on screen, a record after a step), it also says that what
 * is shown may be out of date; without that the page looks current when it is not.
 */
export function RefreshFailed({
  error,
  kept,
  onRetry,
}: {
  error: ClientErrorCode;
  kept: boolean;
  onRetry: () => void;
}) {
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
      {t(kept ? 'common.refreshFailed' : 'common.loadFailed', { error: t(`errors.${error}`) })}
    </Banner>
  );
}
