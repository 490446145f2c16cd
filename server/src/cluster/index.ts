export { type Cluster, ClusterError, createCluster, type RemoteOwner } from './cluster';
export { LeasedRoomRegistry } from './leased-registry';
export { installRelay, RELAY_HEADER, roomOfUpgrade } from './relay';
