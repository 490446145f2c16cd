import type { MinutesInfo, MinutesStatus, SessionView } from '@yitang/shared';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { ConfirmButton } from '../../components/ConfirmButton';
import { useAction } from '../../lib/useAction';
import { useAppStore } from '../../store';
import { transitionMinutes } from './api';
import { actionState, type MinutesStanding, minutesSteps, stepState } from './rules';

/** 草稿 → 审阅中 → 已批准 → 已发布, with where the minutes are now. */
export function MinutesSteps({ status }: { status: MinutesStatus }) {
  const { t } = useTranslation();
  return (
    <ol className="minutes-steps" aria-label={t('minutes.review.stepsLabel')} data-testid="minutes-steps">
      {minutesSteps.map((step) => {
        const state = stepState(step, status);
        return (
          <li
            key={step}
            className={`minutes-steps__step minutes-steps__step--${state}`}
            aria-current={state === 'current' ? 'step' : undefined}
            data-step={step}
            data-state={state}
          >
            <span className="minutes-steps__mark" aria-hidden="true">
              {state === 'done' ? '✓' : minutesSteps.indexOf(step) + 1}
            </span>
            <span>{t(`minutes.lifecycle.${step}`)}</span>
            <span className="visually-hidden">{t(`minutes.review.step.${state}`)}</span>
          </li>
        );
      })}
    </ol>
  );
}

/** Both conveners approve the version in review; this lists them and who has. */
function Approvals({ info, session, nameOf }: ApprovalsProps) {
  const { t } = useTranslation();
  const conveners = session
    ? [
        { id: session.firstConvenerId, role: 'firstConvener' as const },
        ...(session.secondConvenerId ? [{ id: session.secondConvenerId, role: 'secondConvener' as const }] : []),
      ]
    : [];
  const approvedAll = info.status === 'approved' || info.status === 'published';
  const count = info.approvals.length;
  // Anyone who approved but is not a convener we know of (the room did not load) is still listed.
  const others = info.approvals.filter((id) => !conveners.some((c) => c.id === id));
  return (
    <div className="minutes-approvals" data-testid="minutes-approvals" data-count={info.approvals.length}>
      <p className="minutes-approvals__count">
        {approvedAll
          ? t('minutes.review.approvalsDone')
          : conveners.length > 0
            ? t('minutes.review.approvalsOf', { count, total: conveners.length })
            : t('minutes.review.approvals', { count })}
      </p>
      <ul className="minutes-approvals__list">
        {conveners.map((c) => {
          const approved = approvedAll || info.approvals.includes(c.id);
          return (
            <li key={c.id} data-testid={`minutes-approval-${c.id}`} data-approved={approved}>
              <span
                className={approved ? 'minutes-approvals__mark--yes' : 'minutes-approvals__mark'}
                aria-hidden="true"
              >
                {approved ? '✓' : '○'}
              </span>
              {t('minutes.review.convener', { role: t(`roles.${c.role}`), name: nameOf(c.id) })}
              <span className="minutes-approvals__state">
                {t(approved ? 'minutes.review.approved' : 'minutes.review.notApproved')}
              </span>
            </li>
          );
        })}
        {others.map((id) => (
          <li key={id} data-testid={`minutes-approval-${id}`} data-approved="true">
            <span className="minutes-approvals__mark--yes" aria-hidden="true">
              ✓
            </span>
            {nameOf(id)}
            <span className="minutes-approvals__state">{t('minutes.review.approved')}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

interface ApprovalsProps {
  info: MinutesInfo;
  session: SessionView | null;
  nameOf: (id: string) => string;
}

interface ReviewActionsProps {
  sessionId: string;
  info: MinutesInfo;
  nameOf: (id: string) => string;
  onChanged: () => void;
}

/** The buttons that move the minutes on, by role and status, and the approvals so far. */
export function ReviewActions({ sessionId, info, nameOf, onChanged }: ReviewActionsProps) {
  const { t } = useTranslation();
  const errorId = useId();
  const noteId = useId();
  const role = useAppStore((s) => (s.roomSessionId === sessionId ? s.you?.role : undefined));
  const session = useAppStore((s) => (s.roomSessionId === sessionId ? s.session : null));
  const memberId = useAppStore((s) => s.me?.id);
  const staffAccount = useAppStore((s) => s.me?.kind === 'staff');
  const action = useAction();
  const standing: MinutesStanding = {
    role,
    staffAccount,
    memberId,
    status: info.status,
    sessionState: session?.state ?? info.sessionState,
    approvals: info.approvals,
  };
  const review = actionState('review', standing);
  const withdraw = actionState('withdraw', standing);
  const approve = actionState('approve', standing);
  const publish = actionState('publish', standing);
  const openComments = info.comments.filter((c) => !c.resolved);
  const move = async (to: 'draft' | 'inReview' | 'approved' | 'published', openCommentsSeen = false) => {
    if (await action.run(() => transitionMinutes(sessionId, to, openCommentsSeen))) onChanged();
  };
  /**
   * Approving or publishing over open review comments: the comments are named and the button
   * asks first (the server refuses it otherwise).
   */
  const guarded = (to: 'approved' | 'published', label: string, testId: string, describedBy: string) =>
    openComments.length === 0 ? (
      <button
        type="button"
        className="button button--primary"
        disabled={action.busy}
        aria-describedby={describedBy}
        onClick={() => void move(to)}
        data-testid={testId}
      >
        {label}
      </button>
    ) : (
      <>
        <div className="banner" role="note" data-testid="minutes-open-comments">
          <p>{t('minutes.review.openComments', { count: openComments.length })}</p>
          <ul>
            {openComments.map((c) => (
              <li key={c.id}>{t('minutes.review.openComment', { name: c.authorName, text: c.text })}</li>
            ))}
          </ul>
        </div>
        <ConfirmButton
          confirmKey={`minutes-${to}`}
          question={t('minutes.review.confirmOverOpen', { count: openComments.length })}
          onConfirm={() => void move(to, true)}
          className="button button--primary"
          disabled={action.busy}
          describedBy={describedBy}
          testId={testId}
        >
          {label}
        </ConfirmButton>
      </>
    );
  const showApprovals = info.status !== 'draft';

  return (
    <section className="panel minutes-actions" aria-labelledby={`${noteId}-h`} data-testid="minutes-actions">
      <h2 id={`${noteId}-h`}>{t('minutes.review.actionsTitle')}</h2>
      <p className="hint">{t(`minutes.review.now.${info.status}`)}</p>
      {showApprovals && <Approvals info={info} session={session} nameOf={nameOf} />}
      <div className="minutes-actions__buttons" aria-busy={action.busy || undefined}>
        {review !== 'hidden' && (
          <>
            <ConfirmButton
              confirmKey="minutes-inReview"
              question={t('minutes.review.confirmReview')}
              onConfirm={() => void move('inReview')}
              className="button button--primary"
              disabled={review !== 'ready' || action.busy}
              describedBy={review === 'notClosed' ? noteId : `${noteId}-review`}
              testId="minutes-transition-review"
            >
              {t('minutes.review.submitReview')}
            </ConfirmButton>
            <p id={`${noteId}-review`} className="hint minutes-actions__note">
              {t('minutes.review.reviewNote')}
            </p>
            {review === 'notClosed' && (
              <p id={noteId} className="hint">
                {t('minutes.review.notClosed')}
              </p>
            )}
          </>
        )}
        {approve === 'ready' && (
          <>
            {guarded('approved', t('minutes.review.approve'), 'minutes-approve', `${noteId}-approve`)}
            <p id={`${noteId}-approve`} className="hint minutes-actions__note">
              {t('minutes.review.approveNote')}
            </p>
          </>
        )}
        {withdraw === 'ready' && (
          <ConfirmButton
            confirmKey="minutes-draft"
            question={t('minutes.review.confirmWithdraw')}
            onConfirm={() => void move('draft')}
            className="button"
            disabled={action.busy}
            testId="minutes-withdraw"
          >
            {t('minutes.review.withdraw')}
          </ConfirmButton>
        )}
        {approve === 'approvedByYou' && (
          <Banner tone="ok" testId="minutes-approved-by-you">
            {t('minutes.review.approvedByYou')}
          </Banner>
        )}
        {publish === 'ready' && (
          <>
            {guarded('published', t('minutes.review.publish'), 'minutes-publish', `${noteId}-publish`)}
            <p id={`${noteId}-publish`} className="hint minutes-actions__note">
              {t('minutes.review.publishNote')}
            </p>
          </>
        )}
      </div>
      <p id={errorId} role="alert" className="field-error" data-testid="minutes-action-error">
        {action.error && t(`errors.${action.error}`)}
      </p>
    </section>
  );
}
