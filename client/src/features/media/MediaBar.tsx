import { hallConnectors, mediaChairs, mediaModes } from '@yitang/shared';
import type { RemoteTrack } from 'livekit-client';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { useAppStore } from '../../store';
import {
  chooseAudioOnly,
  connectMedia,
  disconnectMedia,
  type MediaState,
  mediaStore,
  retryMedia,
  setCamera,
  setMicrophone,
  startListening,
} from './mediaSession';
import './media.css';

const useMedia = <T,>(pick: (s: MediaState) => T) => useStore(mediaStore, pick);

function RemoteVideo({ track, name }: { track: RemoteTrack; name: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    track.attach(el);
    return () => {
      track.detach(el);
    };
  }, [track]);
  return (
    <figure className="media-video">
      <video ref={ref} autoPlay playsInline muted aria-label={name} />
      <figcaption>{name}</figcaption>
    </figure>
  );
}

/** The state line: connecting / live / reconnecting / audio only, announced as it changes. */
function MediaStatus() {
  const { t } = useTranslation();
  const connection = useMedia((s) => s.connection);
  const audioOnly = useMedia((s) => s.audioOnly);
  const speaking = useMedia((s) => s.speaking);
  return (
    <p className="media-bar__status" role="status" aria-live="polite" data-testid="media-status">
      <span className={`media-dot media-dot--${connection}`} aria-hidden="true" />
      {t(`media.state.${connection}`)}
      {audioOnly && connection !== 'idle' && (
        <span className="badge" data-testid="media-audio-only" data-reason={audioOnly}>
          {audioOnly === 'weak'
            ? t('media.audioOnlyWeak')
            : audioOnly === 'camera'
              ? t('media.audioOnlyCamera')
              : t('media.audioOnly')}
        </span>
      )}
      {speaking.length > 0 && connection === 'live' && (
        <span className="media-bar__speaking">
          {t('common.labelled', { label: t('media.speakers'), text: speaking.join(t('common.listSeparator')) })}
        </span>
      )}
    </p>
  );
}

/**
 * Voice and video of an online or hybrid session (issue 17): everyone listens; the floor holder's
 * microphone turns on when the convener gives the floor, and off when the turn ends (the media
 * server enforces both). Conveners switch their own microphone; the desk can connect this device
 * as the hall.
 */
export function MediaBar() {
  const { t } = useTranslation();
  const sessionId = useAppStore((s) => s.session?.id);
  const mode = useAppStore((s) => s.session?.mode);
  const closed = useAppStore((s) => s.session?.state === 'closed');
  const joined = useAppStore((s) => s.roomConnection === 'joined' || s.roomConnection === 'reconnecting');
  const role = useAppStore((s) => s.you?.role);
  const connection = useMedia((s) => s.connection);
  const canPublish = useMedia((s) => s.canPublish);
  const micOn = useMedia((s) => s.micOn);
  const cameraOn = useMedia((s) => s.cameraOn);
  const audioOnly = useMedia((s) => s.audioOnly);
  const needsTap = useMedia((s) => s.needsTap);
  const asHall = useMedia((s) => s.asHall);
  const videos = useMedia((s) => s.videos);
  const failure = useMedia((s) => s.failure);

  const withMedia = mode !== undefined && mediaModes.includes(mode) && !closed;
  const chair = role !== undefined && mediaChairs.includes(role);
  // Connected while the room is: a removed or signed-out person's bar goes with the room.
  const active = withMedia && joined && sessionId !== undefined && role !== undefined;
  useEffect(() => {
    if (!active || !sessionId) return;
    void connectMedia(sessionId, { hall: false, chair });
    return () => {
      void disconnectMedia();
    };
  }, [active, sessionId, chair]);

  if (!withMedia) return null;
  const mayHall = role !== undefined && mode === 'hybrid' && hallConnectors.includes(role);
  return (
    <section
      className="panel media-bar"
      aria-labelledby="media-bar-title"
      data-testid="media-bar"
      data-state={connection}
      data-can-publish={canPublish}
      data-mic={micOn}
      data-hall={asHall}
    >
      <h2 id="media-bar-title" className="media-bar__title">
        {t('media.title')}
      </h2>
      <MediaStatus />
      {connection === 'live' && (
        <p className="hint">
          {canPublish ? (micOn ? t('media.micLive') : t('media.mayPublish')) : t('media.listenOnly')}
        </p>
      )}
      <div className="media-bar__actions">
        {needsTap && connection === 'live' && (
          <button type="button" className="button button--primary" onClick={() => void startListening()}>
            {t('media.tapToListen')}
          </button>
        )}
        {connection === 'failed' && (
          <button type="button" className="button" onClick={retryMedia} data-testid="media-retry">
            {t('media.retry')}
            {failure ? t('common.aside', { text: t(`errors.${failure}`, { defaultValue: failure }) }) : ''}
          </button>
        )}
        {connection === 'live' && canPublish && (
          <button
            type="button"
            className={micOn ? 'button button--primary' : 'button'}
            aria-pressed={micOn}
            onClick={() => void setMicrophone(!micOn)}
            data-testid="media-mic"
          >
            {micOn ? t('media.micOff') : t('media.micOn')}
          </button>
        )}
        {connection === 'live' && canPublish && !audioOnly && (
          <button
            type="button"
            className="button"
            aria-pressed={cameraOn}
            onClick={() => void setCamera(!cameraOn)}
            data-testid="media-camera"
          >
            {cameraOn ? t('media.cameraOff') : t('media.cameraOn')}
          </button>
        )}
        {connection !== 'idle' && (
          <label className="media-bar__toggle">
            <input
              type="checkbox"
              checked={audioOnly !== false}
              onChange={(e) => chooseAudioOnly(e.currentTarget.checked)}
            />{' '}
            {t('media.audioOnly')}
          </label>
        )}
        {mayHall && sessionId && (
          <button
            type="button"
            className="button"
            aria-pressed={asHall}
            title={t('media.hallHint')}
            onClick={() => void connectMedia(sessionId, { hall: !asHall, chair })}
            data-testid="media-hall"
          >
            {asHall ? t('media.leaveHall') : t('media.hall')}
          </button>
        )}
      </div>
      {videos.length > 0 && (
        <div className="media-bar__videos">
          {videos.map((v) => (
            <RemoteVideo key={v.sid} track={v.track} name={v.name} />
          ))}
        </div>
      )}
    </section>
  );
}
