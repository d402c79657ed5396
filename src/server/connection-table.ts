import type { Socket } from 'node:net';

/**
 * Where a connection is: waiting for its request line (and, from a trusted proxy, the PROXY header
 * before it), being answered (`busy`: routing, or a large answer or file still being written),
 * answered (every byte handed to the kernel, waiting for the client's FIN), or refused (a busy,
 * timeout, too-long or bad-request line sent: closed a second later). Only server.ts changes it.
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

/** What the table tells its server: the only calls from here up. */
export interface ConnectionEvents {
  /** bytes from a connection still waiting for its request */
  received(c: Connection, chunk: Buffer): void;
  /** the client half-closed while its request was still incomplete */
  ended(c: Connection): void;
  /** the connection's phase outlived its deadline */
  expired(c: Connection): void;
  /** the socket closed; the connection has left the table */
  closed(c: Connection): void;
}

/** The connection of a socket (the accepted one, or the TLS socket over it): the shared listeners find it here. */
const kConnection = Symbol('gopherpress.connection');
type Tagged = Socket & { [kConnection]?: Connection };

export function connectionOf(socket: Socket): Connection | undefined {
  return (socket as Tagged)[kConnection];
}

/** The client's address as the gopher port saw it (from a PROXY header where one came): for the web view's log. */
export function clientOf(socket: Socket): string | undefined {
  return connectionOf(socket)?.client;
}

/**
 * One accepted connection, and what its access log line will say. Its listeners are functions shared
 * by all sockets, which find their connection through the socket: no closure per connection, which
 * matters because Node keeps a closed socket (and whatever hangs on it) alive until the next full collection.
 */
export class Connection {
  phase: Phase = 'waiting';
  /** false once the socket has closed (and the connection left the table) */
  open = true;
  /** performance.now() when the phase began */
  since: number;
  /** the address counted against the per-address cap (the PROXY header's client, behind a trusted proxy) */
  ip: string | undefined;
  /** the client's address for the log: the peer's, or the one a trusted proxy's header names */
  client: string | undefined;
  /** a trusted proxy's connection whose PROXY header has not been read yet */
  viaProxy = false;
  /** what the request line is read from: the socket, or the TLS socket over it */
  stream: Socket;
  proto: 'gopher' | 'gophers' = 'gopher';
  /** the bytes of the request received so far */
  head: Buffer | undefined;
  /** the log line's fields, set when an answer or refusal is written; logged when the socket closes */
  selector = '';
  itemType = '-';
  size = 0;
  status: string | undefined;

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

  enter(phase: Phase, now = performance.now()): void {
    this.phase = phase;
    this.since = now;
  }
}

function onData(this: Socket, chunk: Buffer): void {
  const c = connectionOf(this);
  // After the request line the socket keeps flowing in here: whatever follows is discarded (RFC 1436
  // leaves it unused) and the client's FIN is read (a paused socket would linger half-closed).
  if (c?.phase === 'waiting') c.table.events.received(c, chunk);
}

function onEnd(this: Socket): void {
  const c = connectionOf(this);
  if (c?.phase === 'waiting') c.table.events.ended(c);
}

function onClose(this: Socket): void {
  const c = connectionOf(this);
  if (c === undefined || !c.table.remove(c)) return;
  c.open = false;
  c.table.events.closed(c);
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
    readonly events: ConnectionEvents,
    private readonly deadlines: () => Deadlines,
    sweepMs = 250,
  ) {
    this.sweeper = setInterval(() => this.sweep(performance.now()), sweepMs);
    this.sweeper.unref();
  }

  get size(): number {
    return this.all.size;
  }

  /**
   * Take a socket in. It stays in the table until it closes, refused or not, so a client that opens
   * connections faster than it reads its refusals still counts against the caps.
   */
  add(socket: Socket): Connection {
    const c = new Connection(this, socket, performance.now());
    this.all.add(c);
    socket.on('close', onClose);
    this.read(c, socket);
    return c;
  }

  /** Read the request from `stream` (the accepted socket, or a TLS socket over it). */
  read(c: Connection, stream: Socket, proto: 'gopher' | 'gophers' = c.proto): void {
    c.stream = stream;
    c.proto = proto;
    (stream as Tagged)[kConnection] = c;
    stream.on('data', onData);
    stream.on('end', onEnd);
  }

  /** Stop reading `stream`: it is handed on (to TLS, or to the web view) with what was read put back. */
  release(stream: Socket): void {
    stream.pause();
    stream.off('data', onData);
    stream.off('end', onEnd);
  }

  /**
   * Count the connection under its address (`ip`, or the socket's peer); false if that address now
   * holds more than `maxPerIp`. A trusted proxy's connection is counted once its header names the client.
   */
  admit(c: Connection, ip: string | undefined, maxPerIp: number): boolean {
    this.countFrom = maxPerIp;
    if (ip !== undefined) c.ip = ip;
    if (this.perIp === undefined) {
      if (this.all.size < maxPerIp) return true;
      this.countAddresses();
      return (this.perIp!.get(c.ip!) ?? 0) <= maxPerIp;
    }
    const addr = (c.ip ??= c.socket.remoteAddress ?? '?');
    const n = (this.perIp.get(addr) ?? 0) + 1;
    this.perIp.set(addr, n);
    return n <= maxPerIp;
  }

  private countAddresses(): void {
    const perIp = new Map<string, number>();
    for (const c of this.all) {
      // Behind a proxy the address is the header's, and unknown until it came.
      if (c.ip === undefined && c.viaProxy) continue;
      const ip = (c.ip ??= c.socket.remoteAddress ?? '?');
      perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
    }
    this.perIp = perIp;
  }

  /** False if it was gone already. */
  remove(c: Connection): boolean {
    if (!this.all.delete(c)) return false;
    const perIp = this.perIp;
    if (perIp === undefined || c.ip === undefined) return true;
    const left = (perIp.get(c.ip) ?? 1) - 1;
    if (left <= 0) perIp.delete(c.ip);
    else perIp.set(c.ip, left);
    // The crowd is gone: stop counting (the next one counts afresh).
    if (this.all.size < this.countFrom / 2) this.perIp = undefined;
    return true;
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
      const limit = c.phase === 'waiting' ? requestTimeoutMs : c.phase === 'answered' ? idleTimeoutMs : c.phase === 'refused' ? REFUSED_MS : Infinity;
      if (now - c.since >= limit) this.events.expired(c);
    }
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
