import type { ArticleFacts } from '../article/scan-article.js';
import { articleSelector, idOfFile } from './selectors.js';
import { ownString, StringPool } from '../own-string.js';

/**
 * What the archive keeps in memory for one article: enough for every generated menu and the
 * search index. The full text stays on disk and is read when the article itself is requested,
 * so 100,000 articles fit in memory.
 */
export interface ArticleEntry {
  /** posix path inside content/, e.g. `Slug/!6084887.txt` */
  readonly relPath: string;
  readonly id?: string;
  readonly selector: string;
  readonly site: string;
  readonly title: string;
  /** ISO `YYYY-MM-DD`, or '' when the article has no date line */
  readonly date: string;
  readonly tags: readonly string[];
  /** ids of the articles this one links to (`[n] /Slug/!id`), for backlinks */
  readonly linkIds: readonly string[];
  readonly size: number;
  readonly mtimeMs: number;
  /** parse failure: listed, but its menu says it is unavailable */
  readonly broken?: string;
}

const LINK_ID = /\/!(\d+)$/;
/** Tags and site names repeat across thousands of articles: keep one copy of each. */
const shared = new StringPool();

export function entryFromArticle(relPath: string, article: ArticleFacts, size: number, mtimeMs: number): ArticleEntry {
  const linkIds: string[] = [];
  for (const path of article.links.values()) {
    const m = LINK_ID.exec(path);
    if (m && !linkIds.includes(m[1]!)) linkIds.push(ownString(m[1]!));
  }
  // The entry outlives the parsed file by hours: its strings must not be views into the file's text.
  return {
    relPath,
    id: idOfFile(relPath),
    selector: articleSelector(relPath),
    site: shared.get(article.site),
    title: ownString(article.title || relPath),
    date: ownString(article.date ?? ''),
    tags: article.tags.map((t) => shared.get(t)),
    linkIds,
    size,
    mtimeMs,
  };
}

/** The same entry with its tag and site names taken from the shared pool (an entry cloned from a worker thread). */
export function internEntry(e: ArticleEntry): ArticleEntry {
  return { ...e, site: shared.get(e.site), tags: e.tags.map((t) => shared.get(t)) };
}

export function brokenEntry(relPath: string, reason: string, size: number, mtimeMs: number): ArticleEntry {
  return {
    relPath, id: idOfFile(relPath), selector: articleSelector(relPath), site: '',
    title: relPath.split('/').pop()!.replace(/\.txt$/, ''), date: '', tags: [], linkIds: [], size, mtimeMs, broken: reason,
  };
}

/** Newest first by date line; undated last; ties by selector so every listing is stable. */
export function compareNewest(a: ArticleEntry, b: ArticleEntry): number {
  if (a.date !== b.date) return a.date < b.date ? 1 : -1;
  return a.selector < b.selector ? -1 : a.selector > b.selector ? 1 : 0;
}
