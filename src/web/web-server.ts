import http from 'node:http';
import type { Socket } from 'node:net';
import type { Handoff } from '../server/server.js';
import type { Limits } from '../server/limits.js';
import type { AccessLogger } from '../server/access-log.js';
import { clientOf } from '../server/connection-table.js';

/**
 * The web view's node:http server, with the gopher side's limits: the same time to send a request,
 * the same idle timeout and connection caps. It serves its own port (`--http-port`) and the sockets
 * the gopher server hands over when a connection starts with `GET ` or `HEAD `.
 */
export function createWebServer(
  handler: http.RequestListener,
  limits: Limits,
  log: AccessLogger,
): { server: http.Server; handOff: Handoff } {
  const server = http.createServer(
    { requestTimeout: limits.requestTimeoutMs, headersTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: 1000 },
    handler,
  );
  // Node starts checking request and header timeouts when a server starts listening. Sockets handed
  // over from the gopher port reach a server that may never listen itself, so start the checks now.
  server.emit('listening');
  server.timeout = limits.idleTimeoutMs;
  server.maxConnections = limits.maxConnections;

  // Per-address cap for the separate listener; handed-over sockets were counted by the gopher server.
  const handedOver = new WeakSet<Socket>();
  const perIp = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    if (handedOver.has(socket)) return;
    const ip = socket.remoteAddress ?? '?';
    const n = (perIp.get(ip) ?? 0) + 1;
    perIp.set(ip, n);
    socket.once('close', () => {
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left <= 0) perIp.delete(ip);
      else perIp.set(ip, left);
    });
    if (n > limits.maxConnectionsPerIp) socket.destroy();
  });

  // Malformed HTTP, headers too large, too slow: Node's own answer, plus our log line.
  const failed = new WeakSet<Socket>();
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    // A socket we already answered may report its end as a second error: one answer, one log line.
    if (failed.has(socket)) return void socket.destroy();
    failed.add(socket);
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    if (socket.writable && (err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || socket.bytesWritten === 0)) {
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    } else socket.destroy();
    if (err.code !== 'ECONNRESET') {
      log({ client: clientOf(socket) ?? socket.remoteAddress ?? '?', proto: 'http', selector: '', itemType: '', bytes: 0, ms: 0, status: String(status) });
    }
  });

  const handOff: Handoff = (socket, head) => {
    handedOver.add(socket);
    // Put back what the gopher server already read, then let Node parse HTTP as on its own port.
    socket.unshift(head);
    server.emit('connection', socket);
    socket.resume();
  };
  return { server, handOff };
}
