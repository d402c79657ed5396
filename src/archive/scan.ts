import { statSync } from 'node:fs';
import path from 'node:path';
import type { Archive } from './archive.js';
import { diffFolder, emptyDiff, type FolderDiff } from './folder-diff.js';
import type { Change } from './write-changes.js';
import { FileReader } from './read-article.js';
import { readChange } from './read-change.js';
import { ReadThread, type ReadBatch } from './read-thread.js';

/**
 * Read one path under content/ into the change that puts it in the archive (or removes it): the
 * watcher's read, with the article's words (indexed at once) and whether it looks cut off.
 */
export function changeForPath(root: string, relPath: string, errors: string[], reader = new FileReader()): Change {
  const st = statSync(path.join(root, relPath), { throwIfNoEntry: false });
  if (st === undefined) return { kind: 'remove', relPath };
  if (st.isDirectory()) return { kind: 'dir', relDir: relPath };
  return readChange(root, { relPath, isFile: st.isFile(), size: st.size, mtimeMs: st.mtimeMs }, reader, { withText: true, cutOff: true }, errors);
}

/** Run `fn` over `items`, at most `limit` at a time (a tar x of 10,000 files must not open 10,000 fds). */
export async function eachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Files the reading thread is sent at a time, and written per transaction while the server answers beside the scan. */
const READ_BATCH = 250;
/** Read batches in flight: enough to keep the reading thread busy. */
const READ_AHEAD = 4;

export interface ScanCounts {
  added: number;
  updated: number;
  removed: number;
}

/**
 * Bring the archive in line with content/, folder by folder (the start-up scan, SIGHUP): new and
 * changed files are read, vanished ones removed, each batch one transaction. Files are read on a
 * thread (read-thread.ts) while this one walks on and writes what was read. Only the listing of the
 * folder in hand and a few batches are in memory at a time.
 * `transaction`: files per transaction, held open while more are read; only for a scan that nothing
 * reads the index beside (a cold start), which it makes faster: every transaction rewrites the pages
 * of the tables it touches. `readers`: reading threads, batches taking turns (one by default).
 */
export async function scanContent(
  root: string,
  rootReal: string,
  archive: Archive,
  o: {
    readonly withText: boolean;
    readonly errors: (line: string) => void;
    readonly transaction?: number;
    readonly readers?: number;
  },
): Promise<ScanCounts> {
  const counts: ScanCounts = { added: 0, updated: 0, removed: 0 };
  const threads = Array.from({ length: o.readers ?? 1 }, () => new ReadThread(root));
  let sent = 0;
  const reading: { batch: Promise<ReadBatch>; known: boolean[] }[] = [];
  let open = 0;
  const receive = async (): Promise<void> => {
    const { batch, known } = reading.shift()!;
    const { changes, errors } = await batch;
    errors.forEach(o.errors);
    changes.forEach((c, i) => {
      if (c.kind === 'article' || c.kind === 'file') counts[known[i] ? 'updated' : 'added']++;
    });
    if (o.transaction !== undefined && open === 0) archive.begin();
    archive.apply(changes);
    open += changes.length;
    if (open < (o.transaction ?? 0)) return;
    if (o.transaction !== undefined) archive.commit();
    open = 0;
    // Let the server answer between batches.
    await new Promise((resolve) => setImmediate(resolve));
  };
  const send = async (files: FolderDiff['dirty']): Promise<void> => {
    while (reading.length >= READ_AHEAD) await receive();
    const thread = threads[sent++ % threads.length]!;
    reading.push({ batch: thread.changes(files, o.withText), known: files.map((d) => d.known) });
  };
  try {
    const queue = [''];
    for (let relDir = queue.shift(); relDir !== undefined; relDir = queue.shift()) {
      const diff = emptyDiff();
      await diffFolder(root, rootReal, archive, relDir, diff);
      diff.errors.forEach(o.errors);
      counts.removed += diff.changes.filter((c) => c.kind === 'remove' || c.kind === 'remove-dir').length;
      if (diff.changes.length > 0) archive.apply(diff.changes);
      queue.push(...diff.subdirs);
      for (let i = 0; i < diff.dirty.length; i += READ_BATCH) await send(diff.dirty.slice(i, i + READ_BATCH));
    }
    while (reading.length > 0) await receive();
    if (open > 0) archive.commit();
  } finally {
    // A failed scan leaves nothing half-written of the transaction it held open.
    if (o.transaction !== undefined) archive.rollback();
    await Promise.all(threads.map((t) => t.close()));
  }
  return counts;
}
