import net, { type Socket } from 'node:net';
import tls from 'node:tls';
import { parseRequest } from '../protocol/request.js';
import { encodeText } from '../charset/encode.js';
import { renderError } from '../protocol/encode-menu.js';
import type { Answer, Responder } from '../respond.js';
import { readLine } from './read-line.js';
import type { AccessLogger, AccessRecord } from './access-log.js';
import { httpFallback } from './http-fallback.js';
import { sendFile } from './send-file.js';

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

/** On shutdown, how long a connection that has not sent its request line yet may still send it. */
const WAITING_GRACE_MS = 1000;

const HTTP_START = /^(GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH|TRACE|CONNECT) /;
/** A TLS record of type handshake: the first byte of every ClientHello. No gopher selector starts with it. */
const TLS_HANDSHAKE = 0x16;

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
}

type Proto = 'gopher' | 'gophers';

/**
 * The only module that touches gopher sockets: read one bounded line, answer, close.
 * Every connection has exactly one catch, so a bug becomes a type-3 line, never a crash or a stack trace.
 */
export class GopherServer {
  readonly server: net.Server;
  /** replaced whole on a config reload (SIGHUP); each connection reads it when it starts */
  limits: Limits;
  private readonly perIp = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  /** connections still waiting for their request line: a shutdown drops these at once */
  private readonly waiting = new Set<Socket>();
  private readonly onHttp: Handoff;
  private lastAcceptError = 0;
  private closing = false;

  constructor(private readonly opts: GopherServerOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.onHttp = opts.onHttp ?? httpFallback(opts.responder.origin);
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
      const timer = setTimeout(() => {
        for (const s of this.sockets) s.destroy();
      }, graceMs);
      timer.unref();
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      if (this.server.listening) this.server.close(done);
      else if (this.sockets.size === 0) done();
      else this.whenIdle(done);
      // These have not sent their request yet: a client (or a balancer) that is about to gets a moment,
      // one that sits idle does not hold the shutdown up.
      const drop = setTimeout(() => {
        for (const s of this.waiting) s.destroy();
      }, Math.min(WAITING_GRACE_MS, graceMs));
      drop.unref();
    });
  }

  private whenIdle(done: () => void): void {
    const check = (): void => (this.sockets.size === 0 ? done() : void setTimeout(check, 20).unref());
    check();
  }

  get connections(): number {
    return this.sockets.size;
  }

  /** Handle a socket that came from elsewhere (a socket-activated or TLS listener). */
  accept(socket: Socket, proto: Proto = 'gopher'): void {
    const ip = socket.remoteAddress ?? '?';
    const n = (this.perIp.get(ip) ?? 0) + 1;
    this.perIp.set(ip, n);
    this.sockets.add(socket);
    socket.once('close', () => {
      this.sockets.delete(socket);
      this.waiting.delete(socket);
      const left = (this.perIp.get(ip) ?? 1) - 1;
      if (left <= 0) this.perIp.delete(ip);
      else this.perIp.set(ip, left);
    });
    socket.on('error', () => socket.destroy());
    const refuse = (message: string, status: string): void => {
      const bytes = this.errorBytes(message);
      socket.end(bytes);
      socket.resume(); // read the client's FIN, so the socket closes and stops counting (see send)
      // Don't wait for a client that never reads its refusal: the cap is there to save sockets.
      setTimeout(() => socket.destroy(), 1000).unref();
      this.opts.log({ client: ip, proto, selector: '', itemType: '3', bytes: bytes.length, ms: 0, status });
    };
    if (this.closing) return void socket.destroy();
    if (this.sockets.size > this.limits.maxConnections) return refuse('Server busy; try again later', 'busy');
    if (n > this.limits.maxConnectionsPerIp) return refuse('Too many connections from your address; try again later', 'busy');
    this.handle(socket, ip, proto).catch((err: unknown) => {
      this.opts.onError?.(`internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      if (!socket.destroyed) socket.end(this.errorBytes('Internal server error'));
    });
  }

  private errorBytes(message: string): Buffer {
    const r = this.opts.responder;
    return encodeText(renderError(message, r.origin), r.charset);
  }

  private async handle(socket: Socket, client: string, proto: Proto): Promise<void> {
    const started = performance.now();
    const limits = this.limits;
    const tlsContext = proto === 'gopher' ? this.opts.tls?.() : undefined;
    const sniff = (head: Buffer): boolean =>
      (proto === 'gopher' && head[0] === TLS_HANDSHAKE) || (head.length >= 4 && HTTP_START.test(head.subarray(0, 8).toString('latin1')));
    this.waiting.add(socket);
    const got = await readLine(socket, limits.maxRequestBytes, limits.requestTimeoutMs, sniff);
    this.waiting.delete(socket);
    const log = (r: Pick<AccessRecord, 'selector' | 'itemType' | 'bytes' | 'status'>, p: AccessRecord['proto'] = proto): void =>
      this.opts.log({ client, proto: p, ms: performance.now() - started, ...r });
    if (got.kind === 'closed') return void socket.destroy();
    if (got.kind === 'timeout' || got.kind === 'too-long') {
      const bytes = this.errorBytes(got.kind === 'timeout' ? 'Request timed out' : 'Request too long');
      socket.end(bytes);
      setTimeout(() => socket.destroy(), 1000).unref();
      return log({ selector: got.head.subarray(0, 64).toString('latin1'), itemType: '3', bytes: bytes.length, status: got.kind });
    }
    if (proto === 'gopher' && got.head[0] === TLS_HANDSHAKE) {
      if (!tlsContext) {
        // A TLS client cannot read a plain-text gopher error: just close.
        socket.destroy();
        return log({ selector: '', itemType: '-', bytes: 0, status: 'no-tls' });
      }
      return this.handle(this.wrapTls(socket, got.head, tlsContext), client, 'gophers');
    }
    if (sniff(got.head)) {
      log({ selector: got.head.subarray(0, Math.max(0, got.head.indexOf(0x0a))).toString('latin1').trim(), itemType: '-', bytes: 0, status: 'http' }, 'http');
      socket.removeAllListeners('error');
      return this.onHttp(socket, got.head);
    }
    const req = parseRequest(got.line);
    const answer = await this.opts.responder.respond(req);
    const { bytes, status } = await this.send(socket, answer);
    const itemType = status === 'unavailable' ? '3' : answer.itemType ?? '';
    log({ selector: req.selector, itemType, bytes, status });
  }

  /** Server side of TLS over the accepted socket; the ClientHello already read is handed back first. */
  private wrapTls(socket: Socket, head: Buffer, secureContext: tls.SecureContext): Socket {
    socket.unshift(head);
    const t = new tls.TLSSocket(socket, { isServer: true, secureContext });
    t.on('error', () => {
      t.destroy();
      socket.destroy();
    });
    t.once('close', () => socket.destroy());
    return t;
  }

  /**
   * Write the answer and close. A write that stalls for `idleTimeoutMs` (a client that reads nothing)
   * drops the connection. Resolves with the bytes handed to the socket and a status for the log.
   */
  private send(socket: Socket, answer: Answer): Promise<{ bytes: number; status: string }> {
    return new Promise((resolve) => {
      if (socket.destroyed) return resolve({ bytes: 0, status: 'reset' });
      let status: string = answer.kind === 'bytes' ? answer.status : 'ok';
      const expected = answer.kind === 'bytes' ? answer.bytes.length : answer.size;
      socket.setTimeout(this.limits.idleTimeoutMs, () => {
        status = 'idle-timeout';
        socket.destroy();
      });
      socket.once('close', () => {
        const bytes = socket.bytesWritten;
        if (status === 'ok' && bytes < expected) status = 'reset';
        resolve({ bytes, status });
      });
      // readLine paused the socket; a paused socket never reads the client's FIN, so after our end()
      // it would linger half-closed until the idle timeout (4096 of them stall the server under load).
      // Reading on discards anything after the request line, which RFC 1436 leaves unused.
      socket.resume();
      if (answer.kind === 'bytes') return void socket.end(answer.bytes);
      void sendFile(socket, answer.path, answer.size, answer.mtimeMs).then((r) => {
        if (r === 'unavailable') {
          status = 'unavailable';
          socket.end(this.errorBytes('File is being updated or unreadable; try again in a moment'));
        } else if (r === 'changed') status = 'changed';
      });
    });
  }
}
