import type { TrackingItemResponse, TrackingItemView } from '@yitang/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { Link, navigate } from '../../lib/router';
import { useLoad } from '../../lib/useLoad';
import { fetchDepartments, fetchDepartmentView } from './api';
import { DeadlineText, levelKey, SourceText, StatusBadge } from './common';
import { departmentPath, trackingItemPath } from './model';
import { ProgressReportForm } from './ProgressReportForm';

/**
 * A department's open items, overdue first, each with a one-click progress report: the form
 * opens right in the list, and the row shows the item's new state once it is sent.
 */
export function DepartmentPage({ name }: { name: string | null }) {
  const { t } = useTranslation();
  const chooser = useLoad(() => fetchDepartments(), []);
  const departments = chooser.data?.departments ?? null;
  const view = useLoad(() => fetchDepartmentView(name ?? ''), [name], { when: name !== null });
  const items = name === null ? null : (view.data?.items ?? null);
  const setItems = view.setData;
  const error = chooser.error ?? view.error;

  // Someone with one department goes straight to it.
  useEffect(() => {
    const only = departments?.[0];
    if (name === null && departments?.length === 1 && only) navigate(departmentPath(only), { replace: true });
  }, [departments, name]);

  const replace = (res: TrackingItemResponse) =>
    setItems((v) => v && { ...v, items: v.items.map((i) => (i.id === res.item.id ? res.item : i)) });

  return (
    <div className="page tracking-page" data-testid="department-page">
      <h1>
        {t('tracking.department.title')}
        {name ? t('common.afterColon', { text: name }) : ''}
      </h1>
      <p className="hint">{t('tracking.department.intro')}</p>
      {departments !== null && departments.length === 0 && <p className="notice">{t('tracking.department.none')}</p>}
      {departments !== null && departments.length > 1 && <DepartmentChooser departments={departments} current={name} />}
      <ErrorBanner error={error} />
      {name !== null && items === null && !error && (
        <p className="hint" role="status">
          {t('app.loading')}
        </p>
      )}
      {items !== null &&
        (items.length === 0 ? (
          <p className="notice notice--empty">{t('tracking.department.empty')}</p>
        ) : (
          <ul className="tracking-list">
            {items.map((item) => (
              <DepartmentRow key={item.id} item={item} onSent={replace} />
            ))}
          </ul>
        ))}
    </div>
  );
}

function DepartmentRow({ item, onSent }: { item: TrackingItemView; onSent: (res: TrackingItemResponse) => void }) {
  const { t } = useTranslation();
  const formId = useId();
  const [open, setOpen] = useState(false);
  const [sent, setSent] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const mayReport = item.status === 'assigned' || item.status === 'inProgress' || item.status === 'returned';
  return (
    <li
      className={`tracking-row${item.overdue ? ' tracking-row--overdue' : ''}`}
      data-testid={`department-row-${item.id}`}
    >
      <Link to={trackingItemPath(item.id)} className="tracking-row__title">
        {item.text}
      </Link>
      <p className="tracking-row__meta">
        <StatusBadge status={item.status} />
        <DeadlineText item={item} />
        <span>{item.assignee ? t('tracking.assignee', { name: item.assignee.name }) : t('tracking.noAssignee')}</span>
        {item.chaseLevel > 0 && <span className="badge badge--warn">{t(levelKey(item.chaseLevel))}</span>}
      </p>
      <p className="tracking-row__topic muted">
        <SourceText item={item} />
      </p>
      {mayReport && (
        <button
          type="button"
          className="button button--small"
          aria-expanded={open}
          aria-controls={formId}
          ref={buttonRef}
          onClick={() => {
            setSent(false);
            setOpen((o) => !o);
          }}
          data-testid={`department-report-${item.id}`}
        >
          {t('tracking.report.open')}
        </button>
      )}
      <span role="status" className="hint">
        {sent ? t('tracking.report.sent') : ''}
      </span>
      <div id={formId} hidden={!open}>
        {open && (
          <ProgressReportForm
            itemId={item.id}
            status={item.status}
            sourceKind={item.source.kind}
            autoFocus
            onSent={(res) => {
              setOpen(false);
              setSent(true);
              onSent(res);
              // The form is gone: keep the keyboard where it was.
              buttonRef.current?.focus();
            }}
          />
        )}
      </div>
    </li>
  );
}

function DepartmentChooser({ departments, current }: { departments: string[]; current: string | null }) {
  const { t } = useTranslation();
  const [value, setValue] = useState(current ?? departments[0] ?? '');
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (value) navigate(departmentPath(value));
  };
  return (
    <form className="row row--wrap" onSubmit={submit}>
      <Field label={t('tracking.department.choose')} className="field--inline">
        <select value={value} onChange={(e) => setValue(e.target.value)} data-testid="department-choose">
          {departments.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
      </Field>
      <button type="submit" className="button">
        {t('tracking.department.show')}
      </button>
    </form>
  );
}
