import type { MinutesStatus } from '@yitang/shared';
import { useTranslation } from 'react-i18next';

/** The minutes' lifecycle status (草稿 / 审阅中 / 已批准 / 已发布) as a badge. */
export function MinutesStatusBadge({ status }: { status: MinutesStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge--minutes-${status}`} data-testid="minutes-state" data-state={status}>
      {t(`minutes.lifecycle.${status}`)}
    </span>
  );
}
