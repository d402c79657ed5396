import path from 'node:path';
import { scanArticle } from '../article/scan-article.js';
import type { Segment } from '../search/postings.js';
import { SegmentBuilder } from '../search/segment-builder.js';
import { brokenEntry, entryFromArticle, type ArticleEntry } from './entry.js';
import type { ListedFile } from './list-content.js';
import { fallbackTitle, FileReader, parseArticleBytes, readArticleSync, searchableText } from './read-article.js';

/** Articles parsed at start-up: their entries, in order, and their search index, numbered from `firstNum`. */
export interface ParsedChunk {
  readonly entries: ArticleEntry[];
  readonly segment: Segment;
  readonly errors: string[];
}

/**
 * Parse `files` and index them as documents `firstNum`, `firstNum + 1`, …: the unit of work a cold
 * start splits over threads (src/archive/parse-threads.ts). Pure apart from reading the files. A
 * UTF-8 file is scanned where it lies in one reused buffer (scan-article.ts); others are decoded and
 * parsed as the server parses them.
 */
export function parseChunk(root: string, files: readonly ListedFile[], firstNum: number): ParsedChunk {
  const builder = new SegmentBuilder();
  const reader = new FileReader();
  const entries: ArticleEntry[] = [];
  const errors: string[] = [];
  files.forEach((f, i) => {
    builder.words.clear();
    try {
      const { bytes, size, mtimeMs } = reader.read(path.join(root, f.relPath));
      const facts = scanArticle(bytes, fallbackTitle(f.relPath), builder.words);
      if (facts) {
        entries.push(entryFromArticle(f.relPath, facts, size, mtimeMs));
        builder.addWords(firstNum + i);
      } else {
        const article = parseArticleBytes(bytes, f.relPath);
        entries.push(entryFromArticle(f.relPath, article, size, mtimeMs));
        builder.add(firstNum + i, searchableText(article));
      }
    } catch (err) {
      entries.push(brokenEntry(f.relPath, unreadable(f, err, errors), f.size, f.mtimeMs));
      builder.words.clear();
      builder.add(firstNum + i, '');
    }
  });
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
