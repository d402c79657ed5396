import type { Article } from '../article/article.js';
import { articleSelector, idOfFile, tagSlug } from './selectors.js';
import { tokenize } from '../search/fold.js';
import { fallbackTitle } from './read-article.js';

/**
 * What the archive knows of one article: enough for every generated menu. The full text stays on
 * disk and is read when the article itself is requested.
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
  readonly size: number;
  readonly mtimeMs: number;
  /** parse failure: listed, but its menu says it is unavailable */
  readonly broken?: string;
}

/** A tag as an article names it, and the slug of its menu (`/tag/<slug>`, lower case). */
export interface TagName {
  readonly slug: string;
  readonly name: string;
}

/**
 * An article as it goes into the index: its entry, what it is filed under, and (when known) its
 * searchable text. Made where the file is read (a reading thread, in a scan), so that the writer only writes.
 */
export interface ArticleRecord {
  readonly entry: ArticleEntry;
  /** `titleKey(entry.title)`: how an item that reads as an article's title finds it */
  readonly titleKey: string;
  readonly tags: readonly TagName[];
  /** ids of the articles this one links to (`[n] /Slug/!id`), for backlinks */
  readonly linkIds: readonly string[];
  /** title and body as search sees them; absent: indexed later, by the full-text pass */
  readonly text?: SearchableText;
}

export interface SearchableText {
  readonly title: string;
  readonly body: string;
}

/** A title's folded words joined by spaces: two titles that read the same to search are one title here. */
export function titleKey(title: string): string {
  return tokenize(title).join(' ');
}

const tagName = (name: string): TagName => ({ slug: tagSlug(name), name });

const LINK_ID = /\/!([pt]?\d+)$/;

export function recordOfArticle(relPath: string, article: Article, size: number, mtimeMs: number, text?: SearchableText): ArticleRecord {
  const linkIds: string[] = [];
  for (const path of article.links.values()) {
    const m = LINK_ID.exec(path);
    if (m && !linkIds.includes(m[1]!)) linkIds.push(m[1]!);
  }
  const entry: ArticleEntry = {
    relPath,
    id: idOfFile(relPath),
    selector: articleSelector(relPath),
    site: article.site,
    title: article.title || relPath,
    date: article.date ?? '',
    size,
    mtimeMs,
  };
  return { entry, titleKey: titleKey(entry.title), tags: article.tags.map(tagName), linkIds, text };
}

export function brokenRecord(relPath: string, reason: string, size: number, mtimeMs: number): ArticleRecord {
  const entry: ArticleEntry = {
    relPath, id: idOfFile(relPath), selector: articleSelector(relPath), site: '',
    title: fallbackTitle(relPath), date: '', size, mtimeMs, broken: reason,
  };
  return { entry, titleKey: titleKey(entry.title), tags: [], linkIds: [], text: { title: '', body: '' } };
}
