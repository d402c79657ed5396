import net, { type Socket } from 'node:net';
import { createReadStream } from 'node:fs';
import { parseRequest } from '../protocol/request.js';
import { encodeText } from '../charset/encode.js';
import { renderError } from '../protocol/encode-menu.js';
import type { Answer, Responder } from '../respond.js';
import { readLine } from './read-line.js';
import type { AccessLogger } from './access-log.js';

export interface Limits {
  /** longest request line accepted (selector, TAB, query) */
  readonly maxRequestBytes: number;
  /** time allowed to send the request line */
  readonly requestTimeoutMs: number;
  /** time a write may stall (client not reading) before the connection is dropped */
  readonly idleTimeoutMs: number;
  readonly maxConnections: number;
  readonly maxConnectionsPerIp: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxRequestBytes: 8192,
  requestTimeoutMs: 10_000,
  idleTimeoutMs: 60_000,
  maxConnections: 4096,
  maxConnectionsPerIp: 64,
};

const HTTP_START = /^(GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH|TRACE|CONNECT) /;

/** Hands a socket whose first bytes are not gopher (HTTP, TLS) to another protocol handler. */
export type Handoff = (socket: Socket, head: Buffer) => void;

export interface GopherServerOptions {
  readonly responder: Responder;
  readonly log: AccessLogger;
  readonly limits?: Partial<Limits>;
  readonly onHttp?: Handoff;
  readonly onError?: (message: string) => void;
}

/**
 * The only module that touches gopher sockets: read one bounded line, answer, close.
 * Every connection has exactly one catch, so a bug becomes a type-3 line, never a crash or a stack trace.
 */
export class GopherServer {
  readonly server: net.Server;
  readonly limits: Limits;
  private readonly perIp = new Map<string, number>();
  private readonly sockets = new Set<Socket>();

  constructor(private readonly opts: GopherServerOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.server = net.createServer({ noDelay: true }, (s) => this.accept(s));
    this.server.maxConnections = this.limits.maxConnections;
    this.server.on('error', (err) => opts.onError?.(`server: ${err.message}`));
  }

  listen(port: number, host?: string): Promise<net.AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ port, host, backlog: 1024 }, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as net.AddressInfo);
      });
    });
  }

  /** Stop accepting, let requests in flight finish for up to `graceMs`, then drop the rest. */
  close(graceMs = 5000): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        for (const s of this.sockets) s.destroy();
      }, graceMs);
      timer.unref();
      this.server.close(() => {
        clearTimeout(timer);
        resolve();
      });
      for (const s of this.sockets) if (!s.writable || s.bytesWritten === 0) s.end();
    });
  }

  get connections(): number {
    return this.sockets.size;
  }

  /** Handle a socket that came from elsewhere (a socket-activated or TLS listener). */
  accept(socket: Socket, proto: 'gopher' | 'gophers' = 'gopher'): void {
    const ip = socket.remoteAddress ?? '?';
    const n = (this.perIp.get(ip) ?? 0) + 1;
    this.perIp.set(ip, n);
    this.sockets.add(socket);
    socket.once('close', () => {
      this.sockets.delete(socket);
      const left = (this.perIp.get(ip) ?? 1) - 1;
      if (left <= 0) this.perIp.delete(ip);
      else this.perIp.set(ip, left);
    });
    socket.on('error', () => socket.destroy());
    if (n > this.limits.maxConnectionsPerIp) {
      socket.end(this.errorBytes('Too many connections from your address; try again later'));
      socket.resume(); // read the client's FIN, so the socket closes and stops counting (see send)
      return;
    }
    this.handle(socket, ip, proto).catch((err: unknown) => {
      this.opts.onError?.(`internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      if (!socket.destroyed) socket.end(this.errorBytes('Internal server error'));
    });
  }

  private errorBytes(message: string): Buffer {
    const r = this.opts.responder;
    return encodeText(renderError(message, r.origin), r.charset);
  }

  private async handle(socket: Socket, client: string, proto: 'gopher' | 'gophers'): Promise<void> {
    const started = performance.now();
    const sniff = this.opts.onHttp ? (head: Buffer) => head.length >= 4 && HTTP_START.test(head.subarray(0, 8).toString('latin1')) : undefined;
    const got = await readLine(socket, this.limits.maxRequestBytes, this.limits.requestTimeoutMs, sniff);
    const log = (selector: string, itemType: string, bytes: number, status: string): void =>
      this.opts.log({ client, proto, selector, itemType, bytes, ms: performance.now() - started, status });
    if (got.kind === 'closed') return void socket.destroy();
    if (got.kind === 'timeout' || got.kind === 'too-long') {
      const bytes = this.errorBytes(got.kind === 'timeout' ? 'Request timed out' : 'Request too long');
      socket.end(bytes);
      return log(got.head.subarray(0, 64).toString('latin1'), '3', bytes.length, got.kind);
    }
    if (sniff?.(got.head)) {
      socket.removeAllListeners('error');
      return this.opts.onHttp!(socket, got.head);
    }
    const req = parseRequest(got.line);
    const answer = await this.opts.responder.respond(req);
    const status = answer.kind === 'bytes' ? answer.status : 'ok';
    const sent = await this.send(socket, answer);
    log(req.selector, status === 'error' ? '3' : '', sent, socket.destroyed && sent === 0 ? 'reset' : status);
  }

  /** Write the answer and close; files stream with backpressure so a slow reader holds one chunk. */
  private send(socket: Socket, answer: Answer): Promise<number> {
    return new Promise((resolve) => {
      if (socket.destroyed) return resolve(0);
      socket.setTimeout(this.limits.idleTimeoutMs, () => socket.destroy());
      socket.once('close', () => resolve(socket.bytesWritten));
      // readLine paused the socket; a paused socket never reads the client's FIN, so after our end()
      // it would linger half-closed until the idle timeout (4096 of them stall the server under load).
      // Reading on discards anything after the request line, which RFC 1436 leaves unused.
      socket.resume();
      if (answer.kind === 'bytes') {
        socket.end(answer.bytes);
        return;
      }
      const stream = createReadStream(answer.path);
      // Before the first byte an error can still be told; after it, only a cut connection is honest.
      stream.on('error', () => (socket.bytesWritten === 0 ? socket.end(this.errorBytes('File unavailable')) : socket.destroy()));
      socket.once('close', () => stream.destroy());
      stream.pipe(socket);
    });
  }
}
