import type { DutyEntryView, MemberDutyResponse } from '@yitang/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { Link } from '../../lib/router';
import { useLoad } from '../../lib/useLoad';
import { useAppStore } from '../../store';
import { fetchMemberYear, fetchMyYear } from './api';
import { PeriodPicker, StaffNav } from './common';
import { EntryFormPanel } from './EntryFormPanel';
import { LedgerPanel } from './LedgerPanel';
import { MinimumsPanel } from './MinimumsPanel';
import {
  committeeToday,
  dutyAssessmentPath,
  dutyMemberPath,
  dutyMinePath,
  dutyMyBulletinPath,
  dutyReportPath,
  yearChoices,
} from './model';
import { ScorePanel } from './ScorePanel';

/**
 * One member's year: progress on the six minimums, the score with every point explained, the form
 * to submit a record, and the ledger. A member sees their own; staff see anyone's.
 */
export function MemberYearPage({ memberId, own, year }: { memberId: string; own: boolean; year: number | null }) {
  const { t } = useTranslation();
  const staff = useAppStore((s) => s.me?.kind === 'staff');
  const today = committeeToday();
  const shownYear = year ?? Number(today.slice(0, 4));
  const [focusEntry, setFocusEntry] = useState<string | null>(null);
  // The page stays while a change reads it again; another member's or year's answer is not shown.
  const key = `${own ? '' : memberId}:${shownYear}`;
  const loaded = useLoad(
    () => (own ? fetchMyYear(shownYear) : fetchMemberYear(memberId, shownYear)).then((res) => ({ key, res })),
    [key],
    { keep: true },
  );
  const { error, reload: load } = loaded;
  const data = loaded.data?.key === key ? loaded.data.res : null;
  const setData = (change: (d: MemberDutyResponse | null) => MemberDutyResponse | null) =>
    loaded.setData((d) => (d?.key === key ? { key, res: change(d.res) ?? d.res } : d));

  // A record just sent shows at once, before the page is read again (its score comes with that).
  const onSubmitted = (entry: DutyEntryView) => {
    setData((d) =>
      d && Number(entry.date.slice(0, 4)) === d.year
        ? { ...d, entries: [...d.entries.filter((e) => e.id !== entry.id), entry] }
        : d,
    );
    setFocusEntry(entry.id);
    load();
  };

  const onChanged = (entry: DutyEntryView) => {
    setData((d) => (d ? { ...d, entries: d.entries.map((e) => (e.id === entry.id ? entry : e)) } : d));
    load();
  };

  const title = data && !own ? t('duty.mine.titleOf', { name: data.member.name }) : t('duty.mine.title');
  const pathFor = (y: number) => (own && !staff ? dutyMinePath(y) : dutyMemberPath(memberId, y));

  return (
    <div className="page page--wide duty-page" data-testid="duty-member-page">
      {staff && <StaffNav />}
      <h1>{title}</h1>
      <p className="hint">{t('duty.mine.intro')}</p>
      <PeriodPicker
        key={shownYear}
        label={t('duty.year')}
        value={shownYear}
        options={yearChoices(today)}
        optionLabel={(y) => t('duty.yearOption', { year: y })}
        pathFor={pathFor}
        testId="duty-year"
      />
      {staff && (
        <p>
          <Link to={dutyAssessmentPath(shownYear)}>{t('duty.mine.backToAssessment')}</Link>
        </p>
      )}
      {error && (
        <p role="alert" className="field-error">
          {t(`errors.${error}`)}
        </p>
      )}
      {!data && !error && (
        <p role="status" className="hint">
          {t('app.loading')}
        </p>
      )}
      {data && (
        <>
          {!data.rubric && <Banner testId="duty-no-rubric">{t('duty.mine.noRubric', { year: data.year })}</Banner>}
          {data.score && data.rubric && (
            <MinimumsPanel score={data.score} titles={new Map(data.entries.map((e) => [e.id, e.title]))} />
          )}
          {data.score && data.rubric && (
            <ScorePanel
              score={data.score}
              rubricMax={data.rubric.rubricMax}
              assessment={data.assessment}
              entries={data.entries}
              year={data.year}
            />
          )}
          {own && !staff && <RankingNote year={data.year} />}
          {own && !staff && <ReportLinks year={data.year} />}
          {staff && (
            <p>
              <Link to={dutyMyBulletinPath(data.year, data.member.id)} data-testid="duty-member-bulletin-link">
                {t('duty.reports.bulletin.titleOf', { name: data.member.name, year: data.year })}
              </Link>
            </p>
          )}
          <EntryFormPanel
            today={today}
            forMember={staff ? { id: data.member.id, name: data.member.name } : null}
            onSubmitted={onSubmitted}
          />
          <LedgerPanel
            entries={data.entries}
            score={data.score}
            mayGiveFeedback={own && !staff}
            focusEntry={focusEntry}
            onChanged={onChanged}
          />
        </>
      )}
    </div>
  );
}

/** Where a member finds the annual assessment (the ranking shows there when the committee allows). */
function RankingNote({ year }: { year: number }) {
  const { t } = useTranslation();
  return (
    <p>
      <Link to={dutyAssessmentPath(year)} data-testid="duty-assessment-link">
        {t('duty.staffNav.assessment')}
      </Link>
    </p>
  );
}

/** A member's own quarterly bulletin and their yearly duty report (述职). */
function ReportLinks({ year }: { year: number }) {
  const { t } = useTranslation();
  return (
    <p className="row row--wrap">
      <Link to={dutyMyBulletinPath(year)} data-testid="duty-my-bulletin-link">
        {t('duty.reports.myBulletinNav')}
      </Link>
      <Link to={dutyReportPath(year)} data-testid="duty-report-link">
        {t('duty.reports.nav')}
      </Link>
    </p>
  );
}
