import type { BallotContent, PollView } from '@yitang/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { Field } from '../../components/Field';
import type { ClientErrorCode } from '../../lib/errors';
import { newUuid } from '../../lib/ids';
import { useAppStore } from '../../store';
import { BallotForm } from '../polls/BallotForm';
import { useOptionLabel } from '../polls/pollText';
import { call } from '../room/roomSocket';
import {
  type BatchEntry,
  batchSize,
  type CountedSettings,
  countedChoices,
  entriesFromBallots,
  entriesFromCounts,
  isCounted,
  paperAllowance,
  parseCount,
} from './paperBatch';

interface Props {
  poll: PollView;
  disabled: boolean;
  /** The id of the note saying why entering is not possible now, if it is not. */
  disabledReasonId?: string;
}

/** Yes/no and single choice: one count field per choice (blank included). */
function CountFields({
  settings,
  texts,
  onChange,
  disabled,
}: {
  settings: CountedSettings;
  texts: Record<string, string>;
  onChange: (key: string, text: string) => void;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const label = useOptionLabel();
  return (
    <fieldset className="paper-batch__counts">
      <legend>{t('checkin.batchCountsLegend')}</legend>
      {countedChoices(settings).map(({ key }) => {
        const text = texts[key] ?? '';
        const invalid = parseCount(text) === null;
        return (
          <Field
            key={key === '' ? '(blank)' : key}
            label={key === '' ? t('checkin.batchBlank') : label(settings, key)}
            error={invalid && t('checkin.batchInvalidCount')}
            announce={false}
          >
            <input
              type="text"
              inputMode="numeric"
              pattern="[0-9]*"
              autoComplete="off"
              size={5}
              value={text}
              disabled={disabled}
              onChange={(e) => onChange(key, e.target.value)}
              data-testid={`paper-batch-count-${key === '' ? 'blank' : key}`}
            />
          </Field>
        );
      })}
    </fieldset>
  );
}

/**
 * A secret poll's paper ballots, entered as one anonymous batch: counts per choice (yes/no,
 * single choice) or ballots added one by one (multiple, ranking, score). No voter is chosen, so
 * nothing ties a paper ballot to a member; the remaining allowance is shown before sending.
 */
export function PaperBatchForm({ poll, disabled, disabledReasonId }: Props) {
  const { t } = useTranslation();
  const ids = { status: useId(), problem: useId() };
  const presence = useAppStore(useShallow((s) => s.presence));
  const { settings } = poll;
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [ballots, setBallots] = useState<BallotContent[]>([]);
  const [formKey, setFormKey] = useState(0);
  // One batch id per batch as typed: a retry of the same batch (lost ack) counts once; any edit
  // makes it another batch.
  const [batchId, setBatchId] = useState(newUuid);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<number | null>(null);
  const [failure, setFailure] = useState<ClientErrorCode | null>(null);

  const remaining = paperAllowance(poll, presence);
  const counted = isCounted(settings) ? settings : null;
  const parsed = counted ? Object.fromEntries(Object.entries(texts).map(([k, v]) => [k, parseCount(v)])) : {};
  const typos = Object.values(parsed).some((n) => n === null);
  const entries: BatchEntry[] = counted
    ? entriesFromCounts(counted, Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v ?? 0])))
    : entriesFromBallots(ballots);
  const size = batchSize(entries);
  const over = size > remaining;

  const edited = () => {
    setBatchId(newUuid());
    setDone(null);
    setFailure(null);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    // Its own form: the ballot form of multiple/ranking/score (a form itself) sits beside it.
    event.preventDefault();
    if (size === 0 || over || typos || busy) return;
    setBusy(true);
    const res = await call('vote:paperBatch', { pollId: poll.id, batchId, entries });
    setBusy(false);
    if (!res.ok) {
      setFailure(res.code);
      return;
    }
    setDone(res.data.count);
    setFailure(null);
    setTexts({});
    setBallots([]);
    setFormKey((k) => k + 1);
    setBatchId(newUuid());
  };

  const problem = typos
    ? null
    : over
      ? t('checkin.batchOver', { count: size, remaining })
      : failure
        ? t(`errors.${failure}`)
        : null;

  return (
    <div className="paper-batch" data-testid="paper-batch">
      <p className="hint">{t('checkin.batchIntro')}</p>
      <p id={ids.status} role="status" className="paper-batch__allowance" data-testid="paper-batch-remaining">
        {t('checkin.batchRemaining', { count: remaining })} {t('checkin.batchEntered', { count: poll.paperBallots })}
      </p>
      {!counted && (
        <div className="paper-batch__ballots">
          <p className="hint">{t('checkin.batchAddHint')}</p>
          <BallotForm
            key={formKey}
            settings={settings}
            busy={busy}
            disabled={disabled}
            {...(disabledReasonId ? { disabledReasonId } : {})}
            testPrefix="paper-batch"
            onCast={(content) => {
              setBallots((prev) => [...prev, content]);
              setFormKey((k) => k + 1);
              edited();
            }}
          />
          <p className="row row--wrap">
            <span>{t('checkin.batchAdded', { count: ballots.length })}</span>
            <button
              type="button"
              className="button button--small"
              disabled={ballots.length === 0 || busy}
              onClick={() => {
                setBallots((prev) => prev.slice(0, -1));
                edited();
              }}
              data-testid="paper-batch-undo"
            >
              {t('checkin.batchRemoveLast')}
            </button>
          </p>
        </div>
      )}
      <form onSubmit={submit} noValidate data-testid="paper-batch-form">
        {counted && (
          <CountFields
            settings={counted}
            texts={texts}
            disabled={disabled || busy}
            onChange={(key, text) => {
              setTexts((prev) => ({ ...prev, [key]: text }));
              edited();
            }}
          />
        )}
        <p className="row row--wrap">
          <span data-testid="paper-batch-size">{t('checkin.batchTotal', { count: size })}</span>
          <button
            type="submit"
            className="button"
            disabled={disabled || busy || size === 0 || over || typos}
            aria-describedby={problem ? `${ids.status} ${ids.problem}` : ids.status}
            data-testid="paper-batch-submit"
          >
            {t('checkin.batchSubmit')}
          </button>
        </p>
        {problem && (
          <p id={ids.problem} className="field-error" role="alert" data-testid="paper-batch-problem">
            {problem}
          </p>
        )}
      </form>
      <p role="status" className="hint" data-testid="paper-batch-status">
        {done !== null && t('checkin.batchDone', { count: done })}
      </p>
    </div>
  );
}
