import type { TopicState } from '@yitang/shared';
import { useTranslation } from 'react-i18next';

export function TopicStateBadge({ state }: { state: TopicState }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge--topic-${state}`} data-testid="topic-state" data-state={state}>
      {t(`topics.state.${state}`)}
    </span>
  );
}
