import { keyRange } from '../archive/article-key.js';
import { ARTICLE, entryOfRow, type Archive } from '../archive/archive.js';
import type { ArticleEntry } from '../archive/entry.js';
import { tagSlug } from '../archive/selectors.js';
import { SHARDS, shardSchema } from '../archive/text-shards.js';
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

/** A named parameter's SQL and value, collected as a plan is written. */
class Params {
  readonly values: Record<string, unknown> = {};
  add(value: unknown): string {
    const name = `p${Object.keys(this.values).length}`;
    this.values[name] = value;
    return `@${name}`;
  }
}

/** The same query over every shard's words (text-shards.ts), `key` the rowid: the hits of all of them. */
function acrossShards(select: (f: string, key: string) => string): string {
  return Array.from({ length: SHARDS }, (_, n) => select(`${shardSchema(n)}.fulltext f`, 'f.rowid')).join(' UNION ALL ');
}

/**
 * The query as SQL over the index. With words, the shards' full-text tables drive: their rowids are
 * the articles' keys, in date order, so SQLite merges their newest hits without a sort. Else a tag
 * drives, else the articles by key. Tags, dates and excluded words narrow it.
 */
function plan(q: SearchQuery): { hits: string; count: string; params: Record<string, unknown> } {
  const p = new Params();
  const slugs = q.tags.map(tagSlug);
  const excluded = q.excluded.length > 0 ? anyOf(q.excluded) : undefined;
  /** Conditions on an article's key: its tags (but `skipTag`) and the date range. */
  const narrow = (key: string, skipTag?: number): string[] => {
    const where = slugs.flatMap((slug, i) => (i === skipTag ? [] : [`EXISTS (SELECT 1 FROM tags x WHERE x.slug = ${p.add(slug)} AND x.article = ${key})`]));
    if (q.from !== undefined && q.to !== undefined) {
      const { low, high } = keyRange(q.from, q.to);
      where.push(`${key} BETWEEN ${p.add(low)} AND ${p.add(high)}`);
    }
    return where;
  };
  const whereOf = (conditions: string[]): string => (conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '');
  if (q.groups.length > 0) {
    const match = p.add(q.groups.map(anyOf).join(' AND ') + (excluded ? ` NOT ${excluded}` : ''));
    const conditions = [`f.fulltext MATCH ${match}`, ...narrow('f.rowid')];
    const rank = q.relevance ? ', bm25(f.fulltext) AS rank' : '';
    const order = q.relevance ? ['rank', 'key DESC'] : ['key DESC'];
    const hits = acrossShards((f, key) => `SELECT ${key} AS key${rank} FROM ${f} ${whereOf(conditions)}`);
    return {
      hits: `SELECT ${ARTICLE} FROM (${hits} ORDER BY ${order.join(', ')} LIMIT @limit OFFSET @offset) h
        JOIN articles a ON a.key = h.key ORDER BY ${order.map((o) => `h.${o}`).join(', ')}`,
      // Without the join: every shard's row has its article but after a kill, which the next
      // full-text pass mends; looking each one up was half of a search matching most of the archive.
      count: `SELECT 1 FROM (${acrossShards((f, key) => `SELECT ${key} FROM ${f} ${whereOf(conditions)}`)})`,
      params: p.values,
    };
  }
  const [firstTag] = slugs;
  const from = firstTag !== undefined ? 'tags t JOIN articles a ON a.key = t.article' : 'articles a';
  const counted = firstTag !== undefined ? 'tags t' : 'articles a';
  const key = firstTag !== undefined ? 't.article' : 'a.key';
  const conditions = firstTag !== undefined ? [`t.slug = ${p.add(firstTag)}`, ...narrow(key, 0)] : narrow(key);
  if (excluded) {
    const match = p.add(excluded);
    conditions.push(`${key} NOT IN (${acrossShards((f, k) => `SELECT ${k} FROM ${f} WHERE f.fulltext MATCH ${match}`)})`);
  }
  return {
    hits: `SELECT ${ARTICLE} FROM ${from} ${whereOf(conditions)} ORDER BY ${key} DESC LIMIT @limit OFFSET @offset`,
    count: `SELECT 1 FROM ${counted} ${whereOf(conditions)}`,
    params: p.values,
  };
}

/** One page of a search's hits, newest (or most relevant) first, and how many there are. */
export function search(archive: Archive, q: SearchQuery, offset: number, limit: number): SearchPage {
  const p = plan(q);
  const db = archive.db;
  const count = db.prepare(`SELECT count(*) FROM (${p.count} LIMIT ${COUNT_LIMIT + 1})`).pluck().get(p.params) as number;
  const rows = db.prepare(p.hits).all({ ...p.params, limit, offset });
  return { count: count > COUNT_LIMIT ? undefined : count, hits: (rows as Parameters<typeof entryOfRow>[0][]).map(entryOfRow) };
}
