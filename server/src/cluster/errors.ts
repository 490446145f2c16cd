/** The cluster cannot start: Redis unreachable, or this node's id already taken. */
export class ClusterError extends Error {}
