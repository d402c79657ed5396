import { Archive, type Change } from './archive.js';
import { readCache, writeCache } from './cache.js';
import type { ArticleEntry } from './entry.js';
import { listContent, type ListedFile } from './list-content.js';
import { parseFile } from './parse-chunk.js';
import { parseOnThreads } from './parse-threads.js';

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
  const cache = readCache(root, version);
  // Without a cache every article is read anyway, and the reading tells its size and mtime.
  const listing = listContent(root, cache !== undefined);
  const errors = [...listing.errors];
  const cachedByPath = new Map<string, { entry: ArticleEntry; num: number }>();
  cache?.docs.forEach((entry, num) => entry && cachedByPath.set(entry.relPath, { entry, num }));

  const docs: (ArticleEntry | undefined)[] = cache ? cache.docs.map(() => undefined) : [];
  const known: Change[] = listing.dirs.map((relDir) => ({ kind: 'dir', relDir }));
  const toParse: ListedFile[] = [];
  let cached = 0;
  for (const f of listing.files) {
    if (!f.relPath.endsWith('.txt')) {
      known.push({ kind: 'file', entry: f });
      continue;
    }
    const hit = cachedByPath.get(f.relPath);
    if (hit && hit.entry.size === f.size && hit.entry.mtimeMs === f.mtimeMs) {
      docs[hit.num] = hit.entry;
      known.push({ kind: 'article', entry: hit.entry });
      cached++;
    } else toParse.push(f);
  }
  const archive = new Archive();
  archive.apply(known);
  // The index is keyed by the archive's own entries (handles on its packed store), which exist once applied.
  const own = (e: ArticleEntry): ArticleEntry => archive.byRelPath(e.relPath)!;
  if (cache) archive.search.restore(cache.segment, docs.map((e) => e && own(e)));
  if (toParse.length > 1000) {
    // Many to parse (a cold start): parse and index them packed, on every core, filling the archive
    // while the threads are still at it; their indexes join when all are done.
    const chunks = await parseOnThreads(root, toParse, (entries) => archive.apply(entries.map((entry) => ({ kind: 'article', entry }))));
    for (const c of chunks) errors.push(...c.errors);
    archive.search.addIndexed(chunks.map((c) => ({ keys: c.entries.map(own), segment: c.segment })));
  } else {
    // A few (a warm start): they stay in the index's small live part, and the packed segment from
    // the cache is kept as it is.
    const batch: Change[] = [];
    for (const f of toParse) {
      const { entry, text } = parseFile(root, f, errors);
      batch.push({ kind: 'article', entry, text });
    }
    archive.apply(batch);
  }
  const stale = !cache || toParse.length > 0 || cached < cachedByPath.size;
  return { archive, errors, cached, parsed: toParse.length, stale };
}

/**
 * True when the cache describes content/ exactly (same articles, sizes and mtimes): then there is
 * nothing to parse or write, and building an archive just to find that out can be skipped.
 */
export function cacheIsFresh(root: string, version: string): boolean {
  const cache = readCache(root, version);
  if (!cache) return false;
  const byPath = new Map<string, ArticleEntry>();
  for (const e of cache.docs) if (e) byPath.set(e.relPath, e);
  let articles = 0;
  for (const f of listContent(root).files) {
    if (!f.relPath.endsWith('.txt')) continue;
    const e = byPath.get(f.relPath);
    if (!e || e.size !== f.size || e.mtimeMs !== f.mtimeMs) return false;
    articles++;
  }
  return articles === byPath.size;
}

/** Write the cache for the archive as it is now (compacting its search index first). */
export function saveArchiveCache(root: string, version: string, archive: Archive): void {
  const { segment, docs } = archive.search.snapshot();
  writeCache(root, version, { segment, docs });
}
