import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { SignedIn } from '../../components/SignedIn';
import { Link, navigate } from '../../lib/router';
import { useAppStore } from '../../store';
import { AssessmentPage } from './AssessmentPage';
import { BulletinPage } from './BulletinPage';
import { DutyReportPage } from './DutyReportPage';
import { ImportPage } from './ImportPage';
import { MemberYearPage } from './MemberYearPage';
import { MyBulletinPage } from './MyBulletinPage';
import { type DutyPage, dutyReviewPath, matchDutyPage } from './model';
import { ReviewQueuePage } from './ReviewQueuePage';
import { RubricEditorPage } from './RubricEditorPage';
import './duty.css';

function Refused({ message }: { message: string }) {
  const { t } = useTranslation();
  return (
    <div className="page">
      <p role="alert" className="field-error" data-testid="duty-refused">
        {message}
      </p>
      <p>
        <Link to="/">{t('notFound.back')}</Link>
      </p>
    </div>
  );
}

function Page({ page, meId }: { page: DutyPage; meId: string }) {
  const { t } = useTranslation();
  const kind = useAppStore((s) => s.me?.kind);
  const staff = kind === 'staff';
  const staffAtHome = staff && page.page === 'mine';

  // Staff keep no duty record of their own: their home here is the queue to verify.
  useEffect(() => {
    if (staffAtHome) navigate(dutyReviewPath, { replace: true });
  }, [staffAtHome]);

  switch (page.page) {
    case 'notFound':
      return (
        <div className="page">
          <h1>{t('notFound.title')}</h1>
          <p>
            <Link to="/">{t('notFound.back')}</Link>
          </p>
        </div>
      );
    case 'mine':
      if (staff) return null;
      if (kind !== 'member') return <Refused message={t('duty.notMember')} />;
      return <MemberYearPage memberId={meId} own year={page.year} />;
    case 'member':
      // A member's own address shows their page; anyone else's is for staff (the server says so too).
      if (!staff && page.memberId !== meId) return <Refused message={t('errors.FORBIDDEN')} />;
      return <MemberYearPage memberId={page.memberId} own={page.memberId === meId} year={page.year} />;
    case 'assessment':
      if (!staff && kind !== 'member') return <Refused message={t('duty.notMember')} />;
      return <AssessmentPage year={page.year} staff={staff} />;
    case 'review':
      return staff ? <ReviewQueuePage /> : <Refused message={t('errors.FORBIDDEN')} />;
    case 'bulletin':
      return staff ? <BulletinPage quarter={page.quarter} /> : <Refused message={t('errors.FORBIDDEN')} />;
    case 'import':
      return staff ? <ImportPage /> : <Refused message={t('errors.FORBIDDEN')} />;
    case 'rubrics':
      return staff ? (
        <RubricEditorPage key={page.year ?? 'current'} year={page.year} />
      ) : (
        <Refused message={t('errors.FORBIDDEN')} />
      );
    case 'report':
      if (!staff && kind !== 'member') return <Refused message={t('duty.notMember')} />;
      return <DutyReportPage year={page.year} staff={staff} />;
    case 'myBulletin':
      // A member reads their own; another member's is for staff (the server says so too).
      if (!staff && kind !== 'member') return <Refused message={t('duty.notMember')} />;
      if (!staff && page.memberId && page.memberId !== meId) return <Refused message={t('errors.FORBIDDEN')} />;
      return <MyBulletinPage year={page.year} memberId={staff ? page.memberId : null} staff={staff} />;
  }
}

/** Everything under /duty: a member's own record, and the staff pages. */
export function DutyPages({ path, search }: { path: string; search: string }) {
  const page = matchDutyPage(path, search);
  return (
    <SignedIn returnTo={search ? `${path}?${search}` : path}>{(meId) => <Page page={page} meId={meId} />}</SignedIn>
  );
}
