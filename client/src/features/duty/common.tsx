import type { DutyStatus } from '@yitang/shared';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { Link, navigate, useLocation } from '../../lib/router';
import {
  dutyAssessmentPath,
  dutyBulletinPath,
  dutyImportPath,
  dutyReportPath,
  dutyReviewPath,
  dutyRubricsPath,
} from './model';

/** The staff pages' own navigation; the current one is marked for screen readers. */
export function StaffNav() {
  const { t } = useTranslation();
  const here = useLocation().split('?')[0];
  const items: Array<[string, string, string]> = [
    [dutyReviewPath, t('duty.staffNav.review'), 'review'],
    [dutyBulletinPath(), t('duty.staffNav.bulletin'), 'bulletin'],
    [dutyAssessmentPath(), t('duty.staffNav.assessment'), 'assessment'],
    [dutyImportPath, t('duty.staffNav.import'), 'import'],
    [dutyRubricsPath(), t('duty.staffNav.rubrics'), 'rubrics'],
    [dutyReportPath(), t('duty.reports.nav'), 'report'],
  ];
  return (
    <nav className="duty-nav" aria-label={t('duty.staffNav.label')}>
      <ul>
        {items.map(([to, label, id]) => (
          <li key={id}>
            <Link to={to} aria-current={here === to ? 'page' : undefined} data-testid={`duty-nav-${id}`}>
              {label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Points as a person reads them: 4, 16.5, −3. */
export const pointsText = (n: number) => (n < 0 ? `−${Math.abs(n)}` : String(n));

export function StatusBadge({ status }: { status: DutyStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`badge duty-status duty-status--${status}`} data-testid="duty-status" data-status={status}>
      {t(`duty.status.${status}`)}
    </span>
  );
}

/**
 * A small form to choose a year or quarter; the choice goes into the address (so back/forward and
 * sharing a link work) only when sent, so moving through the options with the keyboard loads nothing.
 */
export function PeriodPicker<T extends string | number>(props: {
  label: string;
  value: T;
  options: readonly T[];
  optionLabel: (value: T) => string;
  pathFor: (value: T) => string;
  testId: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const [value, setValue] = useState(String(props.value));
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const chosen = props.options.find((o) => String(o) === value);
    if (chosen !== undefined) navigate(props.pathFor(chosen));
  };
  return (
    <form className="duty-period row row--wrap" onSubmit={submit} aria-label={props.label}>
      <Field className="field--inline" label={props.label}>
        <select value={value} onChange={(e) => setValue(e.target.value)} data-testid={props.testId}>
          {props.options.map((o) => (
            <option key={String(o)} value={String(o)}>
              {props.optionLabel(o)}
            </option>
          ))}
        </select>
      </Field>
      <button type="submit" className="button" data-testid={`${props.testId}-show`}>
        {t('duty.bulletin.show')}
      </button>
      {props.children}
    </form>
  );
}

/** A wide table that scrolls sideways on a phone; the region is named and reachable by keyboard. */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    // A scrollable region must be focusable so keyboard users can scroll it.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: see above.
    <section className="duty-table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
