import net from 'node:net';

/** Where to fetch from: one gopher request (RFC 1436 §2: selector, optional TAB query, CRLF). */
export interface FetchTarget {
  readonly host: string;
  readonly port: number;
  readonly selector: string;
  readonly query?: string;
}

export interface FetchLimits {
  /** answers longer than this are cut off and reported, so a never-ending response cannot fill the disk */
  readonly maxBytes: number;
  /** the whole exchange, connect to close; a server that trickles forever hits this */
  readonly timeoutMs: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = { maxBytes: 64 * 1024 * 1024, timeoutMs: 60_000 };

export type FetchFailure = 'connect' | 'timeout' | 'too-big' | 'reset' | 'aborted';

export class FetchError extends Error {
  constructor(readonly failure: FetchFailure, message: string) {
    super(message);
  }
}

/**
 * One request, every byte until the server closes. Gopher has no length header: the close is the end
 * (RFC 1436 §2), so the limits are the only defence against a server that never stops.
 */
export function fetchGopher(target: FetchTarget, limits: FetchLimits = DEFAULT_FETCH_LIMITS, signal?: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new FetchError('aborted', 'interrupted'));
    const chunks: Buffer[] = [];
    let size = 0;
    let connected = false;
    let settled = false;
    const socket = net.connect({ host: target.host, port: target.port });
    const finish = (err?: FetchError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (err) reject(err);
      else resolve(Buffer.concat(chunks, size));
    };
    const onAbort = (): void => finish(new FetchError('aborted', 'interrupted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(
      () => finish(new FetchError('timeout', `no end of answer within ${limits.timeoutMs} ms (${size} bytes received)`)),
      limits.timeoutMs,
    );
    socket.once('connect', () => {
      connected = true;
      const line = target.query === undefined ? target.selector : `${target.selector}\t${target.query}`;
      socket.write(Buffer.from(line + '\r\n', 'utf8'));
    });
    socket.on('data', (d: Buffer) => {
      size += d.length;
      if (size > limits.maxBytes) return finish(new FetchError('too-big', `answer larger than ${limits.maxBytes} bytes`));
      chunks.push(d);
    });
    socket.once('end', () => finish());
    socket.once('close', () => finish());
    socket.once('error', (e: NodeJS.ErrnoException) => {
      // A reset after data is how some servers close; what arrived is the answer (it is checked later).
      if (connected && size > 0 && e.code === 'ECONNRESET') return finish();
      finish(new FetchError(connected ? 'reset' : 'connect', `${connected ? 'connection failed' : 'cannot connect'}: ${e.code ?? e.message}`));
    });
  });
}
