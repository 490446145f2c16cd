import { limits, type QueueEntry, speakingRoles } from '@yitang/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { Field } from '../../components/Field';
import { HindranceNote } from '../../components/HindranceNote';
import { Section } from '../../components/Section';
import { moveItem } from '../../lib/arrays';
import { elapsedMs, formatDuration, itemTimer, remainingMs } from '../../lib/clock';
import { useNow } from '../../lib/useNow';
import { useThrottled } from '../../lib/useThrottled';
import { useAppStore } from '../../store';
import { useCapability, useNameOf } from '../room/hooks';
import { call } from '../room/roomSocket';

const isConvener = (role: string | undefined) => role === 'firstConvener' || role === 'secondConvener';

/** The current agenda item and how long it has run against its plan, on the server's clock. */
function CurrentItem() {
  const { t } = useTranslation();
  const now = useNow();
  const session = useAppStore((s) => s.session);
  const offset = useAppStore((s) => s.clockOffsetMs);
  const item = session?.agenda.find((a) => a.id === session.currentItemId);
  if (!session || !item) return <p className="muted">{t('agenda.noCurrent')}</p>;
  const running = session.state !== 'scheduled' && session.currentItemStartedAt !== null;
  // A closed session's clock stops at its close.
  const closedAt = session.closedAt ? Date.parse(session.closedAt) : Number.NaN;
  const timer =
    session.state === 'closed' && !Number.isNaN(closedAt)
      ? {
          ...itemTimer(null, item.plannedMinutes, 0, 0),
          elapsedMs: elapsedMs(session.currentItemStartedAt, closedAt, 0),
        }
      : itemTimer(session.currentItemStartedAt, item.plannedMinutes, now, offset);
  const overrun = running && timer.elapsedMs > timer.plannedMs;
  return (
    <div className="current-item" data-testid="current-item" data-item-id={item.id}>
      <p className="current-item__title">{item.title}</p>
      <p className="current-item__timer">
        <span className="hint">{t('agenda.timerLabel')}</span>{' '}
        <span
          className={overrun ? 'timer timer--overrun' : 'timer'}
          role="timer"
          data-testid="item-timer"
          data-overrun={overrun}
          data-elapsed-ms={running ? timer.elapsedMs : 0}
        >
          {running ? formatDuration(timer.elapsedMs) : '0:00'} / {formatDuration(timer.plannedMs)}
        </span>
        {overrun && <span className="badge badge--warn">{t('agenda.overrun')}</span>}
      </p>
      {!running && <p className="hint">{t('agenda.notStarted')}</p>}
    </div>
  );
}

/** Who has the floor, the countdown to the end of their turn, and the way to end it. */
function CurrentSpeaker() {
  const { t } = useTranslation();
  const now = useNow();
  const speaker = useAppStore((s) => s.speakers.speaker);
  const offset = useAppStore((s) => s.clockOffsetMs);
  const youId = useAppStore((s) => s.you?.memberId);
  const role = useAppStore((s) => s.you?.role);
  const end = useCapability('speaker:end');
  const nameOf = useNameOf();
  if (!speaker) {
    return (
      <p className="muted" data-testid="speaker-none">
        {t('speakers.nobody')}
      </p>
    );
  }
  const mine = speaker.memberId === youId;
  const left = remainingMs(speaker.endsAt, now, offset);
  const name = nameOf(speaker.memberId);
  return (
    <div
      className={mine ? 'speaker speaker--you' : 'speaker'}
      data-testid="speaker-current"
      data-member-id={speaker.memberId}
    >
      <p className="speaker__label">{t('speakers.current')}</p>
      <p className="speaker__name">{name}</p>
      <p className="speaker__time">
        <span className="hint">{t('speakers.countdownLabel')}</span>{' '}
        <span
          className={left <= 30_000 ? 'timer timer--ending' : 'timer'}
          role="timer"
          data-testid="speaker-countdown"
          data-remaining-ms={left}
        >
          {formatDuration(left, 'up')}
        </span>
      </p>
      {mine && <p className="speaker__you">{t('speakers.youHaveFloor')}</p>}
      {end.shown && (mine || isConvener(role)) && (
        <button
          type="button"
          className={mine ? 'button button--primary' : 'button'}
          aria-label={mine ? undefined : t('speakers.endLabel', { name })}
          disabled={end.hindrance !== null}
          onClick={() => void call('speaker:end', {})}
          data-testid="speaker-end"
        >
          {mine ? t('speakers.endMine') : t('speakers.end')}
        </button>
      )}
    </div>
  );
}

/** Raise a hand, a point of order, or lower it again; muted people are told why they cannot. */
function HandControls() {
  const { t } = useTranslation();
  const noteId = useId();
  const pointHintId = useId();
  const raise = useCapability('hand:raise');
  const lower = useCapability('hand:lower');
  // Who grants the floor does not ask for it: a convener takes it by granting it to themself.
  const grant = useCapability('speaker:grant');
  const youId = useAppStore((s) => s.you?.memberId);
  const queue = useAppStore((s) => s.speakers.queue);
  const speakerId = useAppStore((s) => s.speakers.speaker?.memberId);
  const index = queue.findIndex((q) => q.memberId === youId);
  const mine = queue[index];
  const state = mine ? (mine.pointOfOrder ? 'point' : 'hand') : 'none';
  // The pressed button goes away once the hand is up (or down): the focus goes to the button
  // that takes its place, not to the page's body.
  const pressed = useRef(false);
  const buttons = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!pressed.current) return;
    const focused = document.activeElement;
    if (focused && focused !== document.body && buttons.current?.contains(focused)) return;
    pressed.current = false;
    const next = state === 'none' ? 'hand-raise' : 'hand-lower';
    const box = buttons.current;
    (
      box?.querySelector<HTMLButtonElement>(`[data-testid="${next}"]:not([disabled])`) ??
      box?.querySelector<HTMLButtonElement>('button:not([disabled])')
    )?.focus();
  }, [state]);
  if (!raise.shown || grant.shown || !youId || speakerId === youId) return null;
  const disabled = raise.hindrance !== null;
  const send = (event: 'raise' | 'point' | 'lower') => {
    pressed.current = true;
    void (event === 'lower' ? call('hand:lower', {}) : call('hand:raise', { pointOfOrder: event === 'point' }));
  };
  return (
    <div className="hands">
      {mine && (
        <p className="hands__status" data-testid="hand-status">
          {t(mine.pointOfOrder ? 'speakers.youAreQueuedPoint' : 'speakers.youAreQueued', { n: index + 1 })}
        </p>
      )}
      <div className="hands__buttons" ref={buttons}>
        {!mine && (
          <button
            type="button"
            className="button button--primary"
            disabled={disabled}
            aria-describedby={disabled ? noteId : undefined}
            onClick={() => send('raise')}
            data-testid="hand-raise"
          >
            {t('speakers.raise')}
          </button>
        )}
        {!mine?.pointOfOrder && (
          <button
            type="button"
            className="button"
            disabled={disabled}
            aria-describedby={disabled ? `${noteId} ${pointHintId}` : pointHintId}
            onClick={() => send('point')}
            data-testid="hand-point-of-order"
          >
            {t('speakers.raisePoint')}
          </button>
        )}
        {mine && lower.shown && (
          <button
            type="button"
            className="button"
            disabled={lower.hindrance !== null}
            onClick={() => send('lower')}
            data-testid="hand-lower"
          >
            {t('speakers.lower')}
          </button>
        )}
      </div>
      {!mine?.pointOfOrder && (
        <p id={pointHintId} className="hint">
          {t('speakers.raisePointHint')}
        </p>
      )}
      <HindranceNote id={noteId} hindrance={raise.hindrance} />
    </div>
  );
}

function QueueItem({ entry, index, queue }: { entry: QueueEntry; index: number; queue: QueueEntry[] }) {
  const { t } = useTranslation();
  const nameOf = useNameOf();
  const youId = useAppStore((s) => s.you?.memberId);
  const grant = useCapability('speaker:grant');
  const reorder = useCapability('queue:reorder');
  const remove = useCapability('queue:remove');
  const name = nameOf(entry.memberId);
  const order = queue.map((q) => q.memberId);
  return (
    <li
      className={entry.pointOfOrder ? 'queue__item queue__item--point' : 'queue__item'}
      data-testid={`queue-${entry.memberId}`}
      data-point-of-order={entry.pointOfOrder}
    >
      <span className="queue__who">
        <span className="queue__pos" aria-hidden="true">
          {index + 1}.
        </span>
        <span className="queue__name">
          {name}
          {entry.memberId === youId && t('presence.you')}
        </span>
        {entry.pointOfOrder && <span className="badge badge--point">{t('speakers.pointOfOrder')}</span>}
      </span>
      {(grant.shown || reorder.shown || remove.shown) && (
        <span className="queue__actions">
          {grant.shown && (
            <button
              type="button"
              className="button button--small"
              aria-label={t('speakers.grantLabel', { name })}
              disabled={grant.hindrance !== null}
              onClick={() => void call('speaker:grant', { memberId: entry.memberId })}
              data-testid={`queue-grant-${entry.memberId}`}
            >
              {t('speakers.grant')}
            </button>
          )}
          {reorder.shown && (
            <>
              <button
                type="button"
                className="button button--small button--icon"
                aria-label={t('speakers.upLabel', { name })}
                disabled={reorder.hindrance !== null || index === 0}
                onClick={() => void call('queue:reorder', { memberIds: moveItem(order, index, -1) })}
                data-testid={`queue-up-${entry.memberId}`}
              >
                <span aria-hidden="true">↑</span>
              </button>
              <button
                type="button"
                className="button button--small button--icon"
                aria-label={t('speakers.downLabel', { name })}
                disabled={reorder.hindrance !== null || index === queue.length - 1}
                onClick={() => void call('queue:reorder', { memberIds: moveItem(order, index, 1) })}
                data-testid={`queue-down-${entry.memberId}`}
              >
                <span aria-hidden="true">↓</span>
              </button>
            </>
          )}
          {remove.shown && (
            <button
              type="button"
              className="button button--small"
              aria-label={t('speakers.removeLabel', { name })}
              disabled={remove.hindrance !== null}
              onClick={() => void call('queue:remove', { memberId: entry.memberId })}
              data-testid={`queue-remove-${entry.memberId}`}
            >
              {t('common.remove')}
            </button>
          )}
        </span>
      )}
    </li>
  );
}

function Queue() {
  const { t } = useTranslation();
  const queue = useAppStore((s) => s.speakers.queue);
  const summary = useThrottled(queue.length, 3000);
  return (
    <div className="queue">
      <h3>
        {t('speakers.queueTitle')} <span className="muted">{t('speakers.queueCount', { count: queue.length })}</span>
      </h3>
      <p className="visually-hidden" aria-live="polite" data-testid="queue-summary">
        {t('speakers.summary', { count: summary })}
      </p>
      {queue.length === 0 && <p className="muted">{t('speakers.queueEmpty')}</p>}
      <ol className="queue__list" data-testid="queue-list" data-count={queue.length}>
        {queue.map((entry, index) => (
          <QueueItem key={entry.memberId} entry={entry} index={index} queue={queue} />
        ))}
      </ol>
    </div>
  );
}

/** Conveners: next speaker, a chosen speaker, and the time per turn. */
function ChairControls() {
  const { t } = useTranslation();
  const ids = { limitHint: useId(), limitError: useId(), note: useId() };
  const grant = useCapability('speaker:grant');
  const limit = useCapability('speaker:limit');
  const queueLength = useAppStore((s) => s.speakers.queue.length);
  const seconds = useAppStore((s) => s.session?.speakerLimitSeconds ?? limits.defaultSpeakerLimitSeconds);
  const candidates = useAppStore(
    useShallow((s) =>
      s.presence
        .filter((p) => speakingRoles.includes(p.role) && !p.muted && p.memberId !== s.speakers.speaker?.memberId)
        .map((p) => p.memberId),
    ),
  );
  const nameOf = useNameOf();
  const [chosen, setChosen] = useState('');
  const [limitText, setLimitText] = useState('');
  const [limitInvalid, setLimitInvalid] = useState(false);
  if (!grant.shown && !limit.shown) return null;
  const chosenId = candidates.includes(chosen) ? chosen : '';

  const saveLimit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = /^\s*\d+\s*$/.test(limitText) ? Number(limitText) : Number.NaN;
    if (!(value >= limits.minSpeakerLimitSeconds && value <= limits.maxSpeakerLimitSeconds)) {
      setLimitInvalid(true);
      return;
    }
    setLimitInvalid(false);
    const res = await call('speaker:limit', { seconds: value });
    if (res.ok) setLimitText('');
  };

  return (
    <div className="chair-controls">
      <h3>{t('speakers.controlsTitle')}</h3>
      {grant.shown && (
        <>
          <div className="row">
            <button
              type="button"
              className="button button--primary"
              disabled={grant.hindrance !== null || queueLength === 0}
              aria-describedby={grant.hindrance ? ids.note : undefined}
              onClick={() => void call('speaker:grant', { memberId: null })}
              data-testid="grant-next"
            >
              {t('speakers.grantNext')}
            </button>
          </div>
          <form
            className="row row--wrap"
            onSubmit={(e) => {
              e.preventDefault();
              if (chosenId) void call('speaker:grant', { memberId: chosenId }).then((r) => r.ok && setChosen(''));
            }}
          >
            <Field className="field--row" label={t('speakers.grantOther')}>
              <select
                value={chosenId}
                onChange={(e) => setChosen(e.target.value)}
                disabled={grant.hindrance !== null || candidates.length === 0}
                data-testid="grant-other-select"
              >
                <option value="">{candidates.length === 0 ? t('speakers.grantOtherNone') : t('common.choose')}</option>
                {candidates.map((id) => (
                  <option key={id} value={id}>
                    {nameOf(id)}
                  </option>
                ))}
              </select>
            </Field>
            <button
              type="submit"
              className="button"
              disabled={grant.hindrance !== null || !chosenId}
              data-testid="grant-other-submit"
            >
              {t('speakers.grantOtherSubmit')}
            </button>
          </form>
          <HindranceNote id={ids.note} hindrance={grant.hindrance} />
        </>
      )}
      {limit.shown && (
        <form className="row row--wrap" onSubmit={saveLimit} noValidate>
          {/* The hint and the error go under the row's button, so they stay out of the Field. */}
          <Field className="field--row" label={t('speakers.limitLabel')}>
            <input
              type="number"
              inputMode="numeric"
              min={limits.minSpeakerLimitSeconds}
              max={limits.maxSpeakerLimitSeconds}
              step={15}
              className="input--short"
              placeholder={String(seconds)}
              value={limitText}
              onChange={(e) => {
                setLimitText(e.target.value);
                setLimitInvalid(false);
              }}
              aria-invalid={limitInvalid || undefined}
              aria-describedby={limitInvalid ? `${ids.limitHint} ${ids.limitError}` : ids.limitHint}
              disabled={limit.hindrance !== null}
              data-testid="speaker-limit-input"
            />
          </Field>
          <button type="submit" className="button" disabled={limit.hindrance !== null} data-testid="speaker-limit-save">
            {t('speakers.limitSave')}
          </button>
          <p id={ids.limitHint} className="hint row__full">
            {t('speakers.limitHint', {
              min: limits.minSpeakerLimitSeconds,
              max: limits.maxSpeakerLimitSeconds,
              now: formatDuration(seconds * 1000),
            })}
          </p>
          {limitInvalid && (
            <p id={ids.limitError} className="field-error row__full" role="alert">
              {t('speakers.limitInvalid', { min: limits.minSpeakerLimitSeconds, max: limits.maxSpeakerLimitSeconds })}
            </p>
          )}
        </form>
      )}
    </div>
  );
}

/** What is happening now: the item and its timer, the speaker and the countdown, the queue, the hands. */
export function NowPanel() {
  const { t } = useTranslation();
  return (
    <>
      <Section title={t('agenda.currentTitle')} titleText={t('agenda.currentTitle')} testId="now-item">
        <CurrentItem />
      </Section>
      <Section title={t('speakers.title')} titleText={t('speakers.title')} testId="speakers-panel">
        <CurrentSpeaker />
        <HandControls />
        <Queue />
        <ChairControls />
      </Section>
    </>
  );
}
