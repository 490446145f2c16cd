// No runtime import of cluster.ts here: a single node must not load the Redis client
// (main.ts imports it only when REDIS_URL is set).
export type { Cluster, RemoteOwner } from './cluster';
export { ClusterError } from './errors';
export { LeasedRoomRegistry } from './leased-registry';
export { type PassedAnswer, passToRoomOwner } from './pass-rest';
export { installRelay, RELAY_HEADER, roomOfUpgrade } from './relay';
