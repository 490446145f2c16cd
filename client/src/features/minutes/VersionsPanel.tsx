import type { MinutesDiff, MinutesInfo, MinutesVersionView } from '@yitang/shared';
import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/useAction';
import { useAppStore } from '../../store';
import { fetchDiff, fetchVersionText, takeSnapshot, type VersionText } from './api';
import { diffItems, diffSummary } from './diffView';
import { maySnapshot } from './rules';

const snapshotLabelMax = 80;

function VersionItem({ sessionId, version, nameOf }: VersionItemProps) {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState<VersionText | null>(null);
  const [open, setOpen] = useState(false);
  const action = useAction();
  const bodyId = useId();
  const toggle = async () => {
    if (!open && text === null) {
      const ok = await action.run(async () => setText(await fetchVersionText(sessionId, version.id)));
      if (!ok) return;
    }
    setOpen((o) => !o);
  };
  return (
    <li className="version" data-testid={`version-${version.number}`} data-reason={version.reason}>
      <p className="version__head">
        <strong>{t('minutes.versions.number', { n: version.number })}</strong>
        <span className="badge">{t(`minutes.versions.reason.${version.reason}`)}</span>
        {version.label !== '' && <span className="version__label">{version.label}</span>}
      </p>
      <p className="version__meta muted">
        {t('minutes.versions.meta', {
          time: formatDateTime(version.createdAt, i18n.language),
          name: nameOf(version.createdBy),
        })}
      </p>
      <button
        type="button"
        className="button button--small"
        aria-expanded={open}
        aria-controls={bodyId}
        disabled={action.busy}
        onClick={() => void toggle()}
        data-testid={`view-version-${version.number}`}
      >
        {t(open ? 'minutes.versions.hideText' : 'minutes.versions.showText', { n: version.number })}
      </button>
      {action.error && (
        <p role="alert" className="field-error">
          {t(`errors.${action.error}`)}
        </p>
      )}
      <div id={bodyId} hidden={!open}>
        {text && <pre className="version__text">{text.text}</pre>}
      </div>
    </li>
  );
}

interface VersionItemProps {
  sessionId: string;
  version: MinutesVersionView;
  nameOf: (id: string) => string;
}

/** Changed lines marked by sign, colour and (for screen readers) words; long unchanged runs fold. */
export function DiffView({ diff }: { diff: MinutesDiff }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState<ReadonlySet<number>>(new Set());
  const items = useMemo(() => diffItems(diff.lines, 2, opened), [diff, opened]);
  const summary = diffSummary(diff.lines);
  const noChange = summary.added === 0 && summary.removed === 0;
  return (
    <div className="diff" data-testid="diff">
      <p role="status" className="diff__summary" data-testid="diff-summary">
        {noChange
          ? t('minutes.diff.same')
          : t('minutes.diff.summary', { added: summary.added, removed: summary.removed })}
      </p>
      <ol className="diff__lines" aria-label={t('minutes.diff.linesLabel')}>
        {items.map((item) => {
          if (item.kind === 'fold') {
            return (
              <li key={`fold-${item.start}`} className="diff__fold">
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => setOpened((s) => new Set([...s, item.start]))}
                  data-testid="diff-fold"
                >
                  {t('minutes.diff.unfold', { count: item.count })}
                </button>
              </li>
            );
          }
          const Tag = item.op === 'added' ? 'ins' : item.op === 'removed' ? 'del' : 'span';
          return (
            <li
              key={item.index}
              className={`diff__line diff__line--${item.op}`}
              data-testid="diff-line"
              data-op={item.op}
            >
              <span className="diff__sign" aria-hidden="true">
                {item.sign}
              </span>
              {item.op !== 'same' && <span className="visually-hidden">{t(`minutes.diff.op.${item.op}`)}</span>}
              <Tag className="diff__text">{item.text === '' ? '\u00a0' : item.text}</Tag>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

interface VersionsPanelProps {
  sessionId: string;
  info: MinutesInfo;
  nameOf: (id: string) => string;
  onChanged: () => void;
}

/** The frozen versions of the minutes: list, manual snapshot, and a diff between any two. */
export function VersionsPanel({ sessionId, info, nameOf, onChanged }: VersionsPanelProps) {
  const { t } = useTranslation();
  const ids = { head: useId(), from: useId(), to: useId(), diffHead: useId() };
  const role = useAppStore((s) => (s.roomSessionId === sessionId ? s.you?.role : undefined));
  const staffAccount = useAppStore((s) => s.me?.kind === 'staff');
  const versions = useMemo(() => [...info.versions].sort((a, b) => a.number - b.number), [info.versions]);
  const [label, setLabel] = useState('');
  const snapshot = useAction();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [diff, setDiff] = useState<MinutesDiff | null>(null);
  const diffAction = useAction();

  const [picked, setPicked] = useState(false);

  // Compare the newest two versions until someone picks others; keep a pick while it still exists.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only new versions reset the choice.
  useEffect(() => {
    const has = (id: string) => versions.some((v) => v.id === id);
    if (picked && has(from) && has(to)) return;
    setPicked(false);
    setFrom(versions.at(-2)?.id ?? '');
    setTo(versions.at(-1)?.id ?? '');
  }, [versions]);

  const submitSnapshot = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (await snapshot.run(() => takeSnapshot(sessionId, label.trim()))) {
      setLabel('');
      onChanged();
    }
  };

  const showDiff = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (from === '' || to === '' || from === to) return;
    await diffAction.run(async () => setDiff(await fetchDiff(sessionId, from, to)));
  };

  const newestFirst = [...versions].reverse();
  return (
    <section className="panel minutes-versions" aria-labelledby={ids.head} data-testid="minutes-versions">
      <h2 id={ids.head}>{t('minutes.versions.title')}</h2>
      {maySnapshot(role, info.status, staffAccount) && (
        <form className="row row--wrap snapshot-form" onSubmit={submitSnapshot} noValidate>
          <Field className="field--row" label={t('minutes.versions.snapshotLabel')}>
            <input
              type="text"
              value={label}
              maxLength={snapshotLabelMax}
              placeholder={t('minutes.versions.snapshotPlaceholder')}
              onChange={(e) => setLabel(e.target.value)}
              data-testid="snapshot-label"
            />
          </Field>
          <button type="submit" className="button" disabled={snapshot.busy} data-testid="version-snapshot">
            {t('minutes.versions.snapshot')}
          </button>
          {snapshot.error && (
            <p role="alert" className="field-error row__full">
              {t(`errors.${snapshot.error}`)}
            </p>
          )}
        </form>
      )}
      {versions.length === 0 ? (
        <p className="muted">{t('minutes.versions.empty')}</p>
      ) : (
        <ol className="versions" data-testid="versions-list" reversed>
          {newestFirst.map((v) => (
            <VersionItem key={v.id} sessionId={sessionId} version={v} nameOf={nameOf} />
          ))}
        </ol>
      )}

      <h3 id={ids.diffHead} className="minutes-versions__diff-head">
        {t('minutes.diff.title')}
      </h3>
      {versions.length < 2 ? (
        <p className="hint">{t('minutes.diff.needTwo')}</p>
      ) : (
        <form className="diff-form" onSubmit={showDiff} aria-labelledby={ids.diffHead} noValidate>
          <div className="row row--wrap">
            <VersionSelect
              id={ids.from}
              label={t('minutes.diff.from')}
              versions={versions}
              value={from}
              onChange={(v) => {
                setPicked(true);
                setFrom(v);
              }}
              testId="diff-from"
            />
            <VersionSelect
              id={ids.to}
              label={t('minutes.diff.to')}
              versions={versions}
              value={to}
              onChange={(v) => {
                setPicked(true);
                setTo(v);
              }}
              testId="diff-to"
            />
          </div>
          <button
            type="submit"
            className="button"
            disabled={diffAction.busy || from === to}
            aria-describedby={from === to ? `${ids.diffHead}-same` : undefined}
            data-testid="diff-show"
          >
            {t('minutes.diff.show')}
          </button>
          {from === to && (
            <p id={`${ids.diffHead}-same`} className="hint">
              {t('minutes.diff.pickTwo')}
            </p>
          )}
          {diffAction.error && (
            <p role="alert" className="field-error">
              {t(`errors.${diffAction.error}`)}
            </p>
          )}
        </form>
      )}
      {diff && <DiffView key={`${diff.from}:${diff.to}`} diff={diff} />}
    </section>
  );
}

/** A labelled list of the versions, one end of a diff. */
function VersionSelect(props: {
  id: string;
  label: string;
  versions: MinutesVersionView[];
  value: string;
  onChange: (versionId: string) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Field label={props.label}>
      <select
        id={props.id}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        data-testid={props.testId}
      >
        {props.versions.map((v) => (
          <option key={v.id} value={v.id}>
            {t('minutes.versions.option', { n: v.number, reason: t(`minutes.versions.reason.${v.reason}`) })}
          </option>
        ))}
      </select>
    </Field>
  );
}
