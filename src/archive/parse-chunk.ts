import path from 'node:path';
import type { Segment } from '../search/postings.js';
import { SegmentBuilder } from '../search/segment-builder.js';
import { brokenEntry, entryFromArticle, type ArticleEntry } from './entry.js';
import type { ListedFile } from './list-content.js';
import { readArticleSync, searchableText } from './read-article.js';

/** Articles parsed at start-up: their entries, in order, and their search index, numbered from `firstNum`. */
export interface ParsedChunk {
  readonly entries: ArticleEntry[];
  readonly segment: Segment;
  readonly errors: string[];
}

/**
 * Parse `files` and index them as documents `firstNum`, `firstNum + 1`, …: the unit of work a cold
 * start splits over threads (src/archive/parse-threads.ts). Pure apart from reading the files.
 */
export function parseChunk(root: string, files: readonly ListedFile[], firstNum: number): ParsedChunk {
  const builder = new SegmentBuilder();
  const entries: ArticleEntry[] = [];
  const errors: string[] = [];
  files.forEach((f, i) => {
    const { entry, text } = parseFile(root, f, errors);
    entries.push(entry);
    builder.add(firstNum + i, text);
  });
  return { entries, segment: builder.finish(), errors };
}

/** One article file → its entry and searchable text; an unreadable one is listed as unavailable. */
export function parseFile(root: string, f: ListedFile, errors: string[]): { entry: ArticleEntry; text: string } {
  try {
    const r = readArticleSync(path.join(root, f.relPath), f.relPath);
    return { entry: entryFromArticle(f.relPath, r.article, r.size, r.mtimeMs), text: searchableText(r.article) };
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? String(err);
    errors.push(`${f.relPath}: cannot read article (${reason})`);
    return { entry: brokenEntry(f.relPath, reason, f.size, f.mtimeMs), text: '' };
  }
}
