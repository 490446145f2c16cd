import {
  StaffTrackingSourceKind,
  type TrackingItemView,
  TrackingSourceKind,
  TrackingStatus,
  trackingSourceLimits,
} from '@yitang/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import { Link, navigate } from '../../lib/router';
import { useLoad } from '../../lib/useLoad';
import { useAppStore } from '../../store';
import { createTrackingItem, fetchDepartments, fetchTrackingList } from './api';
import { DeadlineText, SourceText, StatusBadge } from './common';
import { departmentPath, type TrackingFilters, trackingItemPath, trackingListHref } from './model';

/** Every tracking item the viewer may see, filtered by status, overdue and department. */
export function TrackingListPage({ filters }: { filters: TrackingFilters }) {
  const { t } = useTranslation();
  const kind = useAppStore((s) => s.me?.kind);
  const key = trackingListHref(filters);
  const list = useLoad(() => fetchTrackingList(filters), [key]);
  const items = list.data?.items ?? null;
  const error = list.error;
  // Without the departments the filter still works: it offers those of the items shown.
  const known = useLoad(() => fetchDepartments(), []);
  const departments = known.data?.departments ?? [];

  // Departments in the filter: those the viewer has items of, plus those whose view they may open.
  const shown = [...new Set([...departments, ...(items ?? []).map((i) => i.department).filter(Boolean)])].sort();

  return (
    <div className="page tracking-page" data-testid="tracking-list-page">
      <h1>{t('tracking.list.title')}</h1>
      <p className="hint">{t('tracking.list.intro')}</p>
      {(kind === 'staff' || departments.length > 0) && (
        <p>
          <Link
            to={departmentPath(departments.length === 1 ? departments[0] : undefined)}
            data-testid="tracking-department-link"
          >
            {t('tracking.list.departmentLink')}
          </Link>
        </p>
      )}
      <FilterForm filters={filters} departments={shown} />
      {kind === 'staff' && <CreateForm departments={shown} />}
      <ErrorBanner error={error} />
      {items === null && !error && (
        <p className="hint" role="status">
          {t('app.loading')}
        </p>
      )}
      {items !== null && (
        <>
          <p role="status" className="hint">
            {t('tracking.list.count', { count: items.length })}
          </p>
          {items.length === 0 ? (
            <p className="notice notice--empty">{t('tracking.list.empty')}</p>
          ) : (
            <ul className="tracking-list">
              {items.map((item) => (
                <TrackingRow key={item.id} item={item} />
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

function TrackingRow({ item }: { item: TrackingItemView }) {
  const { t } = useTranslation();
  return (
    <li
      className={`tracking-row${item.overdue ? ' tracking-row--overdue' : ''}`}
      data-testid={`tracking-row-${item.id}`}
    >
      <Link to={trackingItemPath(item.id)} className="tracking-row__title">
        {item.text}
      </Link>
      <p className="tracking-row__meta">
        <StatusBadge status={item.status} />
        <span>
          {item.department ? t('tracking.departmentName', { name: item.department }) : t('tracking.noDepartment')}
        </span>
        <span>{item.assignee ? t('tracking.assignee', { name: item.assignee.name }) : t('tracking.noAssignee')}</span>
        <DeadlineText item={item} />
      </p>
      <p className="tracking-row__topic muted">
        <SourceText item={item} />
      </p>
    </li>
  );
}

function FilterForm({ filters, departments }: { filters: TrackingFilters; departments: string[] }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState(filters.status ?? '');
  const [kind, setKind] = useState(filters.kind ?? '');
  const [department, setDepartment] = useState(filters.department ?? '');
  const [overdue, setOverdue] = useState(filters.overdue);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = TrackingStatus.safeParse(status);
    const source = TrackingSourceKind.safeParse(kind);
    navigate(
      trackingListHref({
        status: parsed.success ? parsed.data : null,
        department: department || null,
        overdue,
        kind: source.success ? source.data : null,
      }),
    );
  };
  return (
    <form className="tracking-filters row row--wrap" onSubmit={submit} aria-label={t('tracking.list.filters')}>
      <Field label={t('tracking.list.status')}>
        <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="tracking-filter-status">
          <option value="">{t('tracking.list.anyStatus')}</option>
          {TrackingStatus.options.map((s) => (
            <option key={s} value={s}>
              {t(`tracking.status.${s}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('tracking.list.department')}>
        <select
          value={department}
          onChange={(e) => setDepartment(e.target.value)}
          data-testid="tracking-filter-department"
        >
          <option value="">{t('tracking.list.anyDepartment')}</option>
          {[...new Set([...departments, ...(department ? [department] : [])])].map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('tracking.filterKind')}>
        <select value={kind} onChange={(e) => setKind(e.target.value)} data-testid="tracking-filter-kind">
          <option value="">{t('tracking.anyKind')}</option>
          {TrackingSourceKind.options.map((k) => (
            <option key={k} value={k}>
              {t(`tracking.source.kind.${k}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('tracking.list.overdueOnly')} check>
        <input
          type="checkbox"
          checked={overdue}
          onChange={(e) => setOverdue(e.target.checked)}
          data-testid="tracking-filter-overdue"
        />
      </Field>
      <button type="submit" className="button" data-testid="tracking-filter-apply">
        {t('tracking.list.apply')}
      </button>
    </form>
  );
}

/**
 * Staff set follow-up work directly: their own, or a finding of democratic supervision or an
 * inspection with its description. Folded away until opened, so the list stays first on a phone.
 */
function CreateForm({ departments }: { departments: string[] }) {
  const { t } = useTranslation();
  const list = useId();
  const [kind, setKind] = useState<StaffTrackingSourceKind>('supervision');
  const [title, setTitle] = useState('');
  const [summary, setSummary] = useState('');
  const [text, setText] = useState('');
  const [department, setDepartment] = useState('');
  const [deadline, setDeadline] = useState('');
  const [error, setError] = useState<ClientErrorCode | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await createTrackingItem({
        kind,
        title,
        text,
        department,
        ...(summary.trim() ? { summary } : {}),
        deadline: deadline || null,
      });
      navigate(trackingItemPath(res.item.id));
    } catch (err) {
      setError(toClientErrorCode(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="tracking-create">
      <summary data-testid="tracking-create-open">{t('tracking.create.open')}</summary>
      <form onSubmit={submit} aria-label={t('tracking.create.title')} data-testid="tracking-create-form">
        <Field label={t('tracking.create.kind')}>
          <select value={kind} onChange={(e) => setKind(StaffTrackingSourceKind.parse(e.target.value))}>
            {StaffTrackingSourceKind.options.map((k) => (
              <option key={k} value={k}>
                {t(`tracking.source.kind.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('tracking.create.sourceTitle')}>
          <input
            type="text"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            required
            maxLength={trackingSourceLimits.maxTitleLength}
          />
        </Field>
        <Field label={t('tracking.create.summary')}>
          <textarea
            value={summary}
            onChange={(e) => setSummary(e.target.value)}
            rows={3}
            maxLength={trackingSourceLimits.maxSummaryLength}
          />
        </Field>
        <Field label={t('tracking.create.text')}>
          <textarea
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={3}
            required
            maxLength={trackingSourceLimits.maxTextLength}
          />
        </Field>
        <Field label={t('tracking.create.department')}>
          <input
            type="text"
            list={list}
            value={department}
            onChange={(e) => setDepartment(e.target.value)}
            required
            maxLength={80}
          />
        </Field>
        <datalist id={list}>
          {departments.map((d) => (
            <option key={d} value={d} />
          ))}
        </datalist>
        <Field label={t('tracking.create.deadline')}>
          <input type="date" value={deadline} onChange={(e) => setDeadline(e.target.value)} />
        </Field>
        <ErrorBanner error={error} />
        <button type="submit" className="button" disabled={busy}>
          {t('tracking.create.submit')}
        </button>
      </form>
    </details>
  );
}
