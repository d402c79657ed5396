import { keyRange } from '../archive/article-key.js';
import { entryOfRow, type Archive } from '../archive/archive.js';
import type { ArticleEntry } from '../archive/entry.js';
import { tagSlug } from '../archive/selectors.js';
import type { SearchQuery, Term } from './parse-query.js';

/** Counted exactly up to here; past it a search says "more than 10,000". */
export const COUNT_LIMIT = 10_000;

export interface SearchPage {
  /** the number of hits, or undefined for more than COUNT_LIMIT */
  readonly count: number | undefined;
  readonly hits: readonly ArticleEntry[];
}

/** A term in FTS5's query syntax: its folded words as one quoted phrase (they hold only letters and digits). */
function ftsTerm(t: Term): string {
  return `"${t.words.join(' ')}"${t.prefix ? '*' : ''}`;
}

const anyOf = (terms: readonly Term[]): string => `(${terms.map(ftsTerm).join(' OR ')})`;

/**
 * The query as SQL over the index: the full-text table drives when there are words (its rowids are
 * the articles' keys, in date order, so the newest hits come without a sort), else a tag, else the
 * articles by key. Tags, dates and excluded words narrow it.
 */
function plan(q: SearchQuery): { from: string; counted: string; where: string[]; params: unknown[]; order: string; key: string } {
  const where: string[] = [];
  const params: unknown[] = [];
  let from: string;
  /** the same rows without the articles joined: a count needs none of their columns */
  let counted: string;
  let key: string;
  let order: string;
  const slugs = q.tags.map(tagSlug);
  const [firstTag, ...otherTags] = slugs;
  const excluded = q.excluded.length > 0 ? anyOf(q.excluded) : undefined;
  if (q.groups.length > 0) {
    from = 'fulltext f JOIN articles a ON a.key = f.rowid';
    counted = 'fulltext f';
    key = 'f.rowid';
    where.push('fulltext MATCH ?');
    params.push(q.groups.map(anyOf).join(' AND ') + (excluded ? ` NOT ${excluded}` : ''));
    order = q.relevance ? 'bm25(fulltext), f.rowid DESC' : 'f.rowid DESC';
  } else {
    if (firstTag !== undefined) {
      from = 'tags t JOIN articles a ON a.key = t.article';
      counted = 'tags t';
      key = 't.article';
      where.push('t.slug = ?');
      params.push(firstTag);
    } else {
      from = 'articles a';
      counted = from;
      key = 'a.key';
    }
    order = `${key} DESC`;
    if (excluded) {
      where.push(`${key} NOT IN (SELECT rowid FROM fulltext WHERE fulltext MATCH ?)`);
      params.push(excluded);
    }
  }
  for (const slug of q.groups.length > 0 ? slugs : otherTags) {
    where.push(`EXISTS (SELECT 1 FROM tags x WHERE x.slug = ? AND x.article = ${key})`);
    params.push(slug);
  }
  if (q.from !== undefined && q.to !== undefined) {
    const { low, high } = keyRange(q.from, q.to);
    where.push(`${key} BETWEEN ? AND ?`);
    params.push(low, high);
  }
  return { from, counted, where, params, order, key };
}

/** One page of a search's hits, newest (or most relevant) first, and how many there are. */
export function search(archive: Archive, q: SearchQuery, offset: number, limit: number): SearchPage {
  const p = plan(q);
  const where = p.where.length > 0 ? `WHERE ${p.where.join(' AND ')}` : '';
  const db = archive.db;
  // Without the join: every row of the full-text and tag tables has its article (write-changes.ts), and
  // looking each one up made up half of a search matching most of the archive.
  const count = db.prepare(`SELECT count(*) FROM (SELECT 1 FROM ${p.counted} ${where} LIMIT ${COUNT_LIMIT + 1})`).pluck().get(...p.params) as number;
  const rows = db
    .prepare(`SELECT a.key, a.path, a.id, a.selector, a.site, a.title, a.date, a.size, a.mtime, a.broken FROM ${p.from} ${where} ORDER BY ${p.order} LIMIT ? OFFSET ?`)
    .all(...p.params, limit, offset);
  return { count: count > COUNT_LIMIT ? undefined : count, hits: (rows as Parameters<typeof entryOfRow>[0][]).map(entryOfRow) };
}
