import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { decodeText, splitLines } from '../charset/decode.js';
import { parseArticle } from '../article/parse-article.js';
import type { Article } from '../article/article.js';
import type { SearchableText } from './entry.js';

export interface ReadArticle {
  readonly article: Article;
  readonly size: number;
  readonly mtimeMs: number;
}

/** The part of a file name that titles an article with no heading line. */
export function fallbackTitle(relPath: string): string {
  // No array of the path's parts and no regex: a cold start asks for 100,000 of these.
  const name = relPath.slice(relPath.lastIndexOf('/') + 1);
  return name.endsWith('.txt') ? name.slice(0, -4) : name;
}

export function parseArticleBytes(bytes: Uint8Array, relPath: string): Article {
  return parseArticle(splitLines(decodeText(bytes)), fallbackTitle(relPath));
}

/** Read and parse one article; size and mtime come from the same open file, so they describe these bytes. */
export async function readArticle(absPath: string, relPath: string): Promise<ReadArticle> {
  // O_NONBLOCK: a FIFO put where an article was must not hang a thread of libuv's pool in open().
  const fh = await open(absPath, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new Error('not a regular file');
    // One read of the size fstat gave, not fh.readFile()'s chunked loop: a third faster for a burst of
    // 10,000 small files. A file that grows meanwhile no longer matches `size`, so route.ts won't serve it.
    const buf = Buffer.allocUnsafe(st.size);
    let n = 0;
    while (n < buf.length) {
      const { bytesRead } = await fh.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    const bytes = buf.subarray(0, n);
    return { article: parseArticleBytes(bytes, relPath), size: bytes.length, mtimeMs: st.mtimeMs };
  } finally {
    await fh.close();
  }
}

/**
 * Reads whole files, blocking, into one buffer reused from file to file (a cold start reads 100,000):
 * `bytes` is valid until the next `read`. Size and mtime come from the open file, so they describe these bytes.
 */
export class FileReader {
  private buffer = Buffer.alloc(0);

  read(absPath: string): { bytes: Buffer; size: number; mtimeMs: number } {
    // O_NONBLOCK: a FIFO put where an article was must not block the thread in open().
    const fd = openSync(absPath, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new Error('not a regular file');
      if (st.size > this.buffer.length) this.buffer = Buffer.allocUnsafe(Math.max(st.size, this.buffer.length * 2));
      const buf = this.buffer;
      let got = 0;
      for (let n = 1; n > 0 && got < st.size; got += n) n = readSync(fd, buf, got, st.size - got, got);
      return { bytes: buf.subarray(0, got), size: got, mtimeMs: st.mtimeMs };
    } finally {
      closeSync(fd);
    }
  }
}

/** `[1]` before a link's text in the body: a reference number, not a word, and it would split phrases. */
const REFERENCE = /\[\d+\]/g;

/** What search sees of an article: its title, and every line's text but the link paths and reference numbers. */
export function searchableText(article: Article): SearchableText {
  const body: string[] = [];
  const { lines } = article;
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.kind === 'info') body.push(l.text.includes('[') ? l.text.replace(REFERENCE, ' ') : l.text);
    else if (l.role.kind !== 'link') body.push(l.display);
  }
  return { title: article.title, body: body.join('\n') };
}
