import type { ArticleFacts } from '../article/scan-article.js';
import { articleSelector, idOfFile } from './selectors.js';

/**
 * What the archive knows of one article: enough for every generated menu and the search index.
 * The full text stays on disk and is read when the article itself is requested. Parsing produces
 * plain objects of this shape; the archive packs them (entry-store.ts) and hands out handles.
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

export function entryFromArticle(relPath: string, article: ArticleFacts, size: number, mtimeMs: number): ArticleEntry {
  const linkIds: string[] = [];
  for (const path of article.links.values()) {
    const m = LINK_ID.exec(path);
    if (m && !linkIds.includes(m[1]!)) linkIds.push(m[1]!);
  }
  // Short-lived: the archive copies it into its store (entry-store.ts), so views into the file's text are fine.
  return {
    relPath,
    id: idOfFile(relPath),
    selector: articleSelector(relPath),
    site: article.site,
    title: article.title || relPath,
    date: article.date ?? '',
    tags: article.tags,
    linkIds,
    size,
    mtimeMs,
  };
}

export function brokenEntry(relPath: string, reason: string, size: number, mtimeMs: number): ArticleEntry {
  return {
    relPath, id: idOfFile(relPath), selector: articleSelector(relPath), site: '',
    title: relPath.split('/').pop()!.replace(/\.txt$/, ''), date: '', tags: [], linkIds: [], size, mtimeMs, broken: reason,
  };
}

/** Newest first by date line; undated last; ties by selector so every listing is stable. */
export function compareNewest(a: ArticleEntry, b: ArticleEntry): number {
  return compareKeys(a.date, a.selector, b.date, b.selector);
}

function compareKeys(aDate: string, aSelector: string, bDate: string, bSelector: string): number {
  if (aDate !== bDate) return aDate < bDate ? 1 : -1;
  return aSelector < bSelector ? -1 : aSelector > bSelector ? 1 : 0;
}

/** A sorted copy, newest first as `compareNewest`, reading each entry's keys once (an archive entry decodes them on every read). */
export function sortNewest(entries: Iterable<ArticleEntry>): ArticleEntry[] {
  const keyed: { e: ArticleEntry; date: string; selector: string }[] = [];
  for (const e of entries) keyed.push({ e, date: e.date, selector: e.selector });
  keyed.sort((a, b) => compareKeys(a.date, a.selector, b.date, b.selector));
  return keyed.map((k) => k.e);
}
