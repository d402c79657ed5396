import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import tls from 'node:tls';

/**
 * The certificate for gophers://, read from PEM files. `reload()` (on SIGHUP) swaps it for new
 * connections; a failed reload keeps the old one, so a botched renewal never takes the server down.
 */
export class TlsCerts {
  private current: tls.SecureContext;
  private options: tls.SecureContextOptions;

  constructor(
    readonly certPath: string,
    readonly keyPath: string,
  ) {
    this.options = TlsCerts.read(certPath, keyPath);
    this.current = tls.createSecureContext(this.options);
  }

  /** Throws with a one-line message naming the file when it is missing or not a matching cert/key. */
  static read(certPath: string, keyPath: string): tls.SecureContextOptions {
    const load = (what: string, p: string): Buffer => {
      try {
        return readFileSync(p);
      } catch (err) {
        throw new Error(`cannot read TLS ${what} ${p} (${(err as NodeJS.ErrnoException).code ?? err})`);
      }
    };
    const options = { cert: load('certificate', certPath), key: load('key', keyPath) };
    try {
      tls.createSecureContext(options);
    } catch (err) {
      throw new Error(`TLS certificate ${certPath} and key ${keyPath} do not work together (${(err as Error).message})`);
    }
    return options;
  }

  get context(): tls.SecureContext {
    return this.current;
  }

  get secureOptions(): tls.SecureContextOptions {
    return this.options;
  }

  reload(): void {
    this.options = TlsCerts.read(this.certPath, this.keyPath);
    this.current = tls.createSecureContext(this.options);
  }
}

/**
 * A port that speaks only TLS (`--tls-port`); each decrypted connection goes to `accept` as 'gophers',
 * under the same limits as the plain port.
 */
export function tlsPortServer(certs: TlsCerts, handshakeTimeoutMs: number, accept: (s: Socket) => void): tls.Server {
  const server = tls.createServer({ ...certs.secureOptions, handshakeTimeout: handshakeTimeoutMs }, accept);
  // Handshake failures (scanners, plain-text clients) are the client's problem, not a server error.
  server.on('tlsClientError', (_err, socket) => socket.destroy());
  return server;
}

/** Server side of TLS over an accepted socket whose ClientHello (`head`) was already read: it is handed back first. */
export function tlsOver(socket: Socket, head: Buffer, secureContext: tls.SecureContext): Socket {
  socket.unshift(head);
  const t = new tls.TLSSocket(socket, { isServer: true, secureContext });
  t.on('error', () => {
    t.destroy();
    socket.destroy();
  });
  t.once('close', () => socket.destroy());
  return t;
}
