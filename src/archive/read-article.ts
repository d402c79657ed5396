import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { decodeText, splitLines } from '../charset/decode.js';
import { parseArticle } from '../article/parse-article.js';
import type { Article } from '../article/article.js';

export interface ReadArticle {
  readonly article: Article;
  readonly size: number;
  readonly mtimeMs: number;
}

/** The part of a file name that titles an article with no heading line. */
function fallbackTitle(relPath: string): string {
  return relPath.split('/').pop()!.replace(/\.txt$/, '');
}

export function parseArticleBytes(bytes: Uint8Array, relPath: string): Article {
  return parseArticle(splitLines(decodeText(bytes)), fallbackTitle(relPath));
}

/** Read and parse one article; size and mtime come from the same open file, so they describe these bytes. */
export async function readArticle(absPath: string, relPath: string): Promise<ReadArticle> {
  // O_NONBLOCK: a FIFO swapped in for an article must not block a thread-pool thread forever on open().
  const fh = await open(absPath, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new Error('not a regular file');
    const bytes = await fh.readFile();
    return { article: parseArticleBytes(bytes, relPath), size: bytes.length, mtimeMs: st.mtimeMs };
  } finally {
    await fh.close();
  }
}

/** What search sees of an article: its title and every line's text, not the link paths. */
export function searchableText(article: Article): string {
  const parts = [article.title];
  for (const l of article.lines.slice(1)) parts.push(l.kind === 'info' ? l.text : l.display);
  return parts.join('\n');
}
