import path from 'node:path';
import { Archive, type Change } from './archive.js';
import { readCache, writeCache } from './cache.js';
import { brokenEntry, entryFromArticle, type ArticleEntry } from './entry.js';
import { listContent, type ListedFile } from './list-content.js';
import { readArticleSync, searchableText } from './read-article.js';

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
 * served until it returns, and synchronous file calls are the fastest way through 100,000 files.
 */
export function openArchive(root: string, version: string): LoadResult {
  const listing = listContent(root);
  const errors = [...listing.errors];
  const cache = readCache(root, version);
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
  if (cache) archive.search.restore(cache.segment, docs);
  // Many to parse (a cold start): pack them in one go. A few (a warm start): they stay in the
  // index's small live part, and the packed segment from the cache is kept as it is.
  if (toParse.length > 1000) archive.search.beginBulk();
  archive.apply(known);
  // Parsed articles go in by the hundred: their texts die young instead of filling the old generation.
  let batch: Change[] = [];
  for (const f of toParse) {
    batch.push(parseChange(root, f, errors));
    if (batch.length >= 100) {
      archive.apply(batch);
      batch = [];
    }
  }
  archive.apply(batch);
  archive.search.endBulk();
  const stale = !cache || toParse.length > 0 || cached < cachedByPath.size;
  return { archive, errors, cached, parsed: toParse.length, stale };
}

function parseChange(root: string, f: ListedFile, errors: string[]): Change {
  try {
    const r = readArticleSync(path.join(root, f.relPath), f.relPath);
    return { kind: 'article', entry: entryFromArticle(f.relPath, r.article, r.size, r.mtimeMs), text: searchableText(r.article) };
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? String(err);
    errors.push(`${f.relPath}: cannot read article (${reason})`);
    return { kind: 'article', entry: brokenEntry(f.relPath, reason, f.size, f.mtimeMs), text: '' };
  }
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
