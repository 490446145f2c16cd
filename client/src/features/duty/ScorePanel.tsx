import type { Assessment, DutyEntryView, MemberScore } from '@yitang/shared';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { pointsText } from './common';
import { entryAnchor } from './LedgerPanel';

/** The rubric score with every point named: each rule's records, the caps, the bonus and deductions. */
export function ScorePanel({
  score,
  rubricMax,
  assessment,
  entries,
}: {
  score: MemberScore;
  rubricMax: number;
  assessment: Assessment | null;
  entries: readonly DutyEntryView[];
}) {
  const { t } = useTranslation();
  const headId = useId();
  const titles = new Map(entries.map((e) => [e.id, e.title]));
  const titleOf = (id: string) => titles.get(id) ?? id;
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
        {score.lines.map((line) => (
          <li
            key={line.ruleId}
            className="duty-line"
            data-testid={`duty-line-${line.ruleId}`}
            data-points={line.points}
          >
            <div className="duty-line__head">
              <span>
                {line.cap === null
                  ? t('duty.score.rule', { label: line.label, each: pointsText(line.each) })
                  : t('duty.score.ruleCap', { label: line.label, each: pointsText(line.each), cap: line.cap })}
              </span>
              <strong>{t('duty.score.ruleTotal', { points: pointsText(line.points) })}</strong>
            </div>
            {line.counted.length === 0 && line.overCap.length === 0 ? (
              <p className="hint">{t('duty.score.noneCounted')}</p>
            ) : (
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
            )}
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
      {assessment && (
        <>
          <h3>{t('duty.score.assessmentTitle')}</h3>
          <p data-testid="duty-assessment-line" data-grade={assessment.grade}>
            {t('duty.score.assessmentLine', {
              total: assessment.total,
              rubric: pointsText(assessment.rubricPoints),
              evaluation: pointsText(assessment.evaluation.points),
              panel: pointsText(assessment.panel.points),
              grade: t(`duty.grade.${assessment.grade}`),
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
