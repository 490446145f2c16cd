import { RedisAdapter } from '@socket.io/redis-adapter';
import { minutesDocName, SignOutReason } from '@yitang/shared';
import { createClient } from 'redis';
import type { Namespace } from 'socket.io';
import { z } from 'zod';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { MinutesServer } from '../minutes/minutes.server';
import { sessionChannel, sessionPrefix, type YitangServer } from '../socket/types';
import { ClusterError } from './errors';

/**
 * How long a room's lease lasts without renewal. A node that dies outright loses its leases at
 * once (its Redis connection closes, see `alive`); the expiry only matters when a node is cut off
 * from Redis but keeps running. Owners renew their leases three times per lease period.
 */
const defaultLeaseMs = 15_000;

const prefix = 'yitang:';
export const ownerKey = (sessionId: string) => `${prefix}owner:${sessionId}`;
/** Where a node can be reached ("host port"), for the others to pass its rooms' clients on to it. */
export const addressKey = (nodeId: string) => `${addressPrefix}${nodeId}`;
const addressPrefix = `${prefix}node:`;
/** Each node keeps one connection subscribed here: while it is subscribed, the node is alive. */
const alivePrefix = `${prefix}alive:`;
/** Minutes connections are plain WebSockets, not Socket.IO: their cross-node notices go here. */
const minutesChannel = `${prefix}minutes`;

const MinutesNotice = z.discriminatedUnion('kind', [
  z.object({ from: z.string(), kind: z.literal('reconnect'), doc: z.string() }),
  z.object({ from: z.string(), kind: z.literal('signOut'), memberId: z.string() }),
]);
type MinutesNotice = z.infer<typeof MinutesNotice>;
/** REST that changes a session runs on any node; its live room is on its owner: notices go here. */
const sessionsChannel = `${prefix}sessions`;
const SessionNotice = z.object({ from: z.string(), kind: z.literal('membership'), sessionId: z.string() });
type SessionNotice = z.infer<typeof SessionNotice>;
/**
 * Each node keeps a copy of the sign-ins and members it has seen for its Socket.IO handshakes
 * (auth/sign-in-cache.ts): what makes other nodes' copies stale goes here.
 */
const accountsChannel = `${prefix}accounts`;
const AccountsNotice = z.discriminatedUnion('kind', [
  z.object({
    from: z.string(),
    kind: z.literal('signInsEnded'),
    memberId: z.string(),
    keepHash: z.string().optional(),
    reason: SignOutReason,
  }),
  z.object({ from: z.string(), kind: z.literal('membersWritten') }),
]);
type AccountsNotice = z.infer<typeof AccountsNotice>;
/** What a node hears about accounts: another node's notice, or that it may have missed some. */
export type AccountsChange =
  | { kind: 'signInsEnded'; memberId: string; keepHash?: string; reason: SignOutReason }
  | { kind: 'membersWritten' }
  | { kind: 'noticesMissed' };

/**
 * Takes the lease if it is free, already ours, or held by a node whose Redis connection is gone
 * (it crashed: Redis drops a dead process's subscriptions at once). Answers the owner afterwards.
 */
const claimScript = `
local cur = redis.call('GET', KEYS[1])
if cur and cur ~= ARGV[1] then
  local n = redis.call('PUBSUB', 'NUMSUB', ARGV[3] .. cur)
  if n[2] > 0 then return cur end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]`;

/** The live owner of a room and its address, or nil when nobody (alive) holds the lease. */
const ownerScript = `
local cur = redis.call('GET', KEYS[1])
if not cur then return false end
local n = redis.call('PUBSUB', 'NUMSUB', ARGV[1] .. cur)
if n[2] == 0 then return false end
return {cur, redis.call('GET', ARGV[2] .. cur) or ''}`;

/**
 * Extends every lease we still hold; takes back one that expired while nobody else took it;
 * answers the keys now held by another node.
 */
const renewScript = `
local lost = {}
for _, k in ipairs(KEYS) do
  local cur = redis.call('GET', k)
  if cur == ARGV[1] then
    redis.call('PEXPIRE', k, ARGV[2])
  elseif not redis.call('SET', k, ARGV[1], 'PX', ARGV[2], 'NX') then
    table.insert(lost, k)
  end
end
return lost`;

/** Another node that owns a room, and where to reach it. */
export interface RemoteOwner {
  nodeId: string;
  host: string;
  port: number;
}

export interface Cluster {
  readonly nodeId: string;
  /** Cross-node broadcasts (Socket.IO's Redis adapter), the handshake check, and the lease watch. */
  attach(io: YitangServer): void;
  /** Publishes this node's address and starts counting as alive. Call once listening. */
  announce(url: string): Promise<void>;
  /**
   * Makes this node the room's owner, or refuses with UNAVAILABLE when a live node already is.
   * Cheap once held: the renewal loop keeps the lease.
   */
  claim(sessionId: string): Promise<void>;
  /** Gives up a lease taken for a session that turned out not to exist. */
  release(sessionId: string): Promise<void>;
  /** The live node other than this one that owns the room, if any. */
  ownerElsewhere(sessionId: string): Promise<RemoteOwner | null>;
  /**
   * The minutes server, with the calls that must reach every node's connections (sign-out, and
   * permission changes made through REST on any node) passed on to the other nodes.
   */
  shareMinutes(minutes: MinutesServer): MinutesServer;
  /**
   * Tells the other nodes that the membership of session `sessionId` changed (who is invited, or
   * whether it was cancelled): the change was written through REST on this node, but the live
   * room is loaded on whichever node holds its lease. That node reads the session afresh.
   */
  membershipChanged(sessionId: string): void;
  /** Calls `fn` when another node changed the membership of a session whose room this node holds. */
  onMembershipChanged(fn: (sessionId: string) => void): void;
  /**
   * Tells the other nodes that a member's sign-ins ended (all but `keepHash`'s) or that members
   * were written: their handshakes' copies must not let those sign-ins in or show old members.
   */
  accountsChanged(change: Exclude<AccountsChange, { kind: 'noticesMissed' }>): void;
  /**
   * Calls `fn` with each change another node announced, and with `noticesMissed` when this node's
   * subscription was cut off (Redis restarted or unreachable) and has just come back.
   */
  onAccountsChanged(fn: (change: AccountsChange) => void): () => void;
  /** Whether this node's subscription to those notices is up: while it is not, it may miss some. */
  hearsAccounts(): boolean;
  /** The ids among `sessionIds` whose lease this node now holds (taking the free ones). */
  claimFree(sessionIds: readonly string[]): Promise<string[]>;
  /**
   * Calls `fn` when a renewal finds that another node took one of this node's rooms, before the
   * room's connections here are cut (the room registry disposes of its copy then).
   */
  onLeaseLost(fn: (sessionId: string) => void): void;
  close(): Promise<void>;
}

/**
 * Connects to Redis for one server process. A room (its live state and its minutes document)
 * has exactly one owner: the node holding the room's lease in Redis.
 */
export async function createCluster(opts: {
  redisUrl: string;
  nodeId: string;
  logger: Logger;
  /** Tests shorten it to see a renewal sooner (15 s otherwise). */
  leaseMs?: number;
}): Promise<Cluster> {
  const { nodeId, logger } = opts;
  const leaseMs = opts.leaseMs ?? defaultLeaseMs;
  const renewEveryMs = leaseMs / 3;
  // At start an unreachable Redis is an error to report; once running, reconnect and carry on.
  let started = false;
  const commands = createClient({
    url: opts.redisUrl,
    socket: {
      reconnectStrategy: (retries: number, cause: Error) => (started ? Math.min(100 * 2 ** retries, 2_000) : cause),
    },
  });
  const adapterSub = commands.duplicate();
  const aliveSub = commands.duplicate();
  for (const [name, client] of [
    ['commands', commands],
    ['adapter', adapterSub],
    ['alive', aliveSub],
  ] as const) {
    client.on('error', (err: unknown) => logger.error({ err, client: name }, 'redis connection error'));
  }
  try {
    await Promise.all([commands.connect(), adapterSub.connect(), aliveSub.connect()]);
  } catch (err) {
    await Promise.allSettled([commands.close(), adapterSub.close(), aliveSub.close()]);
    throw new ClusterError(`cannot reach Redis at ${opts.redisUrl} (REDIS_URL): ${String(err)}`);
  }
  started = true;

  /** Leases this node holds and renews. */
  const held = new Set<string>();
  /**
   * The Socket.IO rooms of the rooms another node took from us (we were cut off from Redis), until
   * we hold their lease again: nothing this node still sends to them goes out.
   */
  const silenced = new Set<string>();
  const lostListeners: Array<(sessionId: string) => void> = [];
  const membershipListeners: Array<(sessionId: string) => void> = [];
  const accountsListeners: Array<(change: AccountsChange) => void> = [];
  const tellAccountsListeners = (change: AccountsChange) => {
    for (const fn of accountsListeners) {
      try {
        fn(change);
      } catch (err) {
        logger.error({ err, change }, 'applying an accounts change failed');
      }
    }
  };
  let io: YitangServer | null = null;
  let localMinutes: MinutesServer | null = null;
  let renewTimer: NodeJS.Timeout | null = null;

  const unavailable = () =>
    new AppError('UNAVAILABLE', 'This session is being served by another server; connect again.');

  const claimOne = async (sessionId: string): Promise<string> => {
    const owner = await commands.eval(claimScript, {
      keys: [ownerKey(sessionId)],
      arguments: [nodeId, String(leaseMs), alivePrefix],
    });
    if (typeof owner !== 'string') throw new Error('unexpected answer from the lease script');
    if (owner === nodeId) {
      held.add(sessionId);
      silenced.delete(sessionChannel(sessionId));
    }
    return owner;
  };

  const ownerElsewhere = async (sessionId: string): Promise<RemoteOwner | null> => {
    if (held.has(sessionId)) return null;
    const answer = await commands.eval(ownerScript, {
      keys: [ownerKey(sessionId)],
      arguments: [alivePrefix, addressPrefix],
    });
    if (!Array.isArray(answer)) return null;
    const [owner, address] = answer.map(String);
    if (!owner || owner === nodeId || !address) return null;
    const [host, port] = address.split(' ');
    if (!host || !port) return null;
    return { nodeId: owner, host, port: Number(port) };
  };

  /** A handshake refused this way is retried by the client, and then relayed to the owner. */
  const refusal = () => Object.assign(new Error('UNAVAILABLE'), { data: { code: 'UNAVAILABLE' } });

  /**
   * Closes this node's connections of a room it lost: those that joined it and those that named
   * it in the handshake but have not joined yet. The connection is cut, not sent away (Socket.IO's
   * `disconnect` would tell the client not to come back), so clients reconnect by themselves, as
   * after a node failure, and are passed through to the new owner.
   */
  const dropRoomSockets = (sessionId: string) => {
    if (!io) return;
    const channel = sessionChannel(sessionId);
    for (const socket of io.of('/').sockets.values()) {
      if (socket.rooms.has(channel) || socket.handshake.query.room === sessionId) socket.conn.close();
    }
  };

  const renew = async () => {
    if (held.size === 0) return;
    const ids = [...held];
    const answer = await commands.eval(renewScript, {
      keys: ids.map(ownerKey),
      arguments: [nodeId, String(leaseMs)],
    });
    if (!Array.isArray(answer)) throw new Error('unexpected answer from the renewal script');
    const lostKeys = new Set(answer.map(String));
    for (const id of ids) {
      if (!lostKeys.has(ownerKey(id))) continue;
      held.delete(id);
      silenced.add(sessionChannel(id));
      logger.error({ sessionId: id }, 'another server took this room; its copy here is dropped, its sockets closed');
      // The copy in memory may have missed changes made by the new owner: it is disposed of
      // first, so its participants leaving as their connections are cut change nothing.
      for (const fn of lostListeners) {
        try {
          fn(id);
        } catch (err) {
          logger.error({ err, sessionId: id }, 'letting go of a lost room failed');
        }
      }
      dropRoomSockets(id);
      // Its minutes editors reconnect too, and are passed through to the new owner; the copy
      // here writes what it holds but no snapshot, which could cover the new owner's records.
      localMinutes?.relinquish(minutesDocName(id));
    }
  };

  const tellMinutes = (notice: MinutesNotice) => {
    commands.publish(minutesChannel, JSON.stringify(notice)).catch((err: unknown) => {
      logger.error({ err, notice }, 'could not tell the other nodes about a minutes change');
    });
  };
  await aliveSub.subscribe(minutesChannel, (message) => {
    let parsed: ReturnType<typeof MinutesNotice.safeParse>;
    try {
      parsed = MinutesNotice.safeParse(JSON.parse(message));
    } catch {
      return;
    }
    if (!parsed.success || parsed.data.from === nodeId || !localMinutes) return;
    if (parsed.data.kind === 'reconnect') localMinutes.reconnectAll(parsed.data.doc);
    else localMinutes.disconnectMember(parsed.data.memberId);
  });

  await aliveSub.subscribe(sessionsChannel, (message) => {
    let parsed: ReturnType<typeof SessionNotice.safeParse>;
    try {
      parsed = SessionNotice.safeParse(JSON.parse(message));
    } catch {
      return;
    }
    // Only the owner has the room loaded; the node that wrote the change told its own copy itself.
    if (!parsed.success || parsed.data.from === nodeId || !held.has(parsed.data.sessionId)) return;
    for (const fn of membershipListeners) {
      try {
        fn(parsed.data.sessionId);
      } catch (err) {
        logger.error({ err, sessionId: parsed.data.sessionId }, 'applying a membership change failed');
      }
    }
  });

  await aliveSub.subscribe(accountsChannel, (message) => {
    let parsed: ReturnType<typeof AccountsNotice.safeParse>;
    try {
      parsed = AccountsNotice.safeParse(JSON.parse(message));
    } catch {
      return;
    }
    if (!parsed.success || parsed.data.from === nodeId) return;
    const { from: _from, ...change } = parsed.data;
    tellAccountsListeners(change as AccountsChange);
  });
  // Cut off, and back: notices published meanwhile never reached this node. Told at both ends
  // (the handshake does not use its copy in between: `hearsAccounts`).
  let hearing = true;
  const cut = () => {
    if (!hearing) return;
    hearing = false;
    tellAccountsListeners({ kind: 'noticesMissed' });
  };
  aliveSub.on('error', cut);
  aliveSub.on('reconnecting', cut);
  aliveSub.on('ready', () => {
    hearing = true;
    tellAccountsListeners({ kind: 'noticesMissed' });
  });

  return {
    nodeId,
    accountsChanged(change) {
      const notice = { from: nodeId, ...change } as AccountsNotice;
      // Not retried: a node that misses it trusts its copy for at most `copyTrustMs` more
      // (auth/sign-in-cache.ts); the sign-out's own broadcast goes out on this same connection.
      commands.publish(accountsChannel, JSON.stringify(notice)).catch((err: unknown) => {
        logger.error({ err, change }, 'could not tell the other nodes about an accounts change');
      });
    },
    onAccountsChanged(fn) {
      accountsListeners.push(fn);
      return () => {
        const at = accountsListeners.indexOf(fn);
        if (at >= 0) accountsListeners.splice(at, 1);
      };
    },
    hearsAccounts: () => hearing && aliveSub.isReady,
    membershipChanged(sessionId) {
      const notice: SessionNotice = { from: nodeId, kind: 'membership', sessionId };
      commands.publish(sessionsChannel, JSON.stringify(notice)).catch((err: unknown) => {
        logger.error({ err, sessionId }, 'could not tell the room’s owner about a membership change');
      });
    },
    onMembershipChanged(fn) {
      membershipListeners.push(fn);
    },
    shareMinutes(minutes) {
      localMinutes = minutes;
      return {
        accept: (ws, docName, opts) => minutes.accept(ws, docName, opts),
        close: () => minutes.close(),
        openDocuments: () => minutes.openDocuments(),
        residentDocuments: () => minutes.residentDocuments(),
        onReleased: (fn) => minutes.onReleased(fn),
        currentState: (docName) => minutes.currentState(docName),
        change: (docName, by, fn) => minutes.change(docName, by, fn),
        authorship: (docName) => minutes.authorship(docName),
        relinquish: (docName) => minutes.relinquish(docName),
        reconnectAll(docName) {
          minutes.reconnectAll(docName);
          tellMinutes({ from: nodeId, kind: 'reconnect', doc: docName });
        },
        disconnectMember(memberId) {
          minutes.disconnectMember(memberId);
          tellMinutes({ from: nodeId, kind: 'signOut', memberId });
        },
        // The document is served where its room runs, as is the removal that calls this.
        closeMemberIn: (docName, memberId, code, reason) => minutes.closeMemberIn(docName, memberId, code, reason),
      };
    },
    attach(server) {
      io = server;
      const key = `${prefix}io`;
      // A lost room's copy here is disposed of and sends nothing more itself, but a broadcast to
      // its Socket.IO room from anything else still under way here would, through Redis, reach
      // the room's participants on the new owner. So nothing to a lost room is heard until this
      // node holds its lease again. Broadcasts from other nodes are delivered by the base
      // adapter's method, not this one.
      //
      // The other way round, a node that holds a room's lease delivers no broadcast to that room
      // from another node: every socket of a live room is on its owner, and only the room's copy
      // broadcasts to its Socket.IO room, so such a broadcast can only come from a former owner
      // that has not yet noticed the room was taken (its next renewal is up to a third of a lease
      // away, and a node cut off from Redis publishes what it queued once it is back). Its frames
      // carry its copy's sequence numbers, which the new owner's clients would take for a gap.
      const roomPrefix = `${key}#${server.of('/').name}#`;
      const fromFormerOwner = (channel: string): boolean => {
        if (!channel.startsWith(roomPrefix) || !channel.endsWith('#')) return false;
        const room = channel.slice(roomPrefix.length, -1);
        return room.startsWith(sessionPrefix) && held.has(room.slice(sessionPrefix.length));
      };
      server.adapter(
        class extends RedisAdapter {
          constructor(nsp: Namespace) {
            super(nsp, commands, adapterSub, { key });
            // The adapter calls `this.onmessage` for each published broadcast (a private method in
            // its typings), so an instance property placed in front of it sees every one first.
            const self = this as unknown as { onmessage: (pattern: unknown, channel: unknown, msg: unknown) => void };
            const deliver = self.onmessage.bind(this);
            self.onmessage = (pattern, channel, msg) => {
              if (!fromFormerOwner(String(channel))) deliver(pattern, channel, msg);
            };
          }
          override broadcast(...[packet, opts]: Parameters<RedisAdapter['broadcast']>): void {
            for (const room of opts.rooms) if (silenced.has(room)) return;
            super.broadcast(packet, opts);
          }
        },
      );
      // A client names its room in the handshake (`?room=`) so nginx can route it. If a live
      // node owns that room, this one must not serve it: refuse, and the client's next attempt
      // is passed through to the owner (see relay.ts).
      server.use((socket, next) => {
        const room = socket.handshake.query.room;
        if (typeof room !== 'string' || room === '' || held.has(room)) return next();
        ownerElsewhere(room).then(
          (owner) => (owner ? next(refusal()) : next()),
          (err: unknown) => {
            logger.error({ err }, 'room owner lookup failed');
            next(refusal());
          },
        );
      });
    },
    async announce(url) {
      const { hostname, port } = new URL(url);
      const channel = `${alivePrefix}${nodeId}`;
      const counts = await commands.pubSubNumSub(channel);
      if (Number(counts[channel] ?? 0) > 0) {
        throw new ClusterError(`another running server already uses NODE_ID=${nodeId}`);
      }
      const address = `${hostname.replace(/^\[|\]$/g, '')} ${port}`;
      await commands.set(addressKey(nodeId), address);
      await aliveSub.subscribe(channel, () => undefined);
      renewTimer = setInterval(() => {
        // Written again each time: a Redis restarted without its data would otherwise leave this
        // node without an address, and no other node could pass its rooms' clients on to it.
        commands
          .set(addressKey(nodeId), address)
          .catch((err: unknown) => logger.error({ err }, 'could not write this node’s address'));
        renew().catch((err: unknown) => logger.error({ err }, 'lease renewal failed'));
      }, renewEveryMs);
      renewTimer.unref();
    },
    async claim(sessionId) {
      if (held.has(sessionId)) return;
      let owner: string;
      try {
        owner = await claimOne(sessionId);
      } catch (err) {
        logger.error({ err, sessionId }, 'room lease claim failed');
        throw new AppError('UNAVAILABLE', 'The session cannot be opened right now; try again.');
      }
      if (owner !== nodeId) throw unavailable();
    },
    async release(sessionId) {
      if (!held.delete(sessionId)) return;
      await commands.eval(`if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end`, {
        keys: [ownerKey(sessionId)],
        arguments: [nodeId],
      });
    },
    ownerElsewhere,
    async claimFree(sessionIds) {
      const mine: string[] = [];
      for (const id of sessionIds) {
        if (held.has(id) || (await claimOne(id)) === nodeId) mine.push(id);
      }
      return mine;
    },
    onLeaseLost(fn) {
      lostListeners.push(fn);
    },
    async close() {
      if (renewTimer) clearInterval(renewTimer);
      // Leases are left to expire or to be taken over: a closing node is no longer subscribed
      // as alive, so the others may claim its rooms at once.
      // A client reconnecting to Redis keeps the commands it has queued, and its close() in the
      // meantime stops the reconnection and then waits for their answers for ever: such a
      // client is closed once it is back (a stop while Redis stays away is ended by serve.ts).
      const end = async (client: typeof commands) => {
        if (client.isOpen && !client.isReady) await new Promise((resolve) => client.once('ready', resolve));
        await client.close();
      };
      await Promise.allSettled([end(aliveSub), end(adapterSub)]);
      await end(commands);
    },
  };
}
