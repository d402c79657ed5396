import type { Socket } from 'node:net';
import { openRecorded, stillRecorded } from '../respond/open-file.js';
import { copyRange } from './copy-range.js';

export type SendFileResult = 'ok' | 'changed' | 'unavailable' | 'gone';

/**
 * Stream one file with backpressure (a slow reader holds one chunk, not the file), never a mix of two
 * versions: the open file must match what the archive recorded, only `size` bytes are sent, and if the
 * file changed while it was sent the connection is reset, so the client sees an error, not a mix.
 * 'unavailable' means nothing was written: the caller still owns the socket and can send an error line.
 */
export async function sendFile(socket: Socket, path: string, size: number, mtimeMs: number): Promise<SendFileResult> {
  const recorded = { size, mtimeMs };
  const fh = await openRecorded(path, recorded);
  if (fh === undefined) return 'unavailable';
  try {
    if (socket.destroyed) return 'gone';
    const sent = await copyRange(fh, socket, size);
    if (socket.destroyed) return 'gone';
    if (!(await stillRecorded(fh, recorded))) {
      resetSocket(socket);
      return 'changed';
    }
    if (sent < size) {
      // A read failed: a cut file must not pass for a whole one.
      resetSocket(socket);
      return 'gone';
    }
    socket.end();
    return 'ok';
  } finally {
    await fh.close().catch(() => {});
  }
}

/** A TCP reset tells the client the transfer failed; a plain close would pass a cut file off as whole. */
export function resetSocket(socket: Socket): void {
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}
