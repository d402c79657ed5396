import net from 'node:net';

/** Send `request` as is on a fresh connection; resolves with every byte until the server closes. */
export function gopherRaw(port: number, request: string | Buffer, timeoutMs = 30_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = net.connect({ port, host: '127.0.0.1' }, () => s.write(request));
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no close from server within ${timeoutMs} ms`));
    }, timeoutMs);
    s.on('data', (d) => chunks.push(d));
    s.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    s.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
  });
}

/** One gopher request line (CRLF added) on a fresh connection. */
export function fetchGopher(port: number, requestLine: string, timeoutMs = 30_000): Promise<Buffer> {
  return gopherRaw(port, requestLine + '\r\n', timeoutMs);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * `clients` connections that each fetch `requestLine` but read at most `bytesPerSecond`: the server
 * has to hold back (backpressure) rather than buffer the file for them. A client stops reading when
 * it is ahead of its budget and reads on once it is behind again. `onData` sees every chunk as it
 * arrives (client number, bytes). Returns bytes received per client.
 */
export async function slowClients(
  port: number, requestLine: string, clients: number, bytesPerSecond: number, seconds: number,
  onData?: (client: number, chunk: Buffer) => void,
): Promise<number[]> {
  const got = new Array<number>(clients).fill(0);
  const start = Date.now();
  const budget = (): number => ((Date.now() - start) / 1000) * bytesPerSecond;
  const sockets = Array.from({ length: clients }, (_, i) => {
    const s = net.connect({ port, host: '127.0.0.1' }, () => s.write(requestLine + '\r\n'));
    s.setNoDelay(true);
    s.on('error', () => {});
    s.on('data', (d) => {
      got[i]! += d.length;
      onData?.(i, d);
      if (got[i]! >= budget()) s.pause();
    });
    return s;
  });
  const tick = setInterval(() => {
    for (let i = 0; i < clients; i++) if (got[i]! < budget()) sockets[i]!.resume();
  }, 50);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  clearInterval(tick);
  for (const s of sockets) s.destroy();
  return got;
}
