import {
  hallConnectors,
  hallIdentity,
  type MediaFloor,
  type MediaToken,
  type MemberView,
  mayPublish,
  mediaModes,
  mediaRoomName,
  mediaTokenTtlSeconds,
  type RoomMediaHooks,
  sessionOfMediaRoom,
} from '@yitang/shared';
import {
  AccessToken,
  type ParticipantPermission,
  RoomServiceClient,
  TrackSource,
  type WebhookEvent,
  WebhookReceiver,
} from 'livekit-server-sdk';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { roleIn } from '../rooms/roles';
import type { SessionDoc } from '../rooms/room.model';
import type { MediaServerAddress } from './embedded';

export interface Media extends RoomMediaHooks {
  /** The media server's origins (ws and http) a browser connects to: the page's CSP allows them. */
  origins: string[];
  /** A short-lived token for `member` in the session's media room (or for the hall's identity). */
  token(session: SessionDoc | null, member: MemberView, opts: { hall: boolean }): Promise<MediaToken>;
  /** A signed-out person's media connections are closed, in every room they had a token for. */
  signedOut(memberId: string): void;
  /**
   * A webhook of the media server (LiveKit signs it with our key and the body's hash): whoever
   * joins a session's media room gets the session's rights of the moment, whatever the token they
   * came with said. Resolves once they are applied; UNAUTHENTICATED for what LiveKit did not sign.
   */
  webhook(
    body: string,
    authorization: string | undefined,
    session: (id: string) => Promise<SessionDoc | null>,
  ): Promise<void>;
  /** Resolves once every change sent to the media server so far has been answered. */
  idle(): Promise<void>;
}

/** LiveKit's permission, whole: an update replaces all of it, and a field left out means false. */
function permission(canPublish: boolean): Partial<ParticipantPermission> {
  return {
    canSubscribe: true,
    canPublish,
    canPublishData: false,
    canPublishSources: canPublish ? [TrackSource.MICROPHONE, TrackSource.CAMERA] : [],
    canUpdateMetadata: false,
    hidden: false,
  };
}

/** Twirp's "not found": the person is not connected to the media room (yet, or any more). */
const notConnected = (err: unknown) =>
  typeof err === 'object' && err !== null && 'status' in err && (err as { status: unknown }).status === 404;

/**
 * The media side of the live room, on a LiveKit server (embedded or a deployment's): tokens bound
 * to one session's room and one identity, and the floor applied on the media server itself, so a
 * client that ignores the buttons still cannot be heard.
 */
export function createMedia(deps: { server: MediaServerAddress; logger: Logger }): Media {
  const { server, logger } = deps;
  const httpUrl = server.url.replace(/^ws/, 'http');
  const rooms = new RoomServiceClient(httpUrl, server.apiKey, server.apiSecret);
  /** Who may publish in each room, as last applied: a change is sent only for those it moves. */
  const publishing = new Map<string, Set<string>>();
  /** The rooms each person was given a token for, to close their connections at sign-out. */
  const roomsOf = new Map<string, Set<string>>();
  /** Changes to the media server, one room at a time and in order. */
  const queues = new Map<string, Promise<void>>();

  const receiver = new WebhookReceiver(server.apiKey, server.apiSecret);

  const enqueue = (room: string, what: string, fn: () => Promise<void>): Promise<void> => {
    const next = (queues.get(room) ?? Promise.resolve())
      .then(fn)
      .catch((err: unknown) => logger.error({ err, room }, `media server: ${what} failed`));
    queues.set(room, next);
    void next.then(() => {
      if (queues.get(room) === next) queues.delete(room);
    });
    return next;
  };

  const setPublish = async (room: string, identity: string, canPublish: boolean) => {
    try {
      await rooms.updateParticipant(room, identity, { permission: permission(canPublish) });
    } catch (err) {
      if (notConnected(err)) return;
      throw err;
    }
    if (canPublish) return;
    // LiveKit stops forwarding what the permission no longer allows; muting each track as well
    // shows the change at once in every client (the speaker's own included).
    const info = await rooms.getParticipant(room, identity).catch((err: unknown) => {
      if (notConnected(err)) return null;
      throw err;
    });
    for (const track of info?.tracks ?? []) {
      if (!track.muted) await rooms.mutePublishedTrack(room, identity, track.sid, true).catch(() => undefined);
    }
  };

  const disconnect = (room: string, identity: string) =>
    enqueue(room, 'closing a connection', async () => {
      await rooms.removeParticipant(room, identity).catch((err: unknown) => {
        if (!notConnected(err)) throw err;
      });
    });

  const origin = new URL(server.url);
  return {
    origins: [`${origin.protocol}//${origin.host}`, `${origin.protocol.replace('ws', 'http')}//${origin.host}`],
    async token(session, member, { hall }) {
      if (!session) throw new AppError('NOT_FOUND', 'No such session.');
      const role = roleIn(session, member);
      if (!role) throw new AppError('FORBIDDEN', 'You are not a participant of this session.');
      if (session.removed?.includes(member.id)) throw new AppError('REMOVED', 'You were removed from this session.');
      if (!mediaModes.includes(session.mode)) {
        throw new AppError('BAD_REQUEST', 'This session meets in the hall only: it has no voice or video.');
      }
      if (session.state === 'closed') throw new AppError('SESSION_CLOSED', 'The session is closed.');
      if (hall && !hallConnectors.includes(role)) {
        throw new AppError('FORBIDDEN', 'Only the conveners and staff connect the hall’s microphone.');
      }
      if (hall && session.mode !== 'hybrid') {
        throw new AppError('BAD_REQUEST', 'Only a hybrid session has a hall to connect.');
      }
      const room = mediaRoomName(session._id);
      const identity = hall ? hallIdentity : member.id;
      // The rights of the moment only: once the turn ends the server takes them back, and gives
      // back the rights of that moment to whoever joins again, with this token or another (webhook).
      const canPublish = mayPublish(floorOf(session), identity);
      const at = new AccessToken(server.apiKey, server.apiSecret, {
        identity,
        name: hall ? '会场 Hall' : member.name,
        ttl: mediaTokenTtlSeconds,
        attributes: { role: hall ? 'hall' : role },
      });
      at.addGrant({
        roomJoin: true,
        room,
        canSubscribe: true,
        canPublish,
        canPublishData: false,
        canUpdateOwnMetadata: false,
        ...(canPublish ? { canPublishSources: [TrackSource.MICROPHONE, TrackSource.CAMERA] } : {}),
      });
      const mine = roomsOf.get(member.id) ?? new Set<string>();
      mine.add(room);
      roomsOf.set(member.id, mine);
      return {
        url: server.url,
        token: await at.toJwt(),
        room,
        identity,
        canPublish,
        expiresAt: new Date(Date.now() + mediaTokenTtlSeconds * 1000).toISOString(),
      };
    },

    floorChanged(sessionId, floor) {
      const room = mediaRoomName(sessionId);
      const before = publishing.get(room);
      const now = new Set(
        [floor.speakerId, floor.firstConvenerId, floor.secondConvenerId, ...floor.allowed].filter(
          (id): id is string => id !== null && mayPublish(floor, id),
        ),
      );
      publishing.set(room, now);
      // Without a record (a restart) everyone who could have published is told again.
      const revoke = [...(before ?? [floor.firstConvenerId, floor.secondConvenerId, ...floor.muted])].filter(
        (id): id is string => id !== null && !now.has(id),
      );
      const grant = [...now].filter((id) => !before?.has(id));
      if (revoke.length === 0 && grant.length === 0) return;
      enqueue(room, 'applying the floor', async () => {
        for (const id of revoke) await setPublish(room, id, false);
        for (const id of grant) await setPublish(room, id, true);
      });
    },

    removed(sessionId, memberId) {
      disconnect(mediaRoomName(sessionId), memberId);
    },

    async webhook(body, authorization, session) {
      let event: WebhookEvent;
      try {
        event = await receiver.receive(body, authorization);
      } catch {
        throw new AppError('UNAUTHENTICATED', 'This is not a webhook the media server signed.');
      }
      const room = event.room?.name ?? '';
      const identity = event.participant?.identity ?? '';
      const sessionId = sessionOfMediaRoom(room);
      if (event.event !== 'participant_joined' || !sessionId || !identity) return;
      /** What the session lets `identity` do now, read from the database (any node may answer). */
      const rightsNow = async (): Promise<'removed' | boolean> => {
        const s = await session(sessionId);
        if (s?.removed?.includes(identity)) return 'removed';
        return s !== null && s.state !== 'closed' && mediaModes.includes(s.mode) && mayPublish(floorOf(s), identity);
      };
      // In the room's queue, reading the session there: a floor change stored before this read is
      // in what it reads, one stored after it is applied after it.
      // What LiveKit let them do as they joined (from their token): a listener who came with a
      // listener's token, or a speaker with a speaker's, needs nothing sent.
      const joinedWith = event.participant?.permission?.canPublish;
      await enqueue(room, 'applying the rights of someone joining', async () => {
        let rights = await rightsNow();
        if (rights === joinedWith) return;
        for (let tries = 0; tries < 3; tries += 1) {
          if (rights === 'removed') {
            await rooms.removeParticipant(room, identity).catch((err: unknown) => {
              if (!notConnected(err)) throw err;
            });
            return;
          }
          await setPublish(room, identity, rights);
          // The room's owner may be another node, which stores a change before it tells the media
          // server: read again, and if the rights moved meanwhile, ours may have come last.
          const after = await rightsNow();
          if (after === rights) return;
          rights = after;
        }
      });
    },

    signedOut(memberId) {
      for (const room of roomsOf.get(memberId) ?? []) disconnect(room, memberId);
      roomsOf.delete(memberId);
    },

    async idle() {
      while (queues.size > 0) await Promise.all(queues.values());
    },
  };
}

/** The session's floor as the media rule reads it. */
export function floorOf(
  session: Pick<SessionDoc, 'speakers' | 'firstConvenerId' | 'secondConvenerId' | 'muted' | 'allowedToSpeak'>,
): MediaFloor {
  return {
    speakerId: session.speakers?.speaker?.memberId ?? null,
    firstConvenerId: session.firstConvenerId,
    secondConvenerId: session.secondConvenerId ?? null,
    muted: session.muted ?? [],
    allowed: session.allowedToSpeak ?? [],
  };
}
