import path from 'node:path';
import { recordOfArticle, brokenRecord } from './entry.js';
import { FileReader, parseArticleBytes, searchableText } from './read-article.js';
import type { Change } from './write-changes.js';
import { looksCutOff } from '../article/cut-off.js';

/** A path under content/ as stat found it: what a thread can be sent, unlike fs.Stats. */
export interface FoundFile {
  readonly relPath: string;
  readonly isFile: boolean;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * A path found changed, read into its change, blocking: a scan reads thousands, and four
 * thread-pool round trips per file (open, stat, read, close) cost more than the reads.
 * `withText`: the words come along (else the full-text pass indexes them later);
 * `cutOff`: say whether the article looks unfinished (article/cut-off.ts).
 */
export function readChange(root: string, f: FoundFile, reader: FileReader, o: { withText: boolean; cutOff: boolean }, errors: string[]): Change {
  const { relPath } = f;
  if (!f.isFile) {
    // A FIFO, socket or device: opening it could block forever. An article by name is listed as
    // unavailable so that its menu says why; any other such name is not part of the archive.
    if (!relPath.endsWith('.txt')) return { kind: 'remove', relPath };
    errors.push(`${relPath}: cannot read article (not a regular file)`);
    return { kind: 'article', article: brokenRecord(relPath, 'not a regular file', f.size, f.mtimeMs) };
  }
  if (!relPath.endsWith('.txt')) return { kind: 'file', entry: { relPath, size: f.size, mtimeMs: f.mtimeMs } };
  try {
    const read = reader.read(path.join(root, relPath));
    const article = parseArticleBytes(read.bytes, relPath);
    const record = recordOfArticle(relPath, article, read.size, read.mtimeMs, o.withText ? searchableText(article) : undefined);
    return { kind: 'article', article: record, ...(o.cutOff && looksCutOff(article) && { cutOff: true }) };
  } catch (err) {
    // Gone since its folder was listed (a cold start lists without stat'ing: folder-diff.ts).
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'remove', relPath };
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    errors.push(`${relPath}: cannot read article (${reason})`);
    return { kind: 'article', article: brokenRecord(relPath, reason, f.size, f.mtimeMs) };
  }
}
