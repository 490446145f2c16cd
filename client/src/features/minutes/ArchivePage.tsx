import { type ArchiveEntry, limits, MinutesStatus } from '@yitang/shared';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { RefreshFailed } from '../../components/RefreshFailed';
import { formatDateTime } from '../../lib/format';
import { Link, loginPath, minutesPath, navigate } from '../../lib/router';
import { useLoad } from '../../lib/useLoad';
import { useAppStore } from '../../store';
import { fetchArchive } from './api';
import {
  type ArchiveFilters,
  archivePagePath,
  filtersFromSearch,
  filtersProblem,
  hasFilters,
  highlightSegments,
  noFilters,
} from './archiveQuery';
import { MinutesStatusBadge } from './MinutesStatusBadge';

/** The excerpt around a hit, the hit marked. */
function Excerpt({ text, query }: { text: string; query: string }) {
  return (
    <p className="archive-result__excerpt" data-testid="archive-excerpt">
      {highlightSegments(text, query).map((segment, i) =>
        // Segments are a fixed split of one string: their position is their identity.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above.
        segment.hit ? <mark key={i}>{segment.text}</mark> : <span key={i}>{segment.text}</span>,
      )}
    </p>
  );
}

function ArchiveResult({ entry, query }: { entry: ArchiveEntry; query: string }) {
  const { t, i18n } = useTranslation();
  return (
    <li className="archive-result" data-testid={`archive-result-${entry.sessionId}`} data-status={entry.status}>
      <h2 className="archive-result__topic">
        <Link to={minutesPath(entry.sessionId)}>{entry.topic}</Link>
      </h2>
      <p className="archive-result__meta">
        <MinutesStatusBadge status={entry.status} />
        <span>{t('lobby.room', { room: entry.roomName })}</span>
        <span>{t('minutes.archive.date', { date: formatDateTime(entry.scheduledAt, i18n.language, 'date') })}</span>
      </p>
      {entry.excerpt && <Excerpt text={entry.excerpt} query={query} />}
    </li>
  );
}

/** Rooms to filter by: every room any archive answer has named (the contract has no list of rooms). */
function useRooms(entries: ArchiveEntry[] | null): Array<[string, string]> {
  const everything = useLoad(() => fetchArchive(noFilters), []).data;
  const [rooms, setRooms] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    const seen = [...(everything?.entries ?? []), ...(entries ?? [])];
    if (seen.every((e) => rooms.get(e.roomId) === e.roomName)) return;
    setRooms((known) => new Map([...known, ...seen.map((e): [string, string] => [e.roomId, e.roomName])]));
  }, [everything, entries, rooms]);
  return [...rooms].sort((a, b) => a[1].localeCompare(b[1], 'zh-CN'));
}

function Archive({ search }: { search: string }) {
  const { t } = useTranslation();
  const ids = { q: useId(), error: useId(), results: useId() };
  const applied = filtersFromSearch(search);
  const appliedKey = archivePagePath(applied);
  const [form, setForm] = useState<ArchiveFilters>(applied);
  const [problem, setProblem] = useState<'dateOrder' | null>(null);
  // The address is the search: load what it says (the last answer stays while the next loads).
  const { data, busy: loading, error, reload } = useLoad(() => fetchArchive(applied), [appliedKey], { keep: true });
  const entries = data?.entries ?? null;
  // A search over all years answers about a page of sessions at a time: where to go on from.
  const more = data?.more ?? null;
  const rooms = useRooms(entries);

  // ...and show it in the form (back/forward too).
  // biome-ignore lint/correctness/useExhaustiveDependencies: appliedKey stands for `applied`.
  useEffect(() => {
    setForm(applied);
  }, [appliedKey]);

  const set = <K extends keyof ArchiveFilters>(key: K, value: ArchiveFilters[K]) =>
    setForm((f) => ({ ...f, [key]: value }));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = filtersProblem(form);
    setProblem(found);
    if (found) return;
    navigate(archivePagePath(form));
  };

  const roomKnown = applied.roomId === '' || rooms.some(([id]) => id === applied.roomId);
  return (
    <div className="page page--wide archive-page" data-testid="archive-page">
      <h1>{t('minutes.archive.title')}</h1>
      <search className="panel archive-form" aria-label={t('minutes.archive.formLabel')}>
        <form onSubmit={submit} noValidate aria-label={t('minutes.archive.formLabel')}>
          <div className="field">
            <label htmlFor={ids.q}>{t('minutes.archive.q')}</label>
            <div className="row">
              <input
                id={ids.q}
                type="search"
                value={form.q}
                maxLength={limits.maxSearchLength}
                placeholder={t('minutes.archive.qPlaceholder')}
                onChange={(e) => set('q', e.target.value)}
                data-testid="archive-q"
              />
              <button type="submit" className="button button--primary" data-testid="archive-search">
                {t('minutes.archive.search')}
              </button>
            </div>
          </div>
          <div className="archive-form__filters">
            <Field label={t('minutes.archive.from')}>
              <input
                type="date"
                value={form.from}
                max={form.to || undefined}
                onChange={(e) => set('from', e.target.value)}
                aria-invalid={problem === 'dateOrder' || undefined}
                aria-describedby={problem ? ids.error : undefined}
                data-testid="archive-from"
              />
            </Field>
            <Field label={t('minutes.archive.to')}>
              <input
                type="date"
                value={form.to}
                min={form.from || undefined}
                onChange={(e) => set('to', e.target.value)}
                aria-invalid={problem === 'dateOrder' || undefined}
                aria-describedby={problem ? ids.error : undefined}
                data-testid="archive-to"
              />
            </Field>
            <Field label={t('minutes.archive.room')}>
              <select value={form.roomId} onChange={(e) => set('roomId', e.target.value)} data-testid="archive-room">
                <option value="">{t('minutes.archive.anyRoom')}</option>
                {!roomKnown && <option value={applied.roomId}>{applied.roomId}</option>}
                {rooms.map(([id, name]) => (
                  <option key={id} value={id}>
                    {name}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('minutes.archive.status')}>
              <select
                value={form.status}
                onChange={(e) => {
                  const parsed = MinutesStatus.safeParse(e.target.value);
                  set('status', parsed.success ? parsed.data : '');
                }}
                data-testid="archive-status"
              >
                <option value="">{t('minutes.archive.anyStatus')}</option>
                {MinutesStatus.options.map((s) => (
                  <option key={s} value={s}>
                    {t(`minutes.lifecycle.${s}`)}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          {problem && (
            <p id={ids.error} role="alert" className="field-error">
              {t('minutes.archive.dateOrder')}
            </p>
          )}
          {hasFilters(applied) && (
            <p>
              <Link to={archivePagePath(noFilters)} data-testid="archive-clear">
                {t('minutes.archive.clear')}
              </Link>
            </p>
          )}
        </form>
      </search>

      <p role="status" className="hint" data-testid="archive-count">
        {loading
          ? t('app.loading')
          : entries !== null && !error && t('minutes.archive.count', { count: entries.length })}
      </p>
      {/* A search that failed leaves the last answer on screen: say it is the last one. */}
      {error && <RefreshFailed error={error} kept={entries !== null} onRetry={reload} />}
      {entries !== null && entries.length === 0 && !loading && !error && (
        <p className="muted">{t(hasFilters(applied) ? 'minutes.archive.noMatch' : 'minutes.archive.empty')}</p>
      )}
      {entries !== null && entries.length > 0 && (
        <ul id={ids.results} className="archive-results" aria-busy={loading || undefined} data-testid="archive-results">
          {entries.map((entry) => (
            <ArchiveResult key={entry.sessionId} entry={entry} query={applied.q} />
          ))}
        </ul>
      )}
      {more && !loading && !error && (
        <p className="hint" data-testid="archive-more">
          {t('minutes.archive.more', { date: more.to })}{' '}
          <Link to={archivePagePath({ ...applied, to: more.to })}>{t('minutes.archive.searchEarlier')}</Link>
        </p>
      )}
    </div>
  );
}

/** /minutes — every session's minutes: filter by date, room and status, search the text. */
export function ArchivePage({ search }: { search: string }) {
  const { t } = useTranslation();
  const meId = useAppStore((s) => s.me?.id);
  const meStatus = useAppStore((s) => s.meStatus);
  const error = useAppStore((s) => s.authError);
  const signedOut = meStatus === 'ready' && !meId;
  const here = archivePagePath(filtersFromSearch(search));

  useEffect(() => {
    if (signedOut) navigate(loginPath(here), { replace: true });
  }, [signedOut, here]);

  if (meStatus === 'error' && error) {
    return (
      <p className="page field-error" role="alert">
        {t(`errors.${error}`)}
      </p>
    );
  }
  if (!meId) {
    return (
      <p className="page hint" role="status">
        {t('app.loading')}
      </p>
    );
  }
  return <Archive search={search} />;
}
