import {
  mayReportTrackingDone,
  type TrackingItemResponse,
  type TrackingSourceKind,
  type TrackingStatus,
  trackingLimits,
} from '@yitang/shared';
import { type FormEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAction } from '../../lib/useAction';
import { postProgressReport } from './api';
import { TrackingErrorText } from './common';
import { attachmentAccept, checkReportFiles, fileSizeText } from './model';

/**
 * The department's progress report: text, optional percent and next step, "all done", files.
 * Used on the item page and, folded into one line, in the department list. An item whose source
 * ends it (a proposal's, done by the reply) offers no "all done": it reports progress only.
 */
export function ProgressReportForm({
  itemId,
  status,
  sourceKind,
  onSent,
  autoFocus,
}: {
  itemId: string;
  status: TrackingStatus;
  sourceKind: TrackingSourceKind;
  onSent: (res: TrackingItemResponse) => void;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  const ids = {
    text: useId(),
    textError: useId(),
    percent: useId(),
    next: useId(),
    done: useId(),
    files: useId(),
    filesHint: useId(),
    filesError: useId(),
  };
  const [text, setText] = useState('');
  const [percent, setPercent] = useState('');
  const [nextStep, setNextStep] = useState('');
  const [done, setDone] = useState(false);
  const [textMissing, setTextMissing] = useState(false);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const filesRef = useRef<HTMLInputElement>(null);
  const action = useAction();
  const maxSize = fileSizeText(trackingLimits.maxAttachmentBytes);

  const checkFiles = (): boolean => {
    const files = Array.from(filesRef.current?.files ?? []);
    const problem = checkReportFiles(files);
    if (!problem) {
      setFileProblem(null);
      return true;
    }
    setFileProblem(
      problem.kind === 'tooMany'
        ? t('tracking.report.tooMany', { count: problem.count })
        : problem.kind === 'tooLarge'
          ? t('tracking.report.tooLarge', { name: problem.name, size: maxSize })
          : t('tracking.report.badType', { name: problem.name }),
    );
    return false;
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSent(false);
    if (text.trim() === '') {
      setTextMissing(true);
      textRef.current?.focus();
      return;
    }
    setTextMissing(false);
    if (!checkFiles()) {
      filesRef.current?.focus();
      return;
    }
    const form = new FormData();
    form.set('text', text.trim());
    if (percent !== '') form.set('percent', percent);
    if (nextStep.trim() !== '') form.set('nextStep', nextStep.trim());
    form.set('done', done ? 'true' : 'false');
    for (const f of Array.from(filesRef.current?.files ?? [])) form.append('files', f, f.name);
    let answer: TrackingItemResponse | null = null;
    const ok = await action.run(async () => {
      answer = await postProgressReport(itemId, form);
    });
    if (ok && answer) {
      setText('');
      setPercent('');
      setNextStep('');
      setDone(false);
      if (filesRef.current) filesRef.current.value = '';
      setSent(true);
      onSent(answer);
    }
  };

  return (
    <form className="tracking-report-form" onSubmit={submit} noValidate data-testid={`report-form-${itemId}`}>
      <div className="field">
        <label htmlFor={ids.text}>{t('tracking.report.text')}</label>
        <textarea
          id={ids.text}
          ref={textRef}
          value={text}
          rows={3}
          maxLength={trackingLimits.maxReportLength}
          required
          aria-invalid={textMissing}
          aria-describedby={textMissing ? ids.textError : undefined}
          // biome-ignore lint/a11y/noAutofocus: the form opens on the user's click, focus belongs in it
          autoFocus={autoFocus}
          onChange={(e) => setText(e.target.value)}
          data-testid="report-text"
        />
        {textMissing && (
          <p id={ids.textError} className="field-error" role="alert">
            {t('tracking.report.textMissing')}
          </p>
        )}
      </div>
      <div className="row row--wrap">
        <div className="field">
          <label htmlFor={ids.percent}>{t('tracking.report.percent')}</label>
          <input
            id={ids.percent}
            type="number"
            inputMode="numeric"
            min={0}
            max={100}
            step={1}
            value={percent}
            onChange={(e) => setPercent(e.target.value)}
            data-testid="report-percent"
          />
        </div>
        <div className="field row__full">
          <label htmlFor={ids.next}>{t('tracking.report.nextStep')}</label>
          <input
            id={ids.next}
            type="text"
            maxLength={trackingLimits.maxNextStepLength}
            value={nextStep}
            onChange={(e) => setNextStep(e.target.value)}
          />
        </div>
      </div>
      <div className="field">
        <label htmlFor={ids.files}>
          {t('tracking.report.files', { count: trackingLimits.maxAttachmentsPerReport, size: maxSize })}
        </label>
        <input
          id={ids.files}
          ref={filesRef}
          type="file"
          multiple
          accept={attachmentAccept}
          aria-invalid={fileProblem !== null}
          aria-describedby={fileProblem ? `${ids.filesHint} ${ids.filesError}` : ids.filesHint}
          onChange={checkFiles}
          data-testid="report-files"
        />
        <p id={ids.filesHint} className="hint">
          {t('tracking.report.filesHint')}
        </p>
        {fileProblem && (
          <p id={ids.filesError} className="field-error" role="alert">
            {fileProblem}
          </p>
        )}
      </div>
      {mayReportTrackingDone(sourceKind) ? (
        <div className="check">
          <input
            id={ids.done}
            type="checkbox"
            checked={done}
            onChange={(e) => setDone(e.target.checked)}
            data-testid="report-done"
          />
          <label htmlFor={ids.done}>{t('tracking.report.done')}</label>
        </div>
      ) : (
        <p className="hint" data-testid="report-done-by-source">
          {t('tracking.report.doneByReply')}
        </p>
      )}
      <div className="row row--wrap">
        <button type="submit" className="button button--primary" disabled={action.busy} data-testid="report-submit">
          {action.busy ? t('common.sending') : t('tracking.report.submit')}
        </button>
        <span role="status" className="hint">
          {sent ? t('tracking.report.sent') : ''}
        </span>
      </div>
      {action.error && (
        <p className="banner banner--error" role="alert" data-testid="report-error">
          <TrackingErrorText code={action.error} status={status} doing={{ kind: 'report' }} />
        </p>
      )}
    </form>
  );
}
