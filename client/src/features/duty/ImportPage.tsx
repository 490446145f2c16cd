import { dutyLimits } from '@yitang/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import { type ImportOutcome, importFile } from './api';
import { StaffNav, TableScroll } from './common';

/** Staff: import past records from XLSX or CSV; a file with any problem is refused whole, with a report. */
export function ImportPage() {
  const { t } = useTranslation();
  const ids = { intro: useId() };
  const fileRef = useRef<HTMLInputElement>(null);
  const reportRef = useRef<HTMLHeadingElement>(null);
  const [busy, setBusy] = useState(false);
  const [missingFile, setMissingFile] = useState(false);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const [error, setError] = useState<ClientErrorCode | null>(null);

  const send = async (dryRun: boolean) => {
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setMissingFile(true);
      fileRef.current?.focus();
      return;
    }
    if (file.size > dutyLimits.maxImportBytes) {
      setOutcome(null);
      setError('PAYLOAD_TOO_LARGE');
      return;
    }
    setMissingFile(false);
    setBusy(true);
    setError(null);
    setOutcome(null);
    try {
      setOutcome(await importFile(file, dryRun));
    } catch (err) {
      setError(toClientErrorCode(err));
    } finally {
      setBusy(false);
    }
  };

  // The report is what the person came for: take them there once it shows.
  useEffect(() => {
    if (outcome) reportRef.current?.focus();
  }, [outcome]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void send(false);
  };

  return (
    <div className="page page--wide duty-page" data-testid="duty-import-page">
      <StaffNav />
      <h1>{t('duty.import.title')}</h1>
      <p id={ids.intro} className="hint">
        {t('duty.import.intro')}
      </p>
      <form className="panel" onSubmit={submit} noValidate aria-describedby={ids.intro} aria-busy={busy || undefined}>
        <Field label={t('duty.import.file')} error={missingFile ? t('duty.import.chooseFile') : undefined}>
          <input
            ref={fileRef}
            type="file"
            accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={() => setMissingFile(false)}
            data-testid="import-file"
          />
        </Field>
        <div className="row row--wrap">
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => void send(true)}
            data-testid="import-check"
          >
            {t('duty.import.check')}
          </button>
          <button type="submit" className="button button--primary" disabled={busy} data-testid="import-submit">
            {t('duty.import.submit')}
          </button>
        </div>
      </form>
      <p role="status" className="hint" data-testid="import-status">
        {busy ? t('duty.import.working') : ''}
      </p>
      {error && (
        <p role="alert" className="field-error">
          {t(`errors.${error}`)}
        </p>
      )}
      {outcome && (
        <section className="panel" aria-live="polite" data-testid="import-report" data-ok={outcome.ok}>
          <h2 ref={reportRef} tabIndex={-1}>
            {t('duty.import.reportTitle')}
          </h2>
          {outcome.ok ? (
            <>
              <p className="duty-ok" data-testid="import-result">
                {outcome.result.dryRun
                  ? t('duty.import.checked')
                  : t('duty.import.imported', { count: outcome.result.imported })}
              </p>
              {outcome.result.alreadyPresent > 0 && (
                <p className="hint">{t('duty.import.alreadyPresent', { count: outcome.result.alreadyPresent })}</p>
              )}
            </>
          ) : (
            <>
              <p className="field-error" data-testid="import-result">
                {t('duty.import.refused', { count: outcome.problems.length })}
              </p>
              <TableScroll label={t('duty.import.reportTitle')}>
                <table className="duty-table" data-testid="import-problems">
                  <thead>
                    <tr>
                      <th scope="col">{t('duty.import.row')}</th>
                      <th scope="col">{t('duty.import.column')}</th>
                      <th scope="col">{t('duty.import.problem')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {outcome.problems.map((p) => (
                      <tr key={`${p.row}-${p.column ?? ''}-${p.code}`} data-code={p.code}>
                        <td>{p.row}</td>
                        <td>{p.column ?? t('duty.import.wholeRow')}</td>
                        <td>{p.problem}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            </>
          )}
        </section>
      )}
    </div>
  );
}
