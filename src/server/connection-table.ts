import type { Socket } from 'node:net';
import type { LineReader } from './read-line.js';

/**
 * Where a connection is: waiting for its request line, being answered (`busy`: routing, or a large
 * answer or file still being written), answered (every byte handed to the kernel, waiting for the
 * client's FIN), or refused (a busy, timeout or too-long line sent: closed a second later).
 */
export type Phase = 'waiting' | 'busy' | 'answered' | 'refused';

export interface Deadlines {
  /** time to send the request line (and, for TLS, to finish the handshake), from accept */
  readonly requestTimeoutMs: number;
  /** time an answered client may take to read the answer and close */
  readonly idleTimeoutMs: number;
}

/** How long a refused client may take to read its one-line refusal. */
const REFUSED_MS = 1000;

/** The connection of a socket (the accepted one, or the TLS socket over it): the shared listeners find it here. */
const kConnection = Symbol('gopherpress.connection');
type Tagged = Socket & { [kConnection]?: Connection };

export function connectionOf(socket: Socket): Connection | undefined {
  return (socket as Tagged)[kConnection];
}

/**
 * One accepted connection. Its listeners are functions shared by all sockets, which find their
 * connection through the socket: no closure per connection, which matters because Node keeps a
 * closed socket (and whatever hangs on it) alive until the next full collection.
 */
export class Connection {
  phase: Phase = 'waiting';
  /** performance.now() when the phase began */
  since: number;
  /** the peer's address, read only while addresses are counted (see ConnectionTable) */
  ip: string | undefined;
  /** the peer's address for the access log, read at accept when something is logged */
  client: string | undefined;
  /** what the request line is read from: the socket, or the TLS socket over it */
  stream: Socket;
  proto: 'gopher' | 'gophers' = 'gopher';
  /** while the request line is being read (read-line.ts): who gets it, and its bytes so far */
  reader: LineReader | undefined;
  head: Buffer | undefined;

  constructor(
    readonly table: ConnectionTable,
    readonly socket: Socket,
    /** performance.now() at accept */
    readonly started: number,
  ) {
    this.since = started;
    this.stream = socket;
    (socket as Tagged)[kConnection] = this;
  }

  /** Read the request from `stream` (a TLS socket over the accepted one). */
  readFrom(stream: Socket, proto: 'gopher' | 'gophers'): void {
    this.stream = stream;
    this.proto = proto;
    (stream as Tagged)[kConnection] = this;
  }

  enter(phase: Phase, now = performance.now()): void {
    this.phase = phase;
    this.since = now;
  }
}

function onClose(this: Socket): void {
  const c = connectionOf(this);
  c?.table.remove(c);
}

/**
 * Every open connection, the per-address count, and their deadlines. One sweep four times a second
 * enforces every deadline, instead of a timer armed and cleared per connection: at tens of thousands
 * of requests a second, timers were a tenth of the server's CPU. A deadline may pass up to one sweep late.
 *
 * Addresses are counted only while the server holds at least `maxPerIp` connections: below that no
 * address can be over the cap, and reading every peer's address costs a system call per connection.
 */
export class ConnectionTable {
  private readonly all = new Set<Connection>();
  private perIp: Map<string, number> | undefined;
  /** the per-address cap last asked for: counting stops again below half of it */
  private countFrom = Infinity;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly deadlines: () => Deadlines,
    /** an answered client that neither reads nor closes in time */
    private readonly onIdle: (c: Connection) => void,
    /** a client that has not sent its request line in time */
    private readonly onRequestTimeout: (c: Connection) => void,
    sweepMs = 250,
  ) {
    this.sweeper = setInterval(() => this.sweep(performance.now()), sweepMs);
    this.sweeper.unref();
  }

  get size(): number {
    return this.all.size;
  }

  /**
   * Admit a socket. It stays in the table until it closes, refused or not, so a client that opens
   * connections faster than it reads its refusals still counts against the caps.
   */
  add(socket: Socket, maxTotal: number, maxPerIp: number): { conn: Connection; over?: 'total' | 'per-ip' } {
    const conn = new Connection(this, socket, performance.now());
    this.countFrom = maxPerIp;
    if (this.perIp === undefined && this.all.size >= maxPerIp) this.countAddresses();
    this.all.add(conn);
    socket.on('close', onClose);
    let sameIp = 0;
    if (this.perIp !== undefined) {
      const ip = (conn.ip = socket.remoteAddress ?? '?');
      sameIp = (this.perIp.get(ip) ?? 0) + 1;
      this.perIp.set(ip, sameIp);
    }
    if (this.all.size > maxTotal) return { conn, over: 'total' };
    if (sameIp > maxPerIp) return { conn, over: 'per-ip' };
    return { conn };
  }

  private countAddresses(): void {
    const perIp = new Map<string, number>();
    for (const c of this.all) {
      const ip = (c.ip = c.socket.remoteAddress ?? '?');
      perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
    }
    this.perIp = perIp;
  }

  remove(conn: Connection): void {
    if (!this.all.delete(conn)) return;
    const perIp = this.perIp;
    if (perIp === undefined || conn.ip === undefined) return;
    const left = (perIp.get(conn.ip) ?? 1) - 1;
    if (left <= 0) perIp.delete(conn.ip);
    else perIp.set(conn.ip, left);
    // The crowd is gone: stop counting (the next one counts afresh).
    if (this.all.size < this.countFrom / 2) this.perIp = undefined;
  }

  /** Connections still waiting for their request line (a shutdown drops these first). */
  waiting(): Connection[] {
    return [...this.all].filter((c) => c.phase === 'waiting');
  }

  destroyAll(): void {
    for (const c of this.all) c.socket.destroy();
  }

  private sweep(now: number): void {
    const { requestTimeoutMs, idleTimeoutMs } = this.deadlines();
    for (const c of this.all) {
      const age = now - c.since;
      if (c.phase === 'waiting' && age >= requestTimeoutMs) this.onRequestTimeout(c);
      else if (c.phase === 'answered' && age >= idleTimeoutMs) this.onIdle(c);
      else if (c.phase === 'refused' && age >= REFUSED_MS) c.socket.destroy();
    }
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
