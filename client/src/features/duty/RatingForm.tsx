import type { DutyRatingKind } from '@yitang/shared';
import { type FormEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';
import { fetchMembers } from '../auth/api';
import { rate } from './api';

type Problem = 'member' | 'score';

/**
 * Scoring a member for the year: the democratic evaluation (members and staff) or the duty-report
 * panel (staff). Scoring the same member again replaces the score; only averages are ever shown.
 */
export function RatingForm({
  year,
  meId,
  staff,
  onRated,
}: {
  year: number;
  meId: string;
  staff: boolean;
  onRated: () => void;
}) {
  const { t } = useTranslation();
  const ids = { head: useId(), problem: useId() };
  // Without the list the form can still not be sent, so a failed load says nothing more.
  const members =
    useLoad(() => fetchMembers().then((list) => list.filter((m) => m.kind === 'member' && m.id !== meId)), [meId])
      .data ?? [];
  const [kind, setKind] = useState<DutyRatingKind>(staff ? 'panel' : 'evaluation');
  const [memberId, setMemberId] = useState('');
  const [score, setScore] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState('');
  const memberRef = useRef<HTMLSelectElement>(null);
  const scoreRef = useRef<HTMLInputElement>(null);
  const action = useAction();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setDone('');
    const value = Number(score);
    const found: Problem | null =
      memberId === '' ? 'member' : score.trim() === '' || !(value >= 0 && value <= 100) ? 'score' : null;
    setProblem(found);
    if (found === 'member') memberRef.current?.focus();
    if (found === 'score') scoreRef.current?.focus();
    if (found) return;
    const ok = await action.run(() => rate({ kind, year, memberId, score: value }));
    if (!ok) return;
    const name = members.find((m) => m.id === memberId)?.name ?? memberId;
    setDone(t('duty.rating.done', { name, kind: t(`duty.rating.kind.${kind}`) }));
    setScore('');
    onRated();
  };

  return (
    <section className="panel duty-rating" aria-labelledby={ids.head} data-testid="duty-rating">
      <h2 id={ids.head}>{t('duty.rating.title', { year })}</h2>
      <p className="hint">{t('duty.rating.intro')}</p>
      <form onSubmit={submit} noValidate aria-labelledby={ids.head}>
        <div className="duty-form__grid">
          {staff && (
            <Field label={t('duty.rating.kindLabel')}>
              <select
                value={kind}
                onChange={(e) => setKind(e.target.value === 'evaluation' ? 'evaluation' : 'panel')}
                data-testid="rating-kind"
              >
                <option value="panel">{t('duty.rating.kind.panel')}</option>
                <option value="evaluation">{t('duty.rating.kind.evaluation')}</option>
              </select>
            </Field>
          )}
          <Field label={t('duty.rating.member')}>
            <select
              ref={memberRef}
              value={memberId}
              aria-invalid={problem === 'member' || undefined}
              aria-describedby={problem === 'member' ? ids.problem : undefined}
              onChange={(e) => setMemberId(e.target.value)}
              data-testid="rating-member"
            >
              <option value="">{t('common.choose')}</option>
              {members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.sectorName ? t('common.withAside', { main: m.name, aside: m.sectorName }) : m.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('duty.rating.score')} hint={t('duty.rating.scoreHint')}>
            <input
              ref={scoreRef}
              type="number"
              inputMode="decimal"
              min={0}
              max={100}
              step={0.5}
              value={score}
              aria-invalid={problem === 'score' || undefined}
              aria-describedby={problem === 'score' ? ids.problem : undefined}
              onChange={(e) => setScore(e.target.value)}
              data-testid="rating-score"
            />
          </Field>
        </div>
        {problem && (
          <p id={ids.problem} role="alert" className="field-error">
            {t(problem === 'member' ? 'duty.rating.memberMissing' : 'duty.rating.scoreBad')}
          </p>
        )}
        {action.error && (
          <p role="alert" className="field-error">
            {t(`errors.${action.error}`)}
          </p>
        )}
        <div className="row row--wrap">
          <button type="submit" className="button button--primary" disabled={action.busy} data-testid="rating-submit">
            {action.busy ? t('common.sending') : t('duty.rating.submit')}
          </button>
          <p role="status" className="duty-form__done" data-testid="rating-done">
            {done}
          </p>
        </div>
      </form>
    </section>
  );
}
