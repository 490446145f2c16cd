import type { TrackingItemView, TrackingStatus } from '@yitang/shared';
import { useTranslation } from 'react-i18next';
import type { ClientErrorCode } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { Link, sessionPath } from '../../lib/router';

/** Where the source of an item lives in the app: an outcome's session, a proposal; findings have no page. */
export function sourcePath(item: Pick<TrackingItemView, 'source' | 'sessionId'>): string | null {
  if (item.source.kind === 'outcome') return item.sessionId ? sessionPath(item.sessionId) : null;
  if (item.source.kind === 'proposal' && item.source.id) return `/proposals/${encodeURIComponent(item.source.id)}`;
  return null;
}

/** The item's source kind and title, linking back to it when it has a page. */
export function SourceText({ item }: { item: Pick<TrackingItemView, 'source' | 'sessionId' | 'topic'> }) {
  const { t } = useTranslation();
  const text =
    item.source.kind === 'outcome'
      ? t('tracking.topic', { topic: item.topic })
      : t('tracking.source.title', { kind: t(`tracking.source.kind.${item.source.kind}`), title: item.source.title });
  const path = sourcePath(item);
  return (
    <span className="tracking-source" data-testid="tracking-source" data-kind={item.source.kind}>
      {path ? <Link to={path}>{text}</Link> : text}
    </span>
  );
}

export function StatusBadge({ status }: { status: TrackingStatus }) {
  const { t } = useTranslation();
  return (
    <span
      className={`badge tracking-status tracking-status--${status}`}
      data-testid="tracking-status"
      data-status={status}
    >
      {t(`tracking.status.${status}`)}
    </span>
  );
}

/** Deadline, with an overdue mark that does not rely on colour. */
export function DeadlineText({ item }: { item: Pick<TrackingItemView, 'deadline' | 'overdue'> }) {
  const { t, i18n } = useTranslation();
  return (
    <span className="tracking-deadline">
      {item.deadline
        ? t('tracking.deadline', { date: formatDateTime(item.deadline, i18n.language, 'date') })
        : t('tracking.noDeadline')}
      {item.overdue && (
        <>
          {' '}
          <span className="badge badge--warn" data-testid="tracking-overdue">
            {t('tracking.overdue')}
          </span>
        </>
      )}
    </span>
  );
}

/** What the people acting on an item may be told went wrong. */
export type TrackingDoing =
  | { kind: 'action'; action: 'start' | 'report' | 'verify' | 'return' | 'close' }
  | { kind: 'report' }
  | { kind: 'chase' }
  | { kind: 'assign' }
  | { kind: 'rate' };

/** The message key of a chase level: 1 催办, 2 督办, 3 reported to the leader. */
export const levelKey = (level: number) =>
  level >= 3 ? 'tracking.level.leader' : level === 2 ? 'tracking.level.escalated' : 'tracking.level.chased';

const doingKey = {
  report: 'tracking.report.title',
  chase: 'tracking.chase.title',
  assign: 'tracking.assign.title',
  rate: 'tracking.rate.title',
} as const;

/** A refusal in plain Chinese (or English): which status forbade what, or which part the person lacks. */
export function TrackingErrorText({
  code,
  status,
  doing,
}: {
  code: ClientErrorCode;
  status: TrackingStatus;
  doing: TrackingDoing;
}) {
  const { t } = useTranslation();
  const label = doing.kind === 'action' ? t(`tracking.action.${doing.action}`) : t(doingKey[doing.kind]);
  const statusText = t(`tracking.status.${status}`);
  let text: string;
  if (code === 'ILLEGAL_TRANSITION') {
    if (doing.kind === 'report') text = t('tracking.errors.reportIllegal', { status: statusText });
    else if (doing.kind === 'chase') text = t('tracking.errors.chaseIllegal', { status: statusText });
    else if (doing.kind === 'rate') text = t('tracking.errors.rateIllegal');
    else text = t('tracking.errors.illegal', { status: statusText, action: label });
  } else if (code === 'FORBIDDEN') {
    text = t('tracking.errors.forbidden', { action: label });
  } else {
    text = t(`errors.${code}`);
  }
  return <>{text}</>;
}
