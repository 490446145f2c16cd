import { type PollResult, type PollSettings, type PollTally, tallyEntry } from '@yitang/shared';
import { useTranslation } from 'react-i18next';
import { useOptionLabel } from './pollText';

interface Row {
  id: string;
  label: string;
  /** 0..1 of the bar. */
  share: number;
  value: string;
  /** The bare number, for tests and tools. */
  raw: number;
}

const ratio = (part: number, whole: number) => (whole <= 0 ? 0 : Math.max(0, Math.min(1, part / whole)));

interface RowText {
  label: (id: string) => string;
  points: (count: number) => string;
  average: (avg: number | null) => string;
}

function rowsOf(settings: PollSettings, tally: PollTally, text: RowText): Row[] {
  const { label } = text;
  const rows: Row[] = [];
  switch (tally.kind) {
    case 'yesno':
      for (const id of ['yes', 'no', 'abstain'] as const) {
        rows.push({
          id,
          label: label(id),
          share: ratio(tally[id], tally.ballots),
          value: String(tally[id]),
          raw: tally[id],
        });
      }
      break;
    case 'single':
    case 'multiple':
      if (settings.kind === 'yesno') break;
      for (const o of settings.options) {
        const votes = tallyEntry(tally.votes, o.id);
        rows.push({ id: o.id, label: o.label, share: ratio(votes, tally.ballots), value: String(votes), raw: votes });
      }
      break;
    case 'ranking': {
      if (settings.kind === 'yesno') break;
      const most = Math.max(0, ...settings.options.map((o) => tallyEntry(tally.points, o.id)));
      for (const o of settings.options) {
        const points = tallyEntry(tally.points, o.id);
        rows.push({
          id: o.id,
          label: o.label,
          share: ratio(points, most),
          value: text.points(points),
          raw: points,
        });
      }
      break;
    }
    case 'score': {
      if (settings.kind !== 'score') break;
      const { min, max } = settings.scoreRange;
      for (const o of settings.options) {
        const sum = tallyEntry(tally.sums, o.id);
        const count = tallyEntry(tally.counts, o.id);
        const avg = count === 0 ? null : sum / count;
        rows.push({
          id: o.id,
          label: o.label,
          share: avg === null ? 0 : ratio(avg - min, max - min),
          value: text.average(avg),
          raw: avg ?? 0,
        });
      }
      break;
    }
  }
  return rows;
}

/** The counts as bars, in the order the options were offered (so nothing jumps while votes come in). */
export function TallyView({ settings, tally, final }: { settings: PollSettings; tally: PollTally; final: boolean }) {
  const { t } = useTranslation();
  const optionLabel = useOptionLabel();
  const rows = rowsOf(settings, tally, {
    label: (id) => optionLabel(settings, id),
    points: (count) => t('poll.points', { count }),
    average: (avg) => (avg === null ? t('poll.noScores') : t('poll.average', { avg: avg.toFixed(1) })),
  });
  const blank = tally.kind === 'yesno' ? null : tally.blank;
  return (
    <div className="tally" data-testid="poll-tally">
      <dl className="tally__rows" aria-label={final ? t('poll.finalTally') : t('poll.tallyLabel')}>
        {rows.map((row) => (
          <div key={row.id} className={`tally__row tally__row--${row.id}`}>
            <dt>{row.label}</dt>
            <dd>
              <span className="tally__bar" aria-hidden="true">
                <span style={{ width: `${row.share * 100}%` }} />
              </span>
              <span className="tally__count" data-testid={`tally-${row.id}`} data-value={row.raw}>
                {row.value}
              </span>
            </dd>
          </div>
        ))}
      </dl>
      <p className="tally__total">
        {t('poll.ballots', { count: tally.ballots })}
        {blank !== null && ` · ${t('poll.blankCount', { count: blank })}`}
      </p>
    </div>
  );
}

/**
 * Places of standings listed best first, equal values sharing a place ("1, 2, 2, 4"): two options
 * with the same points are both 2nd, not 2nd and 3rd.
 */
export function sharedPlaces(keys: ReadonlyArray<number | null>): Array<{ place: number; tied: boolean }> {
  return keys.map((key, i) => {
    const first = keys.indexOf(key);
    const tied = keys.filter((k) => k === key).length > 1;
    return { place: first === -1 ? i + 1 : first + 1, tied };
  });
}

/** The evaluated result: outcome, quorum, base and the standings best first. */
export function ResultView({
  settings,
  result,
  presentElectorate,
  outcomeText,
}: {
  settings: PollSettings;
  result: PollResult;
  presentElectorate: number | null;
  outcomeText: string;
}) {
  const { t } = useTranslation();
  const optionLabel = useOptionLabel();
  const outcome = result.kind === 'yesno' ? result.outcome : result.outcome.type;
  const standings: Array<{ id: string; value: string; key: number | null }> =
    result.kind === 'yesno'
      ? []
      : result.kind === 'ranking'
        ? result.standings.map((s) => ({ id: s.optionId, value: t('poll.points', { count: s.points }), key: s.points }))
        : result.kind === 'score'
          ? result.standings.map((s) => ({
              id: s.optionId,
              value: s.average === null ? t('poll.noScores') : t('poll.average', { avg: s.average.toFixed(1) }),
              key: s.average,
            }))
          : result.standings.map((s) => ({ id: s.optionId, value: t('poll.votes', { count: s.votes }), key: s.votes }));
  const places = sharedPlaces(standings.map((s) => s.key));
  return (
    <div className="result" data-testid="poll-result">
      <p className={`outcome outcome--${outcome}`} data-testid="poll-outcome" data-outcome={outcome}>
        {t('poll.outcomeLabel', { outcome: outcomeText })}
      </p>
      <p className="hint">
        {settings.quorum.type === 'none'
          ? t('poll.result.quorumNone')
          : t('poll.result.quorum', {
              required: result.quorum.required,
              ballots: result.ballots,
              status: t(result.quorum.reached ? 'poll.result.quorumReached' : 'poll.result.quorumMissed'),
            })}{' '}
        {t('poll.result.base', { base: result.base })}
        {result.votesNeeded !== null && ` · ${t('poll.result.votesNeeded', { count: result.votesNeeded })}`}
        {presentElectorate !== null && ` · ${t('poll.result.present', { count: presentElectorate })}`}
      </p>
      {standings.length > 0 && (
        <>
          <h4 className="result__heading">{t('poll.result.standings')}</h4>
          <ol className="standings" data-testid="poll-standings">
            {standings.map((s, i) => {
              const place = places[i] ?? { place: i + 1, tied: false };
              return (
                <li key={s.id} value={place.place} data-testid={`standing-${s.id}`} data-place={place.place}>
                  <span>{optionLabel(settings, s.id)}</span> <span className="muted">{s.value}</span>
                  {place.tied && <span className="muted">{t('poll.result.tiedPlace')}</span>}
                </li>
              );
            })}
          </ol>
          {settings.kind === 'ranking' && (
            <p className="hint" data-testid="poll-borda">
              {t('poll.result.borda', { top: settings.options.length - 1 })}
            </p>
          )}
        </>
      )}
    </div>
  );
}
