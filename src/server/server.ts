import net, { type Socket } from 'node:net';
import tls from 'node:tls';
import { parseRequest } from '../protocol/request.js';
import { encodeText } from '../charset/encode.js';
import { renderError } from '../protocol/encode-menu.js';
import type { Answer, Responder } from '../respond.js';
import { readLine, timeOutLine, type LineReader, type LineResult } from './read-line.js';
import { ConnectionTable, type Connection } from './connection-table.js';
import type { AccessLogger, AccessRecord } from './access-log.js';
import { httpFallback } from './http-fallback.js';
import { streamFile, writeBytes } from './write-answer.js';
import { HotFiles, type HotFile } from './hot-files.js';
import { tlsOver } from './tls.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';

/** On shutdown, how long a connection that has not sent its request line yet may still send it. */
const WAITING_GRACE_MS = 1000;

const HTTP_START = /^(GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH|TRACE|CONNECT) /;
/** A TLS record of type handshake: the first byte of every ClientHello. No gopher selector starts with it. */
const TLS_HANDSHAKE = 0x16;

/** The 'error' listener of every socket: one function, not a closure per connection (see connection-table.ts). */
function destroy(this: Socket): void {
  this.destroy();
}

/** Hands a socket whose first bytes are not gopher (HTTP, TLS) to another protocol handler. */
export type Handoff = (socket: Socket, head: Buffer) => void;

export interface GopherServerOptions {
  readonly responder: Responder;
  readonly log: AccessLogger;
  readonly limits?: Partial<Limits>;
  /** HTTP on the gopher port; without it, a small page saying this is a gopher server (http-fallback.ts) */
  readonly onHttp?: Handoff;
  /** the certificate for gophers:// on the same port (asked per connection, so a reload takes effect at once) */
  readonly tls?: () => tls.SecureContext | undefined;
  readonly onError?: (message: string) => void;
  /** bytes for small files kept in memory (hot-files.ts); each of n workers gets 1/n of the default */
  readonly hotFilesBudget?: number;
}

type Proto = 'gopher' | 'gophers';

/**
 * The only module that touches gopher sockets: read one bounded line, answer, close.
 * Every connection has exactly one catch, so a bug becomes a type-3 line, never a crash or a stack trace.
 * A request whose answer is cached is answered synchronously within the socket's data event: no
 * promise, no timer and no parse on the way (see connection-table.ts for the deadlines).
 */
export class GopherServer {
  readonly server: net.Server;
  /** replaced whole on a config reload (SIGHUP); each connection reads it when it starts */
  limits: Limits;
  private readonly table: ConnectionTable;
  private readonly lines: LineReader;
  private readonly onHttp: Handoff;
  /** small files kept in memory (hot-files.ts) */
  private readonly hot: HotFiles;
  private lastAcceptError = 0;
  private closing = false;

  constructor(private readonly opts: GopherServerOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.onHttp = opts.onHttp ?? httpFallback(opts.responder.origin);
    this.hot = new HotFiles(undefined, opts.hotFilesBudget);
    // An answered client that neither reads nor closes in time is dropped.
    this.table = new ConnectionTable(() => this.limits, (c) => c.socket.destroy(), timeOutLine);
    const limits = (): Limits => this.limits;
    this.lines = {
      get maxBytes() {
        return limits().maxRequestBytes;
      },
      divert: (conn, head) => this.diverted(head, conn.proto),
      done: (conn, got) => {
        try {
          this.answerLine(conn, conn.stream, conn.proto, got);
        } catch (err) {
          this.internalError(conn.stream, err);
        }
      },
    };
    // allowHalfOpen: a client that sends its selector and then shuts down its side still gets the answer.
    this.server = net.createServer({ noDelay: true, allowHalfOpen: true }, (s) => this.accept(s));
    // listen() failures reach its caller, which reports them once; this logs what happens while serving.
    this.server.on('error', (err: NodeJS.ErrnoException) => this.server.listening && this.acceptError(err));
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

  /** Handle a socket that came from elsewhere (a socket-activated or TLS listener). */
  accept(socket: Socket, proto: Proto = 'gopher'): void {
    if (this.closing) return void socket.destroy();
    const limits = this.limits;
    const { conn, over } = this.table.add(socket, limits.maxConnections, limits.maxConnectionsPerIp);
    socket.on('error', destroy);
    // Read now: once the socket is closed its address is gone (and unlogged, it is never read).
    if (this.opts.log.enabled?.() !== false) conn.client = conn.ip ?? socket.remoteAddress;
    if (over !== undefined) {
      const bytes = this.errorBytes(over === 'total' ? 'Server busy; try again later' : 'Too many connections from your address; try again later');
      conn.enter('refused');
      socket.end(bytes);
      socket.resume(); // read the client's FIN, so the socket closes and stops counting
      this.log(conn, proto, { selector: '', itemType: '3', bytes: bytes.length, status: 'busy' });
      return;
    }
    this.read(conn, socket, proto);
  }

  /** Read the request line from `socket` (the accepted one, or the TLS layer over it) and answer it. */
  private read(conn: Connection, socket: Socket, proto: Proto): void {
    conn.readFrom(socket, proto);
    readLine(conn, this.lines);
  }

  /** A first byte that no gopher selector starts with: TLS (0x16), or an HTTP method (sniffed only after a capital). */
  private diverted(head: Buffer, proto: Proto): boolean {
    const b = head[0]!;
    if (b === TLS_HANDSHAKE) return proto === 'gopher';
    return b >= 0x41 && b <= 0x5a && head.length >= 4 && HTTP_START.test(head.toString('latin1', 0, 8));
  }

  private answerLine(conn: Connection, socket: Socket, proto: Proto, got: LineResult): void {
    if (got.kind === 'closed') return void socket.destroy();
    conn.enter('busy');
    if (got.kind === 'timeout' || got.kind === 'too-long') {
      const bytes = this.errorBytes(got.kind === 'timeout' ? 'Request timed out' : 'Request too long');
      writeBytes(conn, socket, this.limits.idleTimeoutMs, bytes);
      conn.enter('refused'); // a client this slow or this long-winded gets a second to read it, not the idle timeout
      return this.log(conn, proto, { selector: got.head.toString('latin1', 0, 64), itemType: '3', bytes: bytes.length, status: got.kind });
    }
    const head = got.head;
    if (got.line.length === 0 && this.diverted(head, proto)) {
      if (head[0] === TLS_HANDSHAKE) {
        const tlsContext = this.opts.tls?.();
        if (!tlsContext) {
          // A TLS client cannot read a plain-text gopher error: just close.
          socket.destroy();
          return this.log(conn, proto, { selector: '', itemType: '-', bytes: 0, status: 'no-tls' });
        }
        // The request timeout keeps counting from accept: handshake and request line share it.
        conn.enter('waiting', conn.since);
        return this.read(conn, tlsOver(socket, head, tlsContext), 'gophers');
      }
      this.log(conn, 'http', { selector: head.subarray(0, Math.max(0, head.indexOf(0x0a))).toString('latin1').trim(), itemType: '-', bytes: 0, status: 'http' });
      socket.removeAllListeners('error');
      return this.onHttp(socket, head);
    }
    const key = got.line.toString('latin1');
    const hit = this.opts.responder.cached(key);
    if (hit !== undefined) return this.answer(conn, socket, proto, key, hit);
    const req = parseRequest(got.line);
    this.opts.responder.respond(req, key).then(
      (answer) => this.answer(conn, socket, proto, req.selector, answer),
      (err: unknown) => this.internalError(socket, err),
    );
  }

  /** `selector` is for the log: the parsed one, or the raw line for a cached answer. */
  private answer(conn: Connection, socket: Socket, proto: Proto, selector: string, answer: Answer): void {
    const itemType = answer.itemType ?? '';
    if (answer.kind === 'bytes') {
      this.logWhenClosed(conn, socket, proto, { selector, itemType, bytes: answer.bytes.length, status: answer.status });
      return writeBytes(conn, socket, this.limits.idleTimeoutMs, answer.bytes);
    }
    if (answer.size <= this.hot.maxFile) {
      const hot = this.hot.get(answer.path, answer.size, answer.mtimeMs);
      if (hot !== undefined) return this.writeHot(conn, socket, proto, selector, itemType, hot);
      this.hot.load(answer.path, answer.size, answer.mtimeMs).then(
        (f) => (f !== undefined ? this.writeHot(conn, socket, proto, selector, itemType, f) : this.stream(conn, socket, proto, selector, itemType, answer)),
        (err: unknown) => this.internalError(socket, err),
      );
      return;
    }
    this.stream(conn, socket, proto, selector, itemType, answer);
  }

  /** A small file from memory, written like a rendered answer; its buffer stays pinned while a slow client holds it. */
  private writeHot(conn: Connection, socket: Socket, proto: Proto, selector: string, itemType: string, f: HotFile): void {
    if (socket.destroyed) return;
    this.logWhenClosed(conn, socket, proto, { selector, itemType, bytes: f.size, status: 'ok' });
    writeBytes(conn, socket, this.limits.idleTimeoutMs, f.bytes);
    if (socket.writableLength === 0) return;
    this.hot.pin(f);
    socket.once('close', () => this.hot.unpin(f));
  }

  /** A file from disk, with backpressure; one that changed since it was indexed is refused, never mixed. */
  private stream(conn: Connection, socket: Socket, proto: Proto, selector: string, itemType: string, answer: Extract<Answer, { kind: 'file' }>): void {
    streamFile(socket, answer, this.limits.idleTimeoutMs, () => this.errorBytes('File is being updated or unreadable; try again in a moment')).then(
      (r) => this.log(conn, proto, { selector, itemType: r.status === 'unavailable' ? '3' : itemType, bytes: r.bytes, status: r.status }),
      (err: unknown) => this.internalError(socket, err),
    );
  }

  private internalError(socket: Socket, err: unknown): void {
    this.opts.onError?.(`internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    if (!socket.destroyed) socket.end(this.errorBytes('Internal server error'));
  }

  private errorBytes(message: string): Buffer {
    const r = this.opts.responder;
    return encodeText(renderError(message, r.origin), r.charset);
  }

  private log(conn: Connection, proto: AccessRecord['proto'], r: Pick<AccessRecord, 'selector' | 'itemType' | 'bytes' | 'status'>): void {
    const log = this.opts.log;
    if (log.enabled?.() === false) return;
    log({ client: conn.client ?? '?', proto, ms: performance.now() - conn.started, ...r });
  }

  /** Log an answer written in one piece once the client has it all, or was reset before. */
  private logWhenClosed(conn: Connection, socket: Socket, proto: Proto, r: Pick<AccessRecord, 'selector' | 'itemType' | 'bytes' | 'status'>): void {
    if (this.opts.log.enabled?.() === false) return;
    const client = conn.client ?? '?';
    socket.once('close', () => {
      const bytes = Math.min(socket.bytesWritten, r.bytes);
      const status = r.status === 'ok' && bytes < r.bytes ? 'reset' : r.status;
      this.opts.log({ client, proto, ms: performance.now() - conn.started, ...r, bytes, status });
    });
  }
}
