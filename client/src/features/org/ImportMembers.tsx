import { type ImportedAccount, limits, type MemberImportProblem, type MemberImportReport } from '@yitang/shared';
import { type ChangeEvent, type DragEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { SignedIn } from '../../components/SignedIn';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { Link, orgImportPath } from '../../lib/router';
import { useAppStore } from '../../store';
import { type MemberImportOutcome, uploadMembers } from './importApi';
import {
  downloadText,
  isSheetFile,
  linksCsv,
  linkUrl,
  mayConfirm,
  percent,
  templateCsv,
  tooLarge,
} from './importMembers';
import { orgPath } from './orgPath';
import './ImportMembers.css';

type Phase = { step: 'idle' } | { step: 'uploading'; percent: number } | { step: 'working' };

/** A problem in the page's language: the server's words in Chinese, ours by its key in English. */
function useProblemText() {
  const { t, i18n } = useTranslation();
  return (p: MemberImportProblem) =>
    i18n.language.startsWith('zh')
      ? p.problem
      : t(`orgImport.problemText.${p.code}`, { max: limits.memberImportMaxRows, defaultValue: p.problem });
}

function Report({ report, refused }: { report: MemberImportReport; refused: boolean }) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const { toCreate, problems } = report;
  const list = (names: string[]) => names.join(t('common.listSeparator'));
  return (
    <>
      <p>{t('orgImport.rows', { count: report.rows })}</p>
      {report.alreadyImported ? (
        <Banner tone="ok" testId="import-already">
          {t('orgImport.alreadyImported')}
        </Banner>
      ) : (
        <ul className="import-counts" data-testid="import-counts">
          <li>{t('orgImport.toCreateMembers', { count: toCreate.members })}</li>
          {toCreate.sectors.length > 0 && <li>{t('orgImport.toCreateSectors', { names: list(toCreate.sectors) })}</li>}
          {toCreate.workingGroups.length > 0 && (
            <li>{t('orgImport.toCreateWorkingGroups', { names: list(toCreate.workingGroups) })}</li>
          )}
          {toCreate.districts.length > 0 && (
            <li>{t('orgImport.toCreateDistricts', { names: list(toCreate.districts) })}</li>
          )}
        </ul>
      )}
      {problems.length === 0 ? (
        !report.alreadyImported && (
          <Banner tone="ok" testId="import-clean">
            {t('orgImport.noProblems')}
          </Banner>
        )
      ) : (
        <>
          <p className="field-error" data-testid="import-problem-count">
            {refused
              ? t('orgImport.refused', { count: problems.length })
              : t('orgImport.problems', { count: problems.length })}
          </p>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard. */}
          <section className="import-scroll" aria-label={t('orgImport.reportTitle')} tabIndex={0}>
            <table className="import-table" data-testid="import-problems">
              <thead>
                <tr>
                  <th scope="col">{t('orgImport.row')}</th>
                  <th scope="col">{t('orgImport.column')}</th>
                  <th scope="col">{t('orgImport.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {problems.map((p) => (
                  <tr key={`${p.row}-${p.column ?? ''}-${p.code}`} data-row={p.row} data-code={p.code}>
                    <td>{p.row}</td>
                    <td>{p.column ?? t('orgImport.wholeRow')}</td>
                    <td>{problemText(p)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </>
  );
}

function CopyButton({ text, label, children }: { text: string; label?: string; children: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      // No clipboard (plain http, or refused): the links stay selectable on screen.
    }
  };
  return (
    <button type="button" className="button button--small" aria-label={label} onClick={() => void copy()}>
      {copied ? t('orgImport.copied') : children}
    </button>
  );
}

function Links({ accounts }: { accounts: ImportedAccount[] }) {
  const { t, i18n } = useTranslation();
  const origin = window.location.origin;
  const until = accounts[0] ? formatDateTime(accounts[0].expiresAt, i18n.language) : '';
  const download = () =>
    downloadText(
      linksCsv(
        accounts,
        origin,
        [
          t('orgImport.name'),
          t('orgImport.phone'),
          t('orgImport.login'),
          t('orgImport.link'),
          t('orgImport.validUntil'),
        ],
        (iso) => formatDateTime(iso, i18n.language),
      ),
      `${t('orgImport.linksTable')}.csv`,
    );
  return (
    <>
      <p data-testid="import-done">{t('orgImport.done', { count: accounts.length, until })}</p>
      <div className="row row--wrap">
        <button type="button" className="button" onClick={download} data-testid="import-download">
          {t('orgImport.download')}
        </button>
        <CopyButton text={accounts.map((a) => `${a.name}\t${a.phone}\t${linkUrl(origin, a)}`).join('\n')}>
          {t('orgImport.copyAll')}
        </CopyButton>
      </div>
      <ul className="import-links" aria-label={t('orgImport.linksTable')} data-testid="import-links">
        {accounts.map((a) => (
          <li key={a.memberId} className="import-link" data-login={a.login}>
            <div>
              <strong>{a.name}</strong>
              {a.phone && <span className="muted"> {a.phone}</span>}
              <span className="muted"> {t('common.labelled', { label: t('orgImport.login'), text: a.login })}</span>
              {a.mail === 'sent' && <span className="muted"> · {t('orgImport.mailSent')}</span>}
              {a.mail === 'failed' && <span className="field-error"> · {t('orgImport.mailFailed')}</span>}
            </div>
            <code className="import-link__url">{linkUrl(origin, a)}</code>
            <CopyButton text={linkUrl(origin, a)} label={t('orgImport.copyFor', { name: a.name })}>
              {t('orgImport.copy')}
            </CopyButton>
          </li>
        ))}
      </ul>
    </>
  );
}

function Importer() {
  const { t } = useTranslation();
  const ids = { file: useId(), intro: useId(), fileError: useId(), hint: useId() };
  const fileRef = useRef<HTMLInputElement>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [phase, setPhase] = useState<Phase>({ step: 'idle' });
  const [preview, setPreview] = useState<MemberImportOutcome | null>(null);
  const [result, setResult] = useState<MemberImportOutcome | null>(null);
  const [error, setError] = useState<ClientErrorCode | null>(null);
  const busy = phase.step !== 'idle';

  const send = async (chosen: File, dryRun: boolean) => {
    setError(null);
    setPhase({ step: 'uploading', percent: 0 });
    try {
      const outcome = await uploadMembers(chosen, dryRun, {
        onProgress: (loaded, total) => setPhase({ step: 'uploading', percent: percent(loaded, total) }),
        onSent: () => setPhase({ step: 'working' }),
      });
      if (dryRun) setPreview(outcome);
      else setResult(outcome);
    } catch (err) {
      setError(toClientErrorCode(err));
    } finally {
      setPhase({ step: 'idle' });
    }
  };

  const choose = (chosen: File | undefined) => {
    setPreview(null);
    setResult(null);
    setError(null);
    if (!chosen) return setFile(null);
    if (!isSheetFile(chosen)) return setFileError(t('orgImport.notSheet'));
    if (tooLarge(chosen))
      return setFileError(t('orgImport.tooLarge', { mb: limits.memberImportMaxBytes / 1024 / 1024 }));
    setFileError(null);
    setFile(chosen);
    void send(chosen, true);
  };

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    if (!busy) choose(e.dataTransfer.files[0]);
  };

  // The report (and then the links) is what the person came for: take them there once it shows.
  useEffect(() => {
    if (preview || result) resultRef.current?.focus();
  }, [preview, result]);

  const report = result ? result.report : (preview?.report ?? null);
  const refused = result?.ok === false;
  const canConfirm = !busy && !result && preview?.ok === true && mayConfirm(preview.report);

  return (
    <>
      <p id={ids.intro} className="hint">
        {t('orgImport.intro')}
      </p>
      <p>
        <button
          type="button"
          className="button button--small"
          onClick={() => downloadText(templateCsv(), `${t('orgImport.title')}.csv`)}
        >
          {t('orgImport.template')}
        </button>
      </p>
      {/* The drop zone only adds dragging: the file input inside it is the control for keyboards and phones. */}
      {/* biome-ignore lint/a11y/noStaticElementInteractions: see above. */}
      <div
        className={`panel import-drop${dragging ? ' import-drop--over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="import-drop"
      >
        <label htmlFor={ids.file} className="import-drop__label">
          {t('orgImport.file')}
        </label>
        <p className="hint">{t('orgImport.drop')}</p>
        <input
          id={ids.file}
          ref={fileRef}
          type="file"
          accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          disabled={busy}
          aria-describedby={fileError ? `${ids.intro} ${ids.fileError}` : ids.intro}
          aria-invalid={fileError ? true : undefined}
          onChange={(e: ChangeEvent<HTMLInputElement>) => choose(e.target.files?.[0])}
          data-testid="import-file"
        />
        {file && !fileError && <p className="hint">{t('orgImport.chosen', { name: file.name })}</p>}
        {fileError && (
          <p id={ids.fileError} className="field-error">
            {fileError}
          </p>
        )}
      </div>

      <div role="status" className="hint" data-testid="import-status">
        {phase.step === 'uploading' && (
          <>
            <span>{t('orgImport.uploading', { percent: phase.percent })}</span>{' '}
            <progress max={100} value={phase.percent} aria-label={t('orgImport.progress')} />
          </>
        )}
        {phase.step === 'working' && (result || preview ? t('orgImport.importing') : t('orgImport.checking'))}
      </div>
      {error && (
        <p role="alert" className="field-error" data-testid="import-error">
          {t(`errors.${error}`)}
        </p>
      )}

      <section className="panel" aria-live="polite" data-testid="import-report" hidden={!report}>
        {report && (
          <>
            <h2 ref={resultRef} tabIndex={-1}>
              {result?.ok ? t('orgImport.doneTitle') : t('orgImport.reportTitle')}
            </h2>
            {result?.ok ? <Links accounts={result.accounts} /> : <Report report={report} refused={refused} />}
          </>
        )}
      </section>

      {!result?.ok && (
        <div className="row row--wrap">
          <button
            type="button"
            className="button button--primary"
            disabled={!canConfirm}
            aria-describedby={ids.hint}
            onClick={() => file && void send(file, false)}
            data-testid="import-confirm"
          >
            {t('orgImport.confirm')}
          </button>
          <span id={ids.hint} className="hint">
            {t('orgImport.confirmHint')}
          </span>
        </div>
      )}
      {result?.ok && (
        <p>
          <button
            type="button"
            className="button"
            onClick={() => {
              choose(undefined);
              if (fileRef.current) fileRef.current.value = '';
              fileRef.current?.focus();
            }}
          >
            {t('orgImport.again')}
          </button>
        </p>
      )}
    </>
  );
}

/** Staff: import members from an XLSX or CSV file, all or nothing, with a report by row and column. */
export function ImportMembers() {
  const { t } = useTranslation();
  const staff = useAppStore((s) => s.me?.kind === 'staff');
  return (
    <SignedIn returnTo={orgImportPath}>
      {() => (
        <div className="page page--wide" data-testid="org-import-page">
          <p>
            <Link to={orgPath}>{t('orgImport.back')}</Link>
          </p>
          <h1>{t('orgImport.title')}</h1>
          {staff ? (
            <Importer />
          ) : (
            <p className="field-error" role="alert">
              {t('errors.FORBIDDEN')}
            </p>
          )}
        </div>
      )}
    </SignedIn>
  );
}
