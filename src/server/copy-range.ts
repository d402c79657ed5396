import type { FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';

/**
 * Bytes read per step. One buffer per transfer, reused once the kernel has taken it: a read stream
 * allocated a fresh 64 KB for every step, and 50 slow readers of a large file kept ~50 MB of those
 * waiting for the garbage collector (bench/RESULTS.md, round 8).
 */
const CHUNK = 64 * 1024;

/**
 * Copy bytes 0..size-1 of an open file to `out` without ending it, with backpressure: the next read
 * waits until the last write has left the process, so a slow reader holds one buffer. Returns the
 * bytes written: fewer than `size` when `out` closed, a read failed or the file came up short.
 */
export async function copyRange(fh: FileHandle, out: Writable, size: number): Promise<number> {
  if (size <= 0) return 0;
  const buf = Buffer.allocUnsafeSlow(Math.min(CHUNK, size));
  let at = 0;
  while (at < size) {
    let bytesRead: number;
    try {
      ({ bytesRead } = await fh.read(buf, 0, Math.min(buf.length, size - at), at));
    } catch {
      break;
    }
    if (bytesRead === 0 || !(await written(out, buf.subarray(0, bytesRead)))) break;
    at += bytesRead;
  }
  return at;
}

/** Write and wait until the bytes have left the process (the buffer is free again); false if `out` closed first. */
function written(out: Writable, bytes: Buffer): Promise<boolean> {
  if (out.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onClose = (): void => resolve(false);
    out.once('close', onClose);
    out.write(bytes, (err) => {
      out.off('close', onClose);
      resolve(!err && !out.destroyed);
    });
  });
}
