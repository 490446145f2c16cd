import { type Bulletin, DutyKind, type KindCounts, type Quarter } from '@yitang/shared';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import { Link } from '../../lib/router';
import { useLoad } from '../../lib/useLoad';
import { type BulletinFormat, bulletinExportPath, bulletinFormats, downloadFile, fetchBulletin } from './api';
import { PeriodPicker, pointsText, StaffNav, TableScroll } from './common';
import { committeeToday, dutyBulletinPath, dutyMemberPath, quarterChoices, quarterOfDate } from './model';

const recordCount = (counts: KindCounts) => DutyKind.options.reduce((s, k) => s + (counts[k] ?? 0), 0);

function usePoints() {
  const { t } = useTranslation();
  return (n: number | null) => (n === null ? t('duty.bulletin.noPoints') : pointsText(n));
}

function useQuarterName() {
  const { t } = useTranslation();
  return (q: Quarter) => t('duty.quarterOption', { year: q.slice(0, 4), n: q.slice(6) });
}

/** Saves a fetched file the way a link with `download` would. */
function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The browser has taken the file once the click is handled; free the memory a little later.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The PDF and XLSX downloads; making a PDF takes seconds, so each shows that it is being made. */
function Downloads({ quarter }: { quarter: Quarter }) {
  const { t } = useTranslation();
  const quarterName = useQuarterName();
  const headId = useId();
  const [busy, setBusy] = useState<BulletinFormat | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<ClientErrorCode | null>(null);
  const formatName = (f: BulletinFormat) => t(f === 'pdf' ? 'duty.bulletin.formatPdf' : 'duty.bulletin.formatXlsx');

  const download = async (format: BulletinFormat) => {
    setBusy(format);
    setError(null);
    setStatus(t('duty.bulletin.generating', { format: formatName(format) }));
    try {
      const file = await downloadFile(bulletinExportPath(quarter, format), `bulletin-${quarter}.${format}`);
      save(file.blob, file.name);
      setStatus(t('duty.bulletin.generated', { format: formatName(format) }));
    } catch (err) {
      setStatus('');
      setError(toClientErrorCode(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="panel duty-downloads" aria-labelledby={headId} data-testid="bulletin-downloads">
      <h2 id={headId}>{t('duty.bulletin.download')}</h2>
      <div className="row row--wrap">
        {bulletinFormats.map((format) => (
          <button
            key={format}
            type="button"
            className="button"
            disabled={busy !== null}
            aria-busy={busy === format || undefined}
            aria-label={t('duty.bulletin.downloadLabel', { quarter: quarterName(quarter), format: formatName(format) })}
            onClick={() => void download(format)}
            data-testid={`bulletin-download-${format}`}
            data-state={busy === format ? 'busy' : 'idle'}
          >
            {busy === format && <span className="duty-spinner" aria-hidden="true" />}
            {formatName(format)}
          </button>
        ))}
      </div>
      <p role="status" className="hint" data-testid="bulletin-download-status">
        {status}
      </p>
      {error && (
        <p role="alert" className="field-error">
          {t(`errors.${error}`)}
        </p>
      )}
    </section>
  );
}

function BulletinTables({ bulletin }: { bulletin: Bulletin }) {
  const { t } = useTranslation();
  const points = usePoints();
  const sectorHead = useId();
  const memberHead = useId();
  const kindList = (counts: KindCounts) =>
    DutyKind.options
      .filter((k) => (counts[k] ?? 0) > 0)
      .map((k) => `${t(`duty.kind.${k}`)} ${counts[k]}`)
      .join(t('common.listSeparator'));
  const change = (n: number | null) => (n === null ? t('duty.bulletin.noPoints') : n > 0 ? `+${n}` : pointsText(n));
  return (
    <>
      <section className="panel" aria-labelledby={sectorHead} data-testid="bulletin-sectors">
        <h2 id={sectorHead}>{t('duty.bulletin.bySector')}</h2>
        <TableScroll label={t('duty.bulletin.bySector')}>
          <table className="duty-table">
            <thead>
              <tr>
                <th scope="col">{t('duty.bulletin.sector')}</th>
                <th scope="col">{t('duty.bulletin.members')}</th>
                <th scope="col">{t('duty.bulletin.records')}</th>
                <th scope="col">{t('duty.bulletin.current')}</th>
                <th scope="col">{t('duty.bulletin.previous')}</th>
                <th scope="col">{t('duty.bulletin.change')}</th>
                <th scope="col">{t('duty.bulletin.average')}</th>
              </tr>
            </thead>
            <tbody>
              {bulletin.sectors.map((s) => (
                <tr key={s.sectorId ?? 'none'} data-testid={`bulletin-sector-${s.sectorId ?? 'none'}`}>
                  <th scope="row">{s.sectorName ?? t('duty.bulletin.noSector')}</th>
                  <td>{s.members}</td>
                  <td>{recordCount(s.current.counts)}</td>
                  <td>{points(s.current.points)}</td>
                  <td>{points(s.previous.points)}</td>
                  <td>{change(s.change)}</td>
                  <td>{points(s.averagePoints)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </section>
      <section className="panel" aria-labelledby={memberHead} data-testid="bulletin-members">
        <h2 id={memberHead}>{t('duty.bulletin.byMember')}</h2>
        <TableScroll label={t('duty.bulletin.byMember')}>
          <table className="duty-table">
            <thead>
              <tr>
                <th scope="col">{t('duty.bulletin.member')}</th>
                <th scope="col">{t('duty.bulletin.sector')}</th>
                <th scope="col">{t('duty.bulletin.current')}</th>
                <th scope="col">{t('duty.bulletin.previous')}</th>
                <th scope="col">{t('duty.bulletin.change')}</th>
                <th scope="col">{t('duty.bulletin.kinds')}</th>
              </tr>
            </thead>
            <tbody>
              {bulletin.members.map((m) => (
                <tr
                  key={m.memberId}
                  data-testid={`bulletin-member-${m.memberId}`}
                  data-points={m.current.points ?? ''}
                  data-records={recordCount(m.current.counts)}
                >
                  <th scope="row">
                    <Link to={dutyMemberPath(m.memberId, Number(bulletin.quarter.slice(0, 4)))}>{m.name}</Link>
                  </th>
                  <td>{m.sectorName ?? t('duty.bulletin.noSector')}</td>
                  <td>{points(m.current.points)}</td>
                  <td>{points(m.previous.points)}</td>
                  <td>{change(m.change)}</td>
                  <td className="duty-table__wrap">{kindList(m.current.counts)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </section>
    </>
  );
}

/** Staff: the quarterly bulletin per member and per sector, beside the previous quarter, with downloads. */
export function BulletinPage({ quarter }: { quarter: Quarter | null }) {
  const { t } = useTranslation();
  const quarterName = useQuarterName();
  const today = committeeToday();
  const shown = quarter ?? quarterOfDate(today);
  const choices = quarterChoices(today);
  const { data, error } = useLoad(() => fetchBulletin(shown), [shown]);
  const bulletin = data?.bulletin ?? null;

  return (
    <div className="page page--wide duty-page" data-testid="duty-bulletin-page">
      <StaffNav />
      <h1>{t('duty.bulletin.title')}</h1>
      <PeriodPicker
        key={shown}
        label={t('duty.bulletin.choose')}
        value={shown}
        options={choices.includes(shown) ? choices : [shown, ...choices]}
        optionLabel={quarterName}
        pathFor={dutyBulletinPath}
        testId="bulletin-quarter"
      />
      {error && (
        <p role="alert" className="field-error">
          {t(`errors.${error}`)}
        </p>
      )}
      <p role="status" className="hint" data-testid="bulletin-heading">
        {bulletin
          ? t('duty.bulletin.comparedWith', {
              quarter: quarterName(bulletin.quarter),
              previous: quarterName(bulletin.previous),
            })
          : error
            ? ''
            : t('app.loading')}
      </p>
      <Downloads quarter={shown} />
      {bulletin && <BulletinTables bulletin={bulletin} />}
    </div>
  );
}
