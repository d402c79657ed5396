import { statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Archive } from './archive.js';
import { diffFolder, emptyDiff } from './folder-diff.js';
import type { Change } from './write-changes.js';
import { recordOfArticle, brokenRecord } from './entry.js';
import { FileReader, parseArticleBytes, searchableText } from './read-article.js';
import { looksCutOff } from '../article/cut-off.js';

/**
 * Read one path under content/ into the change that puts it in the archive (or removes it): the
 * watcher's read, with the article's words (indexed at once) and whether it looks cut off.
 */
export function changeForPath(root: string, relPath: string, errors: string[], reader = new FileReader()): Change {
  const st = statSync(path.join(root, relPath), { throwIfNoEntry: false });
  if (st === undefined) return { kind: 'remove', relPath };
  if (st.isDirectory()) return { kind: 'dir', relDir: relPath };
  return readChange(root, relPath, st, reader, { withText: true, cutOff: true }, errors);
}

/** Run `fn` over `items`, at most `limit` at a time (a tar x of 10,000 files must not open 10,000 fds). */
export async function eachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Articles read per transaction while scanning: the first menus wait for none of the later ones. */
const SCAN_BATCH = 500;

export interface ScanCounts {
  added: number;
  updated: number;
  removed: number;
}

/**
 * A path found changed (`st` as stat saw it), read into its change, blocking: a scan reads thousands,
 * and four thread-pool round trips per file (open, stat, read, close) cost the main thread more than
 * the reads. `withText`: the words come along (else the full-text pass indexes them later);
 * `cutOff`: say whether the article looks unfinished (article/cut-off.ts).
 */
function readChange(root: string, relPath: string, st: Stats, reader: FileReader, o: { withText: boolean; cutOff: boolean }, errors: string[]): Change {
  if (!st.isFile()) {
    // A FIFO, socket or device: opening it could block forever. An article by name is listed as
    // unavailable so that its menu says why; any other such name is not part of the archive.
    if (!relPath.endsWith('.txt')) return { kind: 'remove', relPath };
    errors.push(`${relPath}: cannot read article (not a regular file)`);
    return { kind: 'article', article: brokenRecord(relPath, 'not a regular file', st.size, st.mtimeMs) };
  }
  if (!relPath.endsWith('.txt')) return { kind: 'file', entry: { relPath, size: st.size, mtimeMs: st.mtimeMs } };
  try {
    const f = reader.read(path.join(root, relPath));
    const article = parseArticleBytes(f.bytes, relPath);
    const record = recordOfArticle(relPath, article, f.size, f.mtimeMs, o.withText ? searchableText(article) : undefined);
    return { kind: 'article', article: record, ...(o.cutOff && looksCutOff(article) && { cutOff: true }) };
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    errors.push(`${relPath}: cannot read article (${reason})`);
    return { kind: 'article', article: brokenRecord(relPath, reason, st.size, st.mtimeMs) };
  }
}

/**
 * Bring the archive in line with content/, folder by folder (the start-up scan, SIGHUP): new and
 * changed files are read, vanished ones removed, each batch one transaction. Only one folder's listing
 * is in memory at a time, whatever the size of the archive.
 */
export async function scanContent(
  root: string,
  rootReal: string,
  archive: Archive,
  o: { readonly withText: boolean; readonly errors: (line: string) => void; readonly onBatch?: () => void },
): Promise<ScanCounts> {
  const counts: ScanCounts = { added: 0, updated: 0, removed: 0 };
  const reader = new FileReader();
  const queue = [''];
  for (let relDir = queue.shift(); relDir !== undefined; relDir = queue.shift()) {
    const diff = emptyDiff();
    await diffFolder(root, rootReal, archive, relDir, diff);
    diff.errors.forEach(o.errors);
    counts.removed += diff.changes.filter((c) => c.kind === 'remove' || c.kind === 'remove-dir').length;
    archive.apply(diff.changes);
    queue.push(...diff.subdirs);
    for (let i = 0; i < diff.dirty.length; i += SCAN_BATCH) {
      const errors: string[] = [];
      const changes = diff.dirty.slice(i, i + SCAN_BATCH).map(({ relPath, stats, known }) => {
        const c = readChange(root, relPath, stats, reader, { withText: o.withText, cutOff: false }, errors);
        if (c.kind === 'article' || c.kind === 'file') counts[known ? 'updated' : 'added']++;
        return c;
      });
      errors.forEach(o.errors);
      archive.apply(changes);
      o.onBatch?.();
      // Let the server answer between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return counts;
}
