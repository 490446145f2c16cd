import {
  mayReportTrackingDone,
  type TrackingItemResponse,
  type TrackingSourceKind,
  type TrackingStatus,
  trackingLimits,
} from '@yitang/shared';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { Field } from '../../components/Field';
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
      <Field label={t('tracking.report.text')} error={textMissing && t('tracking.report.textMissing')}>
        <textarea
          ref={textRef}
          value={text}
          rows={3}
          maxLength={trackingLimits.maxReportLength}
          required
          // biome-ignore lint/a11y/noAutofocus: the form opens on the user's click, focus belongs in it
          autoFocus={autoFocus}
          onChange={(e) => setText(e.target.value)}
          data-testid="report-text"
        />
      </Field>
      <div className="row row--wrap">
        <Field label={t('tracking.report.percent')}>
          <input
            type="number"
            inputMode="numeric"
            min={0}
            max={100}
            step={1}
            value={percent}
            onChange={(e) => setPercent(e.target.value)}
            data-testid="report-percent"
          />
        </Field>
        <Field label={t('tracking.report.nextStep')} className="row__full">
          <input
            type="text"
            maxLength={trackingLimits.maxNextStepLength}
            value={nextStep}
            onChange={(e) => setNextStep(e.target.value)}
          />
        </Field>
      </div>
      <Field
        label={t('tracking.report.files', { count: trackingLimits.maxAttachmentsPerReport, size: maxSize })}
        hint={t('tracking.report.filesHint')}
        error={fileProblem}
      >
        <input
          ref={filesRef}
          type="file"
          multiple
          accept={attachmentAccept}
          onChange={checkFiles}
          data-testid="report-files"
        />
      </Field>
      {mayReportTrackingDone(sourceKind) ? (
        <Field label={t('tracking.report.done')} check>
          <input type="checkbox" checked={done} onChange={(e) => setDone(e.target.checked)} data-testid="report-done" />
        </Field>
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
        <Banner tone="error" testId="report-error">
          <TrackingErrorText code={action.error} status={status} doing={{ kind: 'report' }} />
        </Banner>
      )}
    </form>
  );
}
