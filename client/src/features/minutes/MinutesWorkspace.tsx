import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WebsocketProvider } from 'y-websocket';
import { appStore, useAppStore } from '../../store';
import { MinutesEditor } from './MinutesEditor';
import { useMinutesConnection } from './minutesProvider';
import { type MinutesUser, memberColor, type Peer, peersOf } from './peers';
import { effectiveStatus, mayWriteMinutes, type ReadOnlyReason, readOnlyReason } from './rules';
import { syncState } from './syncState';

/** The connection dot and label, and what that means for your edits. */
function MinutesStatusLine({ writer }: { writer: boolean }) {
  const { t } = useTranslation();
  const status = useAppStore((s) => s.minutesStatus);
  const synced = useAppStore((s) => s.minutesSynced);
  const hadSync = useAppStore((s) => s.minutesHadSync);
  const refusal = useAppStore((s) => s.minutesRefusal);
  const sync = syncState(status, synced, hadSync);
  const syncText =
    sync === 'refused' && refusal
      ? t(`minutes.refusal.${refusal}`)
      : sync === 'offline'
        ? t(writer ? 'minutes.sync.offlineWriter' : 'minutes.sync.offlineReader')
        : t(`minutes.sync.${sync}`);
  return (
    <div className="minutes-sync-line">
      <p className={`minutes-status minutes-status--${status}`} data-testid="minutes-status" data-status={status}>
        <span className="status-dot" aria-hidden="true" />
        {t('minutes.statusLabel')}
        {t(`minutes.status.${status}`)}
      </p>
      <p
        className={`minutes-sync minutes-sync--${sync}`}
        role={sync === 'refused' ? 'alert' : 'status'}
        aria-atomic="true"
        data-testid="minutes-sync"
        data-state={sync}
      >
        {syncText}
      </p>
    </div>
  );
}

function usePeers(provider: WebsocketProvider, selfId: string | undefined): Peer[] {
  const [peers, setPeers] = useState<Peer[]>([]);
  useEffect(() => {
    const awareness = provider.awareness;
    const update = () => setPeers(peersOf(awareness.getStates(), selfId));
    update();
    awareness.on('change', update);
    return () => awareness.off('change', update);
  }, [provider, selfId]);
  return peers;
}

/** Who has the minutes open, writers and readers alike; the carets' names for screen readers. */
function MinutesPresence({ provider }: { provider: WebsocketProvider }) {
  const { t } = useTranslation();
  const selfId = useAppStore((s) => s.me?.id);
  const peers = usePeers(provider, selfId);
  if (peers.length === 0) return null;
  return (
    <div className="minutes-presence" data-testid="minutes-presence">
      <span className="minutes-presence__label">{t('minutes.presence.label')}</span>
      <ul className="minutes-presence__list">
        {peers.map((p) => (
          <li key={p.memberId} data-testid={`minutes-peer-${p.memberId}`} data-editing={p.editing}>
            <span className="minutes-presence__dot" style={{ backgroundColor: p.color }} aria-hidden="true" />
            {p.name}
            {p.self && t('presence.you')}
            <span className="minutes-presence__what">
              {t(p.editing ? 'minutes.presence.editing' : 'minutes.presence.reading')}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ReadOnlyNote({ id, reason }: { id: string; reason: ReadOnlyReason }) {
  const { t } = useTranslation();
  if (reason === 'loading') {
    return (
      <p id={id} className="hint" data-testid="minutes-rights-loading">
        {t('minutes.readOnly.loading')}
      </p>
    );
  }
  return (
    <p id={id} className="minutes-readonly" data-testid="minutes-readonly" data-reason={reason}>
      <span className="badge">{t('minutes.readOnly.badge')}</span> {t(`minutes.readOnly.${reason}`)}
    </p>
  );
}

interface MinutesWorkspaceProps {
  sessionId: string;
  /** Told the text selected in the minutes, for quoting it in a comment. */
  onSelectText?: (text: string) => void;
}

/**
 * The shared minutes document: connection and sync state, who else is in it, whether you may write,
 * and the editor. The caller loads the minutes' status (MinutesInfo) into the store.
 */
export function MinutesWorkspace({ sessionId, onSelectText }: MinutesWorkspaceProps) {
  const { t } = useTranslation();
  const noteId = useId();
  // The server closes the socket when your rights change; the status tells the editor what they are now.
  const reload = useCallback(() => void appStore.getState().loadMinutesInfo(sessionId), [sessionId]);
  const connection = useMinutesConnection(sessionId, reload);
  const me = useAppStore((s) => s.me);
  const role = useAppStore((s) => (s.roomSessionId === sessionId ? s.you?.role : undefined));
  const sessionState = useAppStore((s) => (s.roomSessionId === sessionId ? s.session?.state : undefined));
  const info = useAppStore((s) => (s.minutesInfoFor === sessionId ? s.minutesInfo : null));
  const status = effectiveStatus(info, sessionState);
  const editable = mayWriteMinutes(role, status);
  const reason = readOnlyReason(role, status);

  const meId = me?.id ?? '';
  const meName = me?.name ?? '';
  const user = useMemo<MinutesUser>(
    () => ({ memberId: meId, name: meName, color: memberColor(meId), editing: editable }),
    [meId, meName, editable],
  );

  return (
    <div className="minutes-workspace">
      <MinutesStatusLine writer={editable} />
      {connection && <MinutesPresence provider={connection.provider} />}
      {reason && <ReadOnlyNote id={noteId} reason={reason} />}
      {connection ? (
        <MinutesEditor
          key={connection.ydoc.guid}
          ydoc={connection.ydoc}
          provider={connection.provider}
          editable={editable}
          user={user}
          describedBy={reason ? noteId : undefined}
          onSelectText={onSelectText}
        />
      ) : (
        <p className="muted">{t('app.loading')}</p>
      )}
    </div>
  );
}
