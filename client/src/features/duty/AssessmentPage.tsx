import { type AssessmentResponse, DutyKind, type MinimumId } from '@yitang/shared';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { Field } from '../../components/Field';
import { Link } from '../../lib/router';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';
import { useAppStore } from '../../store';
import { changeSettings, fetchAssessment, fetchSettings } from './api';
import { PeriodPicker, pointsText, StaffNav, TableScroll } from './common';
import { committeeToday, dutyAssessmentPath, dutyMemberPath, dutyMinePath, gradeIsFinal, yearChoices } from './model';
import { RatingForm } from './RatingForm';

/** The committee setting: whether members see the ranking. Saved as soon as it is switched. */
function RankingSetting() {
  const { t } = useTranslation();
  const ids = { head: useId() };
  const loaded = useLoad(fetchSettings, []);
  // The switch as last set here; until then as loaded.
  const [choice, setChoice] = useState<boolean | null>(null);
  const checked = choice ?? loaded.data?.rankingsVisibleToMembers ?? null;
  const [saved, setSaved] = useState('');
  const action = useAction();
  const error = action.error ?? loaded.error;

  const change = async (next: boolean) => {
    setChoice(next);
    setSaved('');
    const ok = await action.run(() => changeSettings({ rankingsVisibleToMembers: next }));
    if (ok) {
      setSaved(
        t('duty.assessment.settingSaved', {
          state: t(next ? 'duty.assessment.visibleOn' : 'duty.assessment.visibleOff'),
        }),
      );
    } else setChoice(!next);
  };
  return (
    <section className="panel" aria-labelledby={ids.head} data-testid="duty-settings">
      <h2 id={ids.head}>{t('duty.assessment.settingsTitle')}</h2>
      <Field check label={t('duty.assessment.rankingsVisible')} hint={t('duty.assessment.rankingsHint')}>
        <input
          type="checkbox"
          checked={checked ?? false}
          disabled={action.busy || checked === null}
          onChange={(e) => void change(e.target.checked)}
          data-testid="duty-rankings-visible"
        />
      </Field>
      <p role="status" className="hint" data-testid="duty-settings-status">
        {saved}
      </p>
      {error && (
        <p role="alert" className="field-error">
          {t(`errors.${error}`)}
        </p>
      )}
    </section>
  );
}

function AssessmentTable({ data, staff }: { data: AssessmentResponse; staff: boolean }) {
  const { t } = useTranslation();
  const missing = (ids: readonly MinimumId[]) =>
    ids.length === 0
      ? t('duty.assessment.none')
      : ids.map((id) => t(`duty.minimum.${id}`)).join(t('common.listSeparator'));
  const caption = staff ? t('duty.assessment.title', { year: data.year }) : t('duty.assessment.myRow');
  return (
    <TableScroll label={caption}>
      <table className="duty-table" data-testid="assessment-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {data.rankingsVisible && <th scope="col">{t('duty.assessment.rank')}</th>}
            <th scope="col">{t('duty.assessment.member')}</th>
            <th scope="col">{t('duty.assessment.sector')}</th>
            <th scope="col">{t('duty.assessment.rubric')}</th>
            <th scope="col">{t('duty.assessment.evaluation')}</th>
            <th scope="col">{t('duty.assessment.panel')}</th>
            <th scope="col">{t('duty.assessment.total')}</th>
            <th scope="col">{t('duty.assessment.grade')}</th>
            <th scope="col">{t('duty.assessment.missing')}</th>
          </tr>
        </thead>
        <tbody>
          {data.rows.map((r) => (
            <tr
              key={r.member.id}
              data-testid={`assessment-${r.member.id}`}
              data-total={r.assessment.total}
              data-grade={gradeIsFinal(data.year) ? r.assessment.grade : 'pending'}
            >
              {data.rankingsVisible && <td>{r.rank ?? ''}</td>}
              <th scope="row">
                <Link to={staff ? dutyMemberPath(r.member.id, data.year) : dutyMinePath(data.year)}>
                  {r.member.name}
                </Link>
              </th>
              <td>{r.member.sectorName ?? ''}</td>
              <td>{pointsText(r.assessment.rubricPoints)}</td>
              <td>{pointsText(r.assessment.evaluation.points)}</td>
              <td>{pointsText(r.assessment.panel.points)}</td>
              <td>
                <strong>{r.assessment.total}</strong>
              </td>
              <td>{gradeIsFinal(data.year) ? t(`duty.grade.${r.assessment.grade}`) : t('duty.gradePending')}</td>
              <td className="duty-table__wrap">{missing(r.score.missing)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/**
 * The annual assessment out of 100. Staff see every member, the statements on the six minimums and
 * the ranking setting; a member sees their own row, and the ranking only when the committee shows it.
 */
export function AssessmentPage({ year, staff }: { year: number | null; staff: boolean }) {
  const { t } = useTranslation();
  const today = committeeToday();
  const shown = year ?? Number(today.slice(0, 4));
  const rankingHead = useId();
  const statementsHead = useId();
  const meId = useAppStore((s) => s.me?.id);
  // Kept on screen while a sent score's new aggregates load.
  const { data, error, reload } = useLoad(() => fetchAssessment(shown), [shown], { keep: true });

  const totals = (d: AssessmentResponse) =>
    DutyKind.options
      .filter((k) => (d.totals.counts[k] ?? 0) > 0)
      .map((k) => `${t(`duty.kind.${k}`)} ${d.totals.counts[k]}`)
      .join(t('common.listSeparator'));

  return (
    <div className="page page--wide duty-page" data-testid="duty-assessment-page">
      {staff && <StaffNav />}
      <h1>{t('duty.assessment.title', { year: shown })}</h1>
      <PeriodPicker
        key={shown}
        label={t('duty.year')}
        value={shown}
        options={yearChoices(today)}
        optionLabel={(y) => t('duty.yearOption', { year: y })}
        pathFor={dutyAssessmentPath}
        testId="assessment-year"
      />
      {error === 'NOT_FOUND' ? (
        <Banner>{t('duty.assessment.noRubric', { year: shown })}</Banner>
      ) : (
        error && (
          <p role="alert" className="field-error">
            {t(`errors.${error}`)}
          </p>
        )
      )}
      {!data && !error && (
        <p role="status" className="hint">
          {t('app.loading')}
        </p>
      )}
      {data && data.year === shown && (
        <>
          {staff && <RankingSetting />}
          <section className="panel" aria-labelledby={rankingHead}>
            <h2 id={rankingHead}>{staff ? t('duty.assessment.titlePlain') : t('duty.assessment.myRow')}</h2>
            <AssessmentTable data={data} staff={staff} />
            <p className="hint">
              {t('duty.assessment.totals', { list: totals(data), sessions: data.totals.sessions })}
            </p>
          </section>
          {staff && data.statements.length > 0 && (
            <section className="panel" aria-labelledby={statementsHead} data-testid="assessment-statements">
              <h2 id={statementsHead}>{t('duty.assessment.statementsTitle')}</h2>
              <ul>
                {data.statements.map((s) => (
                  <li key={s.minimumId} data-testid={`statement-${s.minimumId}`} data-count={s.members.length}>
                    {s.members.length === 0
                      ? t('duty.assessment.statementNone', { minimum: t(`duty.minimum.${s.minimumId}`) })
                      : t('duty.assessment.statementSome', {
                          minimum: t(`duty.minimum.${s.minimumId}`),
                          names: s.members.map((m) => m.name).join(t('common.listSeparator')),
                        })}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {!staff && <MemberRanking data={data} />}
          {meId && <RatingForm year={data.year} meId={meId} staff={staff} onRated={reload} />}
        </>
      )}
    </div>
  );
}

/** A member's view of the ranking: shown only when the committee says so. */
function MemberRanking({ data }: { data: AssessmentResponse }) {
  const { t } = useTranslation();
  const headId = useId();
  return (
    <section className="panel" aria-labelledby={headId} data-testid="member-ranking">
      <h2 id={headId}>{t('duty.assessment.rankingTitle')}</h2>
      {!data.rankingsVisible ? (
        <p className="muted" data-testid="ranking-hidden">
          {t('duty.assessment.rankingHidden')}
        </p>
      ) : (
        <ol className="duty-ranking">
          {data.ranking.map((r) => (
            <li key={r.member.id} data-testid={`ranking-${r.member.id}`}>
              <span className="duty-ranking__rank">{r.rank}</span> {r.member.name}{' '}
              <span className="muted">
                {r.total} · {gradeIsFinal(data.year) ? t(`duty.grade.${r.grade}`) : t('duty.gradePending')}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
