import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../lib/useLoad';
import { fetchDepartmentTable } from './api';

/**
 * The dashboard's department table for a period: each department's democratic appraisal
 * (ratings given, and its figure once an appraisal has three ratings or more).
 */
export function DepartmentTable({ from, to }: { from: string; to: string }) {
  const { t } = useTranslation();
  const titleId = useId();
  // The table of the last period stays while another period loads.
  const { data, error } = useLoad(() => fetchDepartmentTable(from, to), [from, to], { keep: true });
  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('activities.departmentTable.title')}</h2>
      {error && <p role="alert">{t('activities.loadFailed', { error: t(`errors.${error}`) })}</p>}
      {data && data.departments.length === 0 && <p className="hint">{t('activities.departmentTable.none')}</p>}
      {data && data.departments.length > 0 && (
        <table data-testid="dashboard-departments">
          <thead>
            <tr>
              <th scope="col">{t('activities.departmentTable.department')}</th>
              <th scope="col">{t('activities.departmentTable.ratings')}</th>
              <th scope="col">{t('activities.departmentTable.appraisal')}</th>
            </tr>
          </thead>
          <tbody>
            {data.departments.map((d) => (
              <tr key={d.department}>
                <th scope="row">{d.department}</th>
                <td>{d.appraisalRatings}</td>
                <td data-testid="department-appraisal">{d.appraisal ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="hint">{t('activities.departmentTable.hint')}</p>
    </section>
  );
}
