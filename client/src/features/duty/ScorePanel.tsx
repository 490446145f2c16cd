import type { Assessment, DutyEntryView, MemberScore } from '@yitang/shared';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { pointsText } from './common';
import { entryAnchor } from './LedgerPanel';
import { gradeIsFinal } from './model';

/** The rubric score with every point named: each rule's records, the caps, the bonus and deductions. */
export function ScorePanel({
  score,
  rubricMax,
  assessment,
  entries,
  year,
}: {
  score: MemberScore;
  rubricMax: number;
  assessment: Assessment | null;
  entries: readonly DutyEntryView[];
  year: number;
}) {
  const { t } = useTranslation();
  const headId = useId();
  const titles = new Map(entries.map((e) => [e.id, e.title]));
  const titleOf = (id: string) => titles.get(id) ?? id;
  const used = score.lines.filter((l) => l.counted.length > 0 || l.overCap.length > 0);
  const unused = score.lines.filter((l) => l.counted.length === 0 && l.overCap.length === 0);
  const ruleText = (l: MemberScore['lines'][number]) =>
    l.cap === null
      ? t(l.each < 0 ? 'duty.score.ruleDeduction' : 'duty.score.rule', {
          label: l.label,
          each: pointsText(Math.abs(l.each)),
        })
      : t(l.each < 0 ? 'duty.score.ruleDeductionCap' : 'duty.score.ruleCap', {
          label: l.label,
          each: pointsText(Math.abs(l.each)),
          cap: l.cap,
        });
  return (
    <section className="panel duty-score" aria-labelledby={headId} data-testid="duty-score">
      <h2 id={headId}>{t('duty.score.title')}</h2>
      <p className="duty-score__total" data-testid="duty-score-total" data-points={score.points}>
        {t('duty.score.summary', { points: pointsText(score.points), max: rubricMax })}
      </p>
      {score.rawTotal !== score.points && (
        <p className="hint">{t('duty.score.rawNote', { raw: pointsText(score.rawTotal), max: rubricMax })}</p>
      )}
      <ul className="duty-score__lines">
        {used.map((line) => (
          <li
            key={line.ruleId}
            className="duty-line"
            data-testid={`duty-line-${line.ruleId}`}
            data-points={line.points}
          >
            <div className="duty-line__head">
              <span>{ruleText(line)}</span>
              <strong>{t('duty.score.ruleTotal', { points: pointsText(line.points) })}</strong>
            </div>
            <ul className="duty-line__entries">
              {line.counted.map((c) => (
                <li key={c.entryId}>
                  <a href={`#${entryAnchor(c.entryId)}`}>{titleOf(c.entryId)}</a>{' '}
                  <span className="duty-points">
                    {t('duty.signedPoints', { sign: c.points > 0 ? '+' : '', points: pointsText(c.points) })}
                  </span>
                </li>
              ))}
              {line.overCap.length > 0 && (
                <li className="muted">
                  {t('duty.score.overCap')}{' '}
                  {line.overCap.map((id, i) => (
                    <span key={id}>
                      {i > 0 && t('common.listSeparator')}
                      <a href={`#${entryAnchor(id)}`}>{titleOf(id)}</a>
                    </span>
                  ))}
                </li>
              )}
            </ul>
          </li>
        ))}
        {score.adjustments.map((a) => (
          <li
            key={`${a.type}-${a.minimumId ?? 'all'}`}
            className="duty-line duty-line--adjustment"
            data-testid={`duty-adjustment-${a.type}`}
          >
            <div className="duty-line__head">
              <span>
                {a.type === 'allMinimumsMet'
                  ? t('duty.score.bonus', { points: pointsText(a.points) })
                  : t('duty.score.deduction', {
                      minimum: a.minimumId ? t(`duty.minimum.${a.minimumId}`) : '',
                      points: Math.abs(a.points),
                    })}
              </span>
              <strong>{t('duty.score.ruleTotal', { points: pointsText(a.points) })}</strong>
            </div>
            {a.entryIds.length > 0 && (
              <p className="duty-line__refs">
                {a.entryIds.map((id, i) => (
                  <span key={id}>
                    {i > 0 && t('common.listSeparator')}
                    <a href={`#${entryAnchor(id)}`}>{titleOf(id)}</a>
                  </span>
                ))}
              </p>
            )}
          </li>
        ))}
      </ul>
      {unused.length > 0 && (
        <details className="duty-score__unused" data-testid="duty-score-unused">
          <summary>{t('duty.score.unused', { count: unused.length })}</summary>
          <ul>
            {unused.map((l) => (
              <li key={l.ruleId}>{ruleText(l)}</li>
            ))}
          </ul>
        </details>
      )}
      {assessment && (
        <>
          <h3>{t('duty.score.assessmentTitle')}</h3>
          <p data-testid="duty-assessment-line" data-grade={gradeIsFinal(year) ? assessment.grade : 'pending'}>
            {t('duty.score.assessmentLine', {
              total: assessment.total,
              rubric: pointsText(assessment.rubricPoints),
              evaluation: pointsText(assessment.evaluation.points),
              panel: pointsText(assessment.panel.points),
              grade: gradeIsFinal(year) ? t(`duty.grade.${assessment.grade}`) : t('duty.gradePending'),
            })}
          </p>
          <p className="hint">
            {t('duty.score.ratingNote', {
              evaluationCount: assessment.evaluation.count,
              panelCount: assessment.panel.count,
            })}
          </p>
        </>
      )}
    </section>
  );
}
