/**
 * The server's bounds against hostile and broken clients (README, Operations 4), in a module of
 * their own so that the CLI reads the defaults without loading the server.
 */
export interface Limits {
  /** longest request line accepted (selector, TAB, query) */
  readonly maxRequestBytes: number;
  /** time allowed to send the request line (and, for TLS, to finish the handshake) */
  readonly requestTimeoutMs: number;
  /** time a write may stall (client not reading) before the connection is dropped */
  readonly idleTimeoutMs: number;
  readonly maxConnections: number;
  readonly maxConnectionsPerIp: number;
  /** on close (SIGTERM): how long requests in flight may take to finish */
  readonly shutdownGraceMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxRequestBytes: 4096,
  requestTimeoutMs: 10_000,
  idleTimeoutMs: 60_000,
  maxConnections: 4096,
  maxConnectionsPerIp: 64,
  shutdownGraceMs: 10_000,
};
