import { open } from 'node:fs/promises';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
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
  const fh = await open(absPath, 'r');
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new Error('not a regular file');
    const bytes = await fh.readFile();
    return { article: parseArticleBytes(bytes, relPath), size: bytes.length, mtimeMs: st.mtimeMs };
  } finally {
    await fh.close();
  }
}

/**
 * The same, blocking: the start-up scan reads 100,000 files before anything is served, and a
 * thread-pool round trip per open/stat/read/close costs more than the read itself.
 */
export function readArticleSync(absPath: string, relPath: string): ReadArticle {
  const fd = openSync(absPath, 'r');
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error('not a regular file');
    const bytes = Buffer.allocUnsafe(st.size);
    let got = 0;
    for (let n = 1; n > 0 && got < bytes.length; got += n) n = readSync(fd, bytes, got, bytes.length - got, got);
    return { article: parseArticleBytes(bytes.subarray(0, got), relPath), size: got, mtimeMs: st.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

/** What search sees of an article: its title and every line's text, not the link paths. */
export function searchableText(article: Article): string {
  const parts = [article.title];
  for (const l of article.lines.slice(1)) parts.push(l.kind === 'info' ? l.text : l.display);
  return parts.join('\n');
}
