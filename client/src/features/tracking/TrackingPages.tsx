import { useTranslation } from 'react-i18next';
import { SignedIn } from '../../components/SignedIn';
import { Link } from '../../lib/router';
import { DepartmentPage } from './DepartmentPage';
import { matchTrackingPage, trackingListPath } from './model';
import { TrackingItemPage } from './TrackingItemPage';
import { TrackingListPage } from './TrackingListPage';
import './tracking.css';

/** The tracking pages: the list (/tracking), one item (/tracking/:id), the department view (/department). */
export function TrackingPages({ path, search }: { path: string; search: string }) {
  const page = matchTrackingPage(path, search);
  const here = search ? `${path}?${search}` : path;
  return (
    <SignedIn returnTo={here}>
      {() => (
        <>
          {page.page === 'list' && <TrackingListPage filters={page.filters} />}
          {page.page === 'item' && <TrackingItemPage key={page.id} id={page.id} />}
          {page.page === 'department' && <DepartmentPage name={page.name} />}
          {page.page === 'none' && <TrackingNotFound />}
        </>
      )}
    </SignedIn>
  );
}

function TrackingNotFound() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <h1>{t('notFound.title')}</h1>
      <p>
        <Link to={trackingListPath}>{t('tracking.item.back')}</Link>
      </p>
    </div>
  );
}
