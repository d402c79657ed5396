import net, { type Socket } from 'node:net';
import type tls from 'node:tls';
import type { Answer } from '../respond/answer.js';
import { FILE_UNAVAILABLE } from '../respond/open-file.js';
import { ConnectionTable, type Connection, type ConnectionEvents } from './connection-table.js';
import type { AccessLogger } from './access-log.js';
import { lineAtEnd, scanRequestLine } from './request-line.js';
import { isProxyHeader, parseProxyHeader } from './proxy-protocol.js';
import { TrustedProxies } from './trusted-proxies.js';
import { endWith, streamFile } from './write-answer.js';
import { tlsOver } from './tls.js';
import { connectionCapForFds } from './fd-limit.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';

/** On shutdown, how long a connection that has not sent its request line yet may still send it. */
const WAITING_GRACE_MS = 1000;

const HTTP_START = /^(GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH|TRACE|CONNECT) /;
const PER_IP = 'Too many connections from your address; try again later';
/** A TLS record of type handshake: the first byte of every ClientHello. No gopher selector starts with it. */
const TLS_HANDSHAKE = 0x16;

/** The 'error' listener of every socket: one function, not a closure per connection (see connection-table.ts). */
function destroy(this: Socket): void {
  this.destroy();
}

/** Hands a socket whose first bytes are not gopher (HTTP) to another protocol handler, with those bytes. */
export type Handoff = (socket: Socket, head: Buffer) => void;

/** What the server asks of the application: `app.request`, and the words of its own refusals. */
export interface Respond {
  request(line: Buffer): Answer | Promise<Answer>;
  errorBytes(message: string): Buffer;
}

export interface GopherServerOptions {
  readonly log: AccessLogger;
  readonly limits?: Partial<Limits>;
  /** load balancers whose connections start with a PROXY protocol header (`--trusted-proxy`) */
  readonly trustedProxies?: readonly string[];
  /** the certificate for gophers:// on the same port (asked per connection, so a reload takes effect at once) */
  readonly tls?: () => tls.SecureContext | undefined;
  readonly onError?: (message: string) => void;
}

type Proto = 'gopher' | 'gophers';

/**
 * The only module that touches gopher sockets: accept, read one bounded line (after a trusted
 * proxy's PROXY header), hand it to `app.request`, write what comes back, log. A request whose answer
 * is cached is answered synchronously within the socket's data event: no promise, no timer and no
 * parse on the way (see connection-table.ts for the deadlines).
 */
export class GopherServer implements ConnectionEvents {
  readonly server: net.Server;
  private limits!: Limits;
  private trusted: TrustedProxies | undefined;
  private readonly table: ConnectionTable;
  private respond: Respond | undefined;
  private onHttp: Handoff | undefined;
  private lastAcceptError = 0;
  private closing = false;

  constructor(private readonly opts: GopherServerOptions) {
    this.configure({ ...DEFAULT_LIMITS, ...opts.limits }, opts.trustedProxies);
    this.table = new ConnectionTable(this, () => this.limits);
    // allowHalfOpen: a client that sends its selector and then shuts down its side still gets the answer.
    this.server = net.createServer({ noDelay: true, allowHalfOpen: true }, (s) => this.accept(s));
    // listen() failures reach its caller, which reports them once; this logs what happens while serving.
    this.server.on('error', (err: NodeJS.ErrnoException) => this.server.listening && this.acceptError(err));
  }

  /**
   * Limits and trusted proxies, at start and on a reload (SIGHUP); each connection reads them when it
   * starts. The connection cap is lowered to what the open-file limit allows, and that is said.
   */
  configure(limits: Limits, trustedProxies: readonly string[] = []): void {
    const maxConnections = connectionCapForFds(limits.maxConnections);
    if (maxConnections < limits.maxConnections) {
      this.opts.onError?.(`max connections lowered to ${maxConnections} to stay under the open-file limit (ulimit -n)`);
    }
    this.limits = { ...limits, maxConnections };
    this.trusted = trustedProxies.length > 0 ? new TrustedProxies(trustedProxies) : undefined;
  }

  get currentLimits(): Limits {
    return this.limits;
  }

  listen(port: number, host?: string): Promise<net.AddressInfo> {
    return this.listenOn({ port, host, backlog: 1024 });
  }

  /** Listen on an inherited socket (systemd socket activation hands it over as fd 3). */
  listenFd(fd: number): Promise<net.AddressInfo> {
    return this.listenOn({ fd });
  }

  private listenOn(options: net.ListenOptions | { fd: number }): Promise<net.AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(options, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as net.AddressInfo);
      });
    });
  }

  /**
   * Start answering, once the port is known (menus name it). app.ts calls this in the same turn as
   * `listen` resolves, before any connection can be accepted.
   */
  serve(respond: Respond, onHttp: Handoff): void {
    this.respond = respond;
    this.onHttp = onHttp;
  }

  /**
   * Out of file descriptors: libuv closes the waiting connections itself (its reserve-fd trick), so
   * the server lives on; we only say so, once a second at most, instead of once per dropped client.
   */
  private acceptError(err: NodeJS.ErrnoException): void {
    const now = Date.now();
    if (err.code === 'EMFILE' || err.code === 'ENFILE') {
      if (now - this.lastAcceptError < 1000) return;
      this.lastAcceptError = now;
      this.opts.onError?.(`accept: ${err.code} (out of file descriptors): dropping new connections until some close; raise LimitNOFILE or lower --max-connections`);
      return;
    }
    this.opts.onError?.(`server: ${err.message}`);
  }

  /** Stop accepting, let requests in flight finish for up to `graceMs`, then drop the rest. */
  close(graceMs = this.limits.shutdownGraceMs): Promise<void> {
    this.closing = true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.table.destroyAll(), graceMs);
      timer.unref();
      const done = (): void => {
        clearTimeout(timer);
        this.table.close();
        resolve();
      };
      if (this.server.listening) this.server.close(() => this.whenIdle(done));
      else this.whenIdle(done);
      // These have not sent their request yet: a client (or a balancer) that is about to gets a moment,
      // one that sits idle does not hold the shutdown up.
      const drop = setTimeout(() => {
        for (const c of this.table.waiting()) c.socket.destroy();
      }, Math.min(WAITING_GRACE_MS, graceMs));
      drop.unref();
    });
  }

  private whenIdle(done: () => void): void {
    const check = (): void => (this.table.size === 0 ? done() : void setTimeout(check, 20).unref());
    check();
  }

  get connections(): number {
    return this.table.size;
  }

  /** Take a connection: the gopher port's, or one from elsewhere (a socket-activated or TLS-only listener). */
  accept(socket: Socket, proto: Proto = 'gopher'): void {
    if (this.closing || this.respond === undefined) return void socket.destroy();
    const limits = this.limits;
    socket.on('error', destroy);
    const c = this.table.add(socket);
    c.proto = proto;
    // Read now: once the socket is closed its address is gone (and unlogged, it is never read).
    const peer = this.trusted !== undefined || this.opts.log.enabled?.() !== false ? socket.remoteAddress : undefined;
    c.client = peer;
    c.viaProxy = this.trusted?.has(peer) === true;
    if (this.table.size > limits.maxConnections) return this.refuse(c, 'Server busy; try again later', 'busy');
    // A proxy's connections count under the client its header names, once it came.
    if (!c.viaProxy && !this.table.admit(c, peer, limits.maxConnectionsPerIp)) this.refuse(c, PER_IP, 'busy');
  }

  received(c: Connection, chunk: Buffer): void {
    let head = c.head === undefined ? chunk : Buffer.concat([c.head, chunk]);
    if (c.viaProxy) {
      const h = parseProxyHeader(head);
      if (h.kind === 'incomplete') return void (c.head = head);
      if (h.kind === 'invalid') return this.refuse(c, `Bad request: ${h.reason}`, 'bad-request');
      c.viaProxy = false;
      // No client named (a health check, an UNKNOWN line): the proxy's own connection.
      if (h.client !== undefined) c.client = h.client.address;
      if (!this.table.admit(c, c.client, this.limits.maxConnectionsPerIp)) return this.refuse(c, PER_IP, 'busy');
      head = head.subarray(h.length);
      if (head.length === 0) return void (c.head = undefined);
    }
    c.head = head;
    if (this.sniffed(c, head)) return;
    const line = scanRequestLine(head, this.limits.maxRequestBytes);
    if (line === undefined) return;
    if (line === 'too-long') return this.refuse(c, 'Request too long', 'too-long', head.toString('latin1', 0, 64));
    c.head = undefined;
    this.answerLine(c, line, head);
  }

  ended(c: Connection): void {
    const line = c.viaProxy ? undefined : lineAtEnd(c.head, this.limits.maxRequestBytes);
    if (line === undefined) return void c.stream.destroy();
    c.head = undefined;
    this.answerLine(c, line, line);
  }

  expired(c: Connection): void {
    if (c.phase === 'waiting') this.refuse(c, 'Request timed out', 'timeout', (c.head ?? Buffer.alloc(0)).toString('latin1', 0, 64));
    else c.socket.destroy();
  }

  closed(c: Connection): void {
    if (c.status === undefined || this.opts.log.enabled?.() === false) return;
    const bytes = Math.min(c.stream.bytesWritten, c.size);
    const status = c.status === 'ok' && bytes < c.size ? 'reset' : c.status;
    this.opts.log({ client: c.client ?? '?', proto: c.proto, selector: c.selector, itemType: c.itemType, bytes, ms: performance.now() - c.started, status });
  }

  /**
   * The first bytes of a connection (after a proxy's header) that no gopher selector starts with:
   * TLS (0x16) goes on as gophers://, an HTTP method (sniffed only after a capital) to the web view.
   */
  private sniffed(c: Connection, head: Buffer): boolean {
    const b = head[0]!;
    if (b === TLS_HANDSHAKE && c.proto === 'gopher') {
      this.table.release(c.stream);
      const context = this.opts.tls?.();
      // A TLS client cannot read a plain-text gopher error: just close.
      if (!context) return this.fail(c, 'no-tls'), true;
      c.head = undefined;
      // The request timeout keeps counting from accept: handshake and request line share it.
      this.table.read(c, tlsOver(c.socket, head, context), 'gophers');
      return true;
    }
    if (b < 0x41 || b > 0x5a || head.length < 4 || !HTTP_START.test(head.toString('latin1', 0, 8))) return false;
    // The web view logs the request itself, under the client's address (clientOf).
    c.enter('busy');
    c.head = undefined;
    this.table.release(c.stream);
    c.stream.removeListener('error', destroy);
    this.onHttp!(c.stream, head);
    return true;
  }

  private answerLine(c: Connection, line: Buffer, head: Buffer): void {
    // RFC 1436 leaves a proxy's header nothing to mean; from a peer not trusted to send one, it is a lie.
    if (isProxyHeader(head)) return this.refuse(c, 'Bad request: a PROXY protocol header from an address not in --trusted-proxy', 'bad-request', line.toString('latin1', 0, 64));
    c.enter('busy');
    const answer = this.respond!.request(line);
    if (answer instanceof Promise) answer.then((a) => this.write(c, a), (err: unknown) => this.internalError(c, err));
    else this.write(c, answer);
  }

  private write(c: Connection, a: Answer): void {
    const socket = c.stream;
    c.selector = a.selector;
    c.itemType = a.itemType;
    if (a.kind === 'file') return this.stream(c, a);
    c.size = a.bytes.length;
    c.status = a.status;
    // Gone while its answer was rendered: logged now (as reset), or by the close still on its way.
    if (!c.open) return this.closed(c);
    if (socket.destroyed) return;
    if (endWith(socket, a.bytes, this.limits.idleTimeoutMs, () => c.enter('answered'))) return c.enter('answered');
    // A buffer shared with the small-file cache stays counted there until the slow client has it.
    if (a.hold !== undefined) socket.once('close', a.hold());
  }

  /** A file from disk, with backpressure; one that changed since it was indexed is refused, never mixed. */
  private stream(c: Connection, a: Extract<Answer, { kind: 'file' }>): void {
    streamFile(c.stream, a, this.limits.idleTimeoutMs, this.respond!.errorBytes(FILE_UNAVAILABLE)).then(
      (r) => {
        if (r.status === 'unavailable') c.itemType = '3';
        c.size = r.bytes;
        c.status = r.status;
        // The socket has closed by now: log here, with the transfer's own status.
        this.closed(c);
      },
      (err: unknown) => this.internalError(c, err),
    );
  }

  /** A refusal of the server's own: one type-3 line, and the client gets a second to read it. */
  private refuse(c: Connection, message: string, status: string, selector = ''): void {
    const bytes = this.respond!.errorBytes(message);
    c.selector = selector;
    c.itemType = '3';
    c.size = bytes.length;
    c.status = status;
    c.head = undefined;
    c.enter('refused');
    if (!c.stream.destroyed) c.stream.end(bytes);
  }

  /** Close without a word (a TLS client the server has no certificate for), logged as `status`. */
  private fail(c: Connection, status: string): void {
    c.status = status;
    c.socket.destroy();
  }

  private internalError(c: Connection, err: unknown): void {
    this.opts.onError?.(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    if (!c.stream.destroyed) c.stream.end(this.respond!.errorBytes('Internal server error'));
  }
}
