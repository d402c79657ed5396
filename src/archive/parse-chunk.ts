import path from 'node:path';
import { scanArticle } from '../article/scan-article.js';
import type { Segment } from '../search/postings.js';
import { SegmentBuilder } from '../search/segment-builder.js';
import { brokenEntry, entryFromArticle, type ArticleEntry } from './entry.js';
import type { ListedFile } from './list-content.js';
import { fallbackTitle, FileReader, parseArticleBytes, readArticleSync, searchableText } from './read-article.js';

/** Articles parsed at start-up: their entries, in order, and their search index, numbering them from 0. */
export interface ParsedChunk {
  /** empty when they went to `onBatch` */
  readonly entries: ArticleEntry[];
  readonly segment: Segment;
  readonly errors: string[];
}

/** Entries a parse thread posts at a time (see parse-threads.ts). */
const BATCH = 2000;

/**
 * Parse `files` and index them: the unit of work a cold start splits over threads
 * (src/archive/parse-threads.ts), which hand the entries on in batches as they come (`onBatch`).
 * Pure apart from reading the files. A UTF-8 file is scanned where it lies in one reused buffer
 * (scan-article.ts); others are decoded and parsed as the server parses them. A file gone since it
 * was listed is left out, as if the listing had not seen it.
 */
export function parseChunk(root: string, files: readonly ListedFile[], onBatch?: (entries: ArticleEntry[], last: boolean) => void): ParsedChunk {
  const builder = new SegmentBuilder();
  const reader = new FileReader();
  // The listing's paths need no normalising: joined by hand, not by path.join 100,000 times.
  const dir = root === '' || root.endsWith(path.sep) ? root : root + path.sep;
  // With `onBatch` the entries go there only: a thread that kept 50,000 of them had the garbage
  // collector copy them all into the old generation, for nothing.
  const entries: ArticleEntry[] = [];
  let batch: ArticleEntry[] = onBatch ? [] : entries;
  const errors: string[] = [];
  let count = 0; // entries made, the next one's document number
  for (const f of files) {
    builder.words.clear();
    const num = count;
    try {
      const { bytes, size, mtimeMs } = reader.read(dir + f.relPath);
      const facts = scanArticle(bytes, fallbackTitle(f.relPath), builder.words);
      if (facts) {
        batch.push(entryFromArticle(f.relPath, facts, size, mtimeMs));
        count++;
        builder.addWords(num);
      } else {
        const article = parseArticleBytes(bytes, f.relPath);
        batch.push(entryFromArticle(f.relPath, article, size, mtimeMs));
        count++;
        builder.add(num, searchableText(article));
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      batch.push(brokenEntry(f.relPath, unreadable(f, err, errors), f.size, f.mtimeMs));
      count++;
      builder.words.clear();
      builder.add(num, '');
    }
    if (onBatch && batch.length === BATCH) {
      onBatch(batch, false);
      batch = [];
    }
  }
  // Marked last (even if empty): the entries are complete before the index is, which takes seconds more.
  onBatch?.(batch, true);
  return { entries, segment: builder.finish(), errors };
}

function unreadable(f: ListedFile, err: unknown, errors: string[]): string {
  const reason = (err as NodeJS.ErrnoException).code ?? String(err);
  errors.push(`${f.relPath}: cannot read article (${reason})`);
  return reason;
}

/** One article file → its entry and searchable text; an unreadable one is listed as unavailable. */
export function parseFile(root: string, f: ListedFile, errors: string[]): { entry: ArticleEntry; text: string } {
  try {
    const r = readArticleSync(path.join(root, f.relPath), f.relPath);
    return { entry: entryFromArticle(f.relPath, r.article, r.size, r.mtimeMs), text: searchableText(r.article) };
  } catch (err) {
    return { entry: brokenEntry(f.relPath, unreadable(f, err, errors), f.size, f.mtimeMs), text: '' };
  }
}
