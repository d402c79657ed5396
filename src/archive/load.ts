import { existsSync } from 'node:fs';
import path from 'node:path';
import { Archive, type Change } from './archive.js';
import { CACHE_FILE, readCache, writeCache, type CacheContents } from './cache.js';
import type { StoredEntry } from './entry-store.js';
import { listContent, type ListedFile, type Listing } from './list-content.js';
import { listContentOnThread } from './list-thread.js';
import { parseFile } from './parse-chunk.js';
import { parseOnThreads } from './parse-threads.js';
import { ownString } from '../own-string.js';

export interface LoadResult {
  readonly archive: Archive;
  readonly errors: string[];
  /** articles taken from the cache, and parsed from their files */
  readonly cached: number;
  readonly parsed: number;
  /** true when the cache no longer describes content/ and should be written again */
  readonly stale: boolean;
}

/**
 * Build the archive at start-up: list content/ (size and mtime of every file), take each article
 * whose size and mtime match the cache from it, parse the rest. Blocking on purpose: nothing is
 * served until it returns, and synchronous file calls are the fastest way through 100,000 files;
 * a cold start spreads the parsing over one thread per CPU.
 */
export async function openArchive(root: string, version: string): Promise<LoadResult> {
  // With a cache every file is stat'ed to compare with it: on a thread, while this one reads the cache.
  const statted = existsSync(path.join(root, CACHE_FILE)) ? listContentOnThread(root) : undefined;
  const cache = readCache(root, version);
  if (cache && statted) {
    const warm = await openWarm(root, cache, statted);
    if (warm) return warm;
  }
  cache?.postings.close();
  // Without a cache every article is read anyway, and the reading tells its size and mtime.
  const listing = statted ? await statted : listContent(root, false);
  const archive = new Archive();
  const known: Change[] = listing.dirs.map((relDir) => ({ kind: 'dir', relDir }));
  const toParse: ListedFile[] = [];
  for (const f of listing.files) {
    if (f.relPath.endsWith('.txt')) toParse.push(f);
    else known.push(fileChange(f));
  }
  archive.apply(known);
  const errors = [...listing.errors];
  await parseInto(root, archive, toParse, errors);
  return { archive, errors, cached: 0, parsed: toParse.length, stale: true };
}

/**
 * A warm start: every cached article goes into the archive while the thread still stats content/
 * (each took ~1.5 s at 100,000 articles, so they overlap); then the listing is compared with it.
 * Articles whose size or mtime changed are parsed again (replacing their cached entry), those gone
 * are removed, new ones parsed, folders and other files added: one batch before anything is served.
 */
async function openWarm(root: string, cache: CacheContents, statted: Promise<Listing>): Promise<LoadResult | undefined> {
  const archive = new Archive();
  // A path or a name twice is no cache this version wrote: start cold.
  if (!archive.restoreEntries(cache.entries)) return undefined;
  const { count } = cache.entries;
  // The index is keyed by the archive's own entries; document n is store ref n. It owns the
  // postings' file from here on.
  archive.search.restore(cache.segment, Array.from({ length: count }, (_, n) => archive.entryOfRef(n)));
  const fromCache = archive.articleCount;
  const listing = await statted;
  const errors = [...listing.errors];
  const rest: Change[] = listing.dirs.map((relDir) => ({ kind: 'dir', relDir }));
  const toParse: ListedFile[] = [];
  const seen = new Uint8Array(count);
  let seenCount = 0;
  let changed = 0;
  for (const f of listing.files) {
    if (!f.relPath.endsWith('.txt')) {
      rest.push(fileChange(f));
      continue;
    }
    const e = archive.byRelPath(f.relPath) as StoredEntry | undefined;
    if (e) {
      seen[e.ref] = 1;
      seenCount++;
    }
    if (e && e.size === f.size && e.mtimeMs === f.mtimeMs) continue;
    if (e) changed++;
    toParse.push(f);
  }
  // Gone since the cache was written: out first, so a folder now where an article was is added cleanly.
  const removed: Change[] = [];
  if (seenCount < fromCache) {
    for (let ref = 0; ref < count; ref++) {
      const e = archive.entryOfRef(ref);
      if (e && !seen[ref]) removed.push({ kind: 'remove', relPath: e.relPath });
    }
  }
  archive.apply([...removed, ...rest]);
  await parseInto(root, archive, toParse, errors);
  const cached = fromCache - removed.length - changed;
  return { archive, errors, cached, parsed: toParse.length, stale: toParse.length > 0 || removed.length > 0 };
}

/**
 * A listed file that is no article, with a path of its own: the thread's listing arrives as one
 * joined string, which slices of it would keep alive (2.4 MB at 100,000 articles).
 */
function fileChange(f: ListedFile): Change {
  return { kind: 'file', entry: { ...f, relPath: ownString(f.relPath) } };
}

/** Parse `files` into the archive: on threads when there are many, else here. */
async function parseInto(root: string, archive: Archive, files: readonly ListedFile[], errors: string[]): Promise<void> {
  if (files.length > 1000) {
    // Many to parse (a cold start): parse and index them packed, on every core, filling the archive
    // while the threads are still at it; their indexes join when all are done.
    const chunks = await parseOnThreads(root, files, (entries) => archive.apply(entries.map((entry) => ({ kind: 'article', entry }))));
    for (const c of chunks) errors.push(...c.errors);
    archive.search.addIndexed(chunks.map((c) => ({ keys: c.entries.map((e) => archive.byRelPath(e.relPath)!), segment: c.segment })));
    return;
  }
  // A few (a warm start): they stay in the index's small live part, and the packed segment from
  // the cache is kept as it is.
  const batch: Change[] = [];
  for (const f of files) {
    const { entry, text } = parseFile(root, f, errors);
    batch.push({ kind: 'article', entry, text });
  }
  archive.apply(batch);
}

/**
 * Write the cache for the archive as it is now (compacting its search index first); the index then
 * reads its postings from the file just written instead of keeping them in memory.
 */
export function saveArchiveCache(root: string, version: string, archive: Archive): void {
  const { segment, docs } = archive.search.snapshot();
  archive.search.keepPostingsIn(segment, writeCache(root, version, { segment, docs }));
}
