import path from 'node:path';
import { scanArticle } from '../article/scan-article.js';
import type { Segment } from '../search/postings.js';
import { SegmentBuilder } from '../search/segment-builder.js';
import { brokenEntry, entryFromArticle, type ArticleEntry } from './entry.js';
import type { ListedFile } from './list-content.js';
import { fallbackTitle, FileReader, parseArticleBytes, readArticleSync, searchableText } from './read-article.js';

/** Articles parsed at start-up: their entries, in order, and their search index, numbering them from 0. */
export interface ParsedChunk {
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
export function parseChunk(root: string, files: readonly ListedFile[], onBatch?: (entries: ArticleEntry[]) => void): ParsedChunk {
  const builder = new SegmentBuilder();
  const reader = new FileReader();
  const entries: ArticleEntry[] = [];
  const errors: string[] = [];
  let sent = 0;
  for (const f of files) {
    builder.words.clear();
    const num = entries.length;
    try {
      const { bytes, size, mtimeMs } = reader.read(path.join(root, f.relPath));
      const facts = scanArticle(bytes, fallbackTitle(f.relPath), builder.words);
      if (facts) {
        entries.push(entryFromArticle(f.relPath, facts, size, mtimeMs));
        builder.addWords(num);
      } else {
        const article = parseArticleBytes(bytes, f.relPath);
        entries.push(entryFromArticle(f.relPath, article, size, mtimeMs));
        builder.add(num, searchableText(article));
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      entries.push(brokenEntry(f.relPath, unreadable(f, err, errors), f.size, f.mtimeMs));
      builder.words.clear();
      builder.add(num, '');
    }
    if (onBatch && entries.length - sent === BATCH) onBatch(entries.slice(sent, (sent = entries.length)));
  }
  if (onBatch && entries.length > sent) onBatch(entries.slice(sent));
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
