import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { sameVersion } from '../archive/folder-diff.js';

/** A file as the archive recorded it: anything else on disk is a version nobody indexed (half written, replaced). */
export interface Recorded {
  readonly size: number;
  readonly mtimeMs: number;
}

/** What both protocols tell a client whose file is not the recorded version (or is gone): it is worth asking again. */
export const FILE_UNAVAILABLE = 'File is being updated or unreadable; try again in a moment';

/**
 * Open a regular file for reading; undefined when it can't be opened or is something else.
 * O_NONBLOCK: a FIFO put in the file's place would hang open() and a thread of libuv's pool until
 * someone writes to it; opened without blocking, fstat then refuses it (and devices, and folders).
 */
export async function openRegular(path: string): Promise<{ fh: FileHandle; stats: Stats } | undefined> {
  let fh: FileHandle;
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const stats = await fh.stat();
    if (stats.isFile()) return { fh, stats };
  } catch {
    // fstat failed: as unreadable
  }
  await fh.close().catch(() => {});
  return undefined;
}

/** Open the file only if it is a regular file of the recorded size and mtime; the caller closes it. */
export async function openRecorded(path: string, recorded: Recorded): Promise<FileHandle | undefined> {
  const opened = await openRegular(path);
  if (opened === undefined) return undefined;
  if (sameVersion(recorded, opened.stats)) return opened.fh;
  await opened.fh.close().catch(() => {});
  return undefined;
}

/** After reading or sending from `fh`: whether the file still is the recorded version (not changed meanwhile). */
export async function stillRecorded(fh: FileHandle, recorded: Recorded): Promise<boolean> {
  try {
    return sameVersion(recorded, await fh.stat());
  } catch {
    return false;
  }
}

/** The recorded version's bytes, whole, or undefined: not that version before or after the read, or a read failed. */
export async function readRecorded(path: string, recorded: Recorded): Promise<Buffer | undefined> {
  const fh = await openRecorded(path, recorded);
  if (fh === undefined) return undefined;
  try {
    const bytes = Buffer.allocUnsafe(recorded.size);
    for (let got = 0; got < recorded.size; ) {
      const { bytesRead } = await fh.read(bytes, got, recorded.size - got, got);
      if (bytesRead === 0) return undefined;
      got += bytesRead;
    }
    return (await stillRecorded(fh, recorded)) ? bytes : undefined;
  } catch {
    return undefined;
  } finally {
    await fh.close().catch(() => {});
  }
}
