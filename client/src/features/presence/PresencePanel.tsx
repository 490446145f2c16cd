import {
  limits,
  mediaModes,
  type PresenceEntry,
  PresencePage,
  presenceRoleOrder,
  roomRunningRoles,
  type SessionRole,
} from '@yitang/shared';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Section } from '../../components/Section';
import { useAppStore } from '../../store';
import { useCapability } from '../room/hooks';
import { call } from '../room/roomSocket';

const byRole = (a: PresenceEntry, b: PresenceEntry) => presenceRoleOrder[a.role] - presenceRoleOrder[b.role];
const isConvener = (role: SessionRole) => role === 'firstConvener' || role === 'secondConvener';

function PresenceRow({ entry, youId }: { entry: PresenceEntry; youId: string | undefined }) {
  const { t } = useTranslation();
  const mute = useCapability('moderation:mute');
  const remove = useCapability('moderation:remove');
  const allow = useCapability('moderation:allow');
  // Voice: the conveners may let someone besides the floor holder speak (a department's official).
  const withVoice = useAppStore((s) => s.session !== null && mediaModes.includes(s.session.mode));
  const mayNowSpeak = useAppStore((s) => s.session?.allowedToSpeak?.includes(entry.memberId) ?? false);
  const name = entry.name;
  const moderatable = entry.memberId !== youId && !isConvener(entry.role);
  const allowShown = allow.shown && withVoice && !entry.muted;
  return (
    <li
      className="presence__row"
      data-testid={`presence-${entry.memberId}`}
      data-online={entry.online}
      data-in-hall={entry.inHall}
      data-muted={entry.muted}
    >
      <span className="presence__who">
        <span className="presence__name">
          {name}
          {entry.memberId === youId && t('presence.you')}
        </span>
        <span className={`role role--${entry.role}`}>{t(`roles.${entry.role}`)}</span>
      </span>
      <span className="presence__marks">
        {entry.inHall && <span className="mark mark--hall">{t('presence.inHall')}</span>}
        {entry.online && <span className="mark mark--online">{t('presence.online')}</span>}
        {!entry.inHall && !entry.online && <span className="mark">{t('presence.away')}</span>}
        {entry.muted && (
          <span className="mark mark--muted" data-testid={`muted-${entry.memberId}`}>
            {t('presence.muted')}
          </span>
        )}
        {mayNowSpeak && (
          <span className="mark mark--may-speak" data-testid={`may-speak-${entry.memberId}`}>
            {t('media.mayNowSpeak')}
          </span>
        )}
      </span>
      {moderatable && (mute.shown || remove.shown || allowShown) && (
        <span className="presence__tools">
          {allowShown && (
            <button
              type="button"
              className="button button--small"
              aria-pressed={mayNowSpeak}
              aria-label={mayNowSpeak ? t('media.withdrawLabel', { name }) : t('media.allowLabel', { name })}
              disabled={allow.hindrance !== null}
              onClick={() => void call('moderation:allow', { memberId: entry.memberId, allowed: !mayNowSpeak })}
              data-testid={`allow-${entry.memberId}`}
            >
              {mayNowSpeak ? t('media.withdraw') : t('media.allow')}
            </button>
          )}
          {mute.shown && (
            <button
              type="button"
              className="button button--small"
              aria-pressed={entry.muted}
              aria-label={entry.muted ? t('presence.unmuteLabel', { name }) : t('presence.muteLabel', { name })}
              disabled={mute.hindrance !== null}
              onClick={() => void call('moderation:mute', { memberId: entry.memberId, muted: !entry.muted })}
              data-testid={`mute-${entry.memberId}`}
            >
              {entry.muted ? t('presence.unmute') : t('presence.mute')}
            </button>
          )}
          {remove.shown && (
            <ConfirmButton
              confirmKey={`remove:${entry.memberId}`}
              question={t('presence.removeConfirm', { name })}
              onConfirm={() => void call('moderation:remove', { memberId: entry.memberId })}
              className="button button--small button--danger"
              ariaLabel={t('presence.removeLabel', { name })}
              disabled={remove.hindrance !== null}
              testId={`remove-${entry.memberId}`}
            >
              {t('presence.remove')}
            </ConfirmButton>
          )}
        </span>
      )}
    </li>
  );
}

/**
 * Everyone present, a page at a time from the server (`presence:page`), with a name search. For a
 * room too big for its snapshot to list everyone; rows show the live entry when the store has one.
 */
function EveryoneList({ id }: { id: string }) {
  const { t } = useTranslation();
  const ids = { query: useId(), status: useId() };
  const youId = useAppStore((s) => s.you?.memberId);
  const known = useAppStore((s) => s.presence);
  const [query, setQuery] = useState('');
  const [shownQuery, setShownQuery] = useState('');
  const [page, setPage] = useState<PresencePage | null>(null);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  const load = async (q: string, offset: number) => {
    setBusy(true);
    const payload = { offset, limit: limits.presencePageMax, ...(q ? { query: q } : {}) };
    const res = await call('presence:page', payload, { quiet: true });
    setBusy(false);
    const parsed = res.ok ? PresencePage.safeParse(res.data) : null;
    if (!parsed?.success) {
      setFailed(true);
      return;
    }
    setFailed(false);
    setShownQuery(q);
    setPage((before) =>
      offset === 0 || !before ? parsed.data : { ...parsed.data, entries: [...before.entries, ...parsed.data.entries] },
    );
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: the first page loads once, when the list opens.
  useEffect(() => {
    void load('', 0);
  }, []);

  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void load(query.trim().slice(0, limits.maxSearchLength), 0);
  };

  const live = new Map(known.map((p) => [p.memberId, p]));
  const entries = page?.entries.map((e) => live.get(e.memberId) ?? e) ?? [];
  return (
    <div id={id} className="presence-all" data-testid="presence-all">
      <search>
        <form className="row row--wrap" onSubmit={search} noValidate>
          <label htmlFor={ids.query} className="row__label">
            {t('presence.search')}
          </label>
          <input
            id={ids.query}
            type="search"
            value={query}
            maxLength={limits.maxSearchLength}
            onChange={(e) => setQuery(e.target.value)}
            aria-describedby={ids.status}
            data-testid="presence-search"
          />
          <button type="submit" className="button" disabled={busy} data-testid="presence-search-submit">
            {t('presence.searchSubmit')}
          </button>
        </form>
      </search>
      <p id={ids.status} role="status" className="hint" data-testid="presence-all-status">
        {busy && t('presence.loading')}
        {!busy && failed && t('presence.loadFailed')}
        {!busy &&
          !failed &&
          page &&
          (shownQuery
            ? t('presence.found', { shown: entries.length, total: page.total, query: shownQuery })
            : t('presence.shown', { shown: entries.length, total: page.total }))}
      </p>
      <ul className="presence" aria-label={t('presence.allLabel')} data-testid="presence-all-list">
        {entries.map((p) => (
          <PresenceRow key={p.memberId} entry={p} youId={youId} />
        ))}
      </ul>
      {page && entries.length < page.total && (
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => void load(shownQuery, entries.length)}
          data-testid="presence-more"
        >
          {t('presence.more')}
        </button>
      )}
    </div>
  );
}

const runsTheRoom: ReadonlySet<SessionRole> = new Set(roomRunningRoles);

/**
 * Who is here, where (hall / online), their roles; conveners mute and remove. A big room's
 * snapshot lists only those who run it (and the speaker, the queue, the muted and you): the panel
 * shows them with the true counts, and everyone else in pages on request.
 */
export function PresencePanel() {
  const { t } = useTranslation();
  const partial = useAppStore((s) => s.presencePartial);
  const counts = useAppStore(useShallow((s) => s.presenceCounts));
  const presence = useAppStore(
    useShallow((s) => {
      if (!s.presencePartial) return [...s.presence].sort(byRole);
      const onFloor = new Set(s.speakers.queue.map((q) => q.memberId));
      if (s.speakers.speaker) onFloor.add(s.speakers.speaker.memberId);
      return s.presence
        .filter((p) => runsTheRoom.has(p.role) || p.muted || p.memberId === s.you?.memberId || onFloor.has(p.memberId))
        .sort(byRole);
    }),
  );
  const youId = useAppStore((s) => s.you?.memberId);
  const [everyone, setEveryone] = useState(false);
  const everyoneId = useId();
  const count = partial ? counts.present : presence.length;
  return (
    <Section
      title={
        <span data-testid="presence-count" data-count={count}>
          {t('presence.title', { count })}
        </span>
      }
      titleText={t('presence.title', { count })}
      testId="presence-panel"
    >
      <p className="hint" aria-live="polite" aria-atomic="true" data-testid="presence-counts">
        {t('presence.counts', { online: counts.online, inHall: counts.inHall })}
      </p>
      {presence.length === 0 && <p className="muted">{t('presence.empty')}</p>}
      {partial && presence.length > 0 && <p className="muted">{t('presence.roleHolders')}</p>}
      <ul className="presence" data-testid="presence-list">
        {presence.map((p) => (
          <PresenceRow key={p.memberId} entry={p} youId={youId} />
        ))}
      </ul>
      {partial && (
        <button
          type="button"
          className="button"
          aria-expanded={everyone}
          aria-controls={everyone ? everyoneId : undefined}
          onClick={() => setEveryone((v) => !v)}
          data-testid="presence-everyone"
        >
          {everyone ? t('presence.hideEveryone') : t('presence.showEveryone', { count: counts.present })}
        </button>
      )}
      {partial && everyone && <EveryoneList id={everyoneId} />}
    </Section>
  );
}
