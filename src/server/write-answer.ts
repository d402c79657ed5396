import type { Socket } from 'node:net';
import type { Answer } from '../respond.js';
import type { Connection } from './connection-table.js';
import { sendFile } from './send-file.js';

/**
 * Write an answer in one piece and close. Usually the kernel takes it all at once, and the
 * connection only waits for the client's FIN (the connection table's idle deadline bounds that); a
 * large answer to a client that reads nothing is dropped after `idleTimeoutMs` without progress.
 */
export function writeBytes(conn: Connection, socket: Socket, idleTimeoutMs: number, bytes: Buffer): void {
  if (socket.destroyed) return;
  socket.end(bytes);
  if (socket.writableLength === 0) return conn.enter('answered');
  socket.setTimeout(idleTimeoutMs, () => socket.destroy());
  socket.once('finish', () => {
    socket.setTimeout(0);
    conn.enter('answered');
  });
}

/**
 * Stream a file with backpressure; a reader stalled for `idleTimeoutMs` is dropped. Resolves when the
 * connection closes, with the bytes handed to the socket and a status for the log.
 */
export function streamFile(socket: Socket, answer: Extract<Answer, { kind: 'file' }>, idleTimeoutMs: number, unavailable: () => Buffer): Promise<{ bytes: number; status: string }> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve({ bytes: 0, status: 'reset' });
    let status = 'ok';
    socket.setTimeout(idleTimeoutMs, () => {
      status = 'idle-timeout';
      socket.destroy();
    });
    socket.once('close', () => {
      const bytes = socket.bytesWritten;
      if (status === 'ok' && bytes < answer.size) status = 'reset';
      resolve({ bytes, status });
    });
    void sendFile(socket, answer.path, answer.size, answer.mtimeMs).then((r) => {
      if (r === 'unavailable') {
        status = 'unavailable';
        socket.end(unavailable());
      } else if (r === 'changed') status = 'changed';
    });
  });
}
