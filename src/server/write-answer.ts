import type { Socket } from 'node:net';
import { sendFile } from './send-file.js';

/**
 * Write an answer in one piece and close. Usually the kernel takes it all at once: true, and the
 * connection only waits for the client's FIN. Otherwise false, `flushed` runs once it has all left
 * the process, and a client that reads nothing for `idleTimeoutMs` meanwhile is dropped.
 */
export function endWith(socket: Socket, bytes: Buffer, idleTimeoutMs: number, flushed: () => void): boolean {
  socket.end(bytes);
  if (socket.writableLength === 0) return true;
  socket.setTimeout(idleTimeoutMs, () => socket.destroy());
  socket.once('finish', () => {
    socket.setTimeout(0);
    flushed();
  });
  return false;
}

export interface FileToSend {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * Stream a file with backpressure; a reader stalled for `idleTimeoutMs` is dropped. Resolves when the
 * connection closes, with the bytes handed to the socket and a status for the log. `unavailable`
 * is written instead when the file cannot be sent at all (gone, or not the version recorded).
 */
export function streamFile(socket: Socket, file: FileToSend, idleTimeoutMs: number, unavailable: Buffer): Promise<{ bytes: number; status: string }> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve({ bytes: 0, status: 'reset' });
    let status = 'ok';
    socket.setTimeout(idleTimeoutMs, () => {
      status = 'idle-timeout';
      socket.destroy();
    });
    socket.once('close', () => {
      const bytes = socket.bytesWritten;
      if (status === 'ok' && bytes < file.size) status = 'reset';
      resolve({ bytes, status });
    });
    void sendFile(socket, file.path, file.size, file.mtimeMs).then((r) => {
      if (r === 'unavailable') {
        status = 'unavailable';
        socket.end(unavailable);
      } else if (r === 'changed') status = 'changed';
    });
  });
}
