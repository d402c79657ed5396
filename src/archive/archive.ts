import { titleKey, type ArticleEntry } from './entry.js';
import { PathKind, type IndexDb } from './index-db.js';
import { ROW_TABLES, writeChanges, type Change, type RowTables } from './write-changes.js';
import { slugify, tagSlug } from './selectors.js';
import { SHARDS, shardSchema } from './text-shards.js';

export type { Change };

/** A non-article file in content/: served as stored, typed by its name. */
export interface FileEntry {
  readonly relPath: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface TagInfo {
  readonly slug: string;
  /** the first spelling by name, when articles spell a tag differently */
  readonly name: string;
  readonly count: number;
}

/** A group of dated articles: a year (`2025`), a month (`2025-04`) or a day (`2025-04-26`). */
export interface DateGroup {
  readonly prefix: string;
  readonly count: number;
}

interface ArticleRow {
  key: number;
  path: string;
  id: string | null;
  selector: string;
  site: string;
  title: string;
  date: string;
  size: number;
  mtime: number;
  broken: string | null;
}

/** The columns `entryOfRow` reads, of `articles a`. */
export const ARTICLE = 'a.key, a.path, a.id, a.selector, a.site, a.title, a.date, a.size, a.mtime, a.broken';

export function entryOfRow(r: ArticleRow): ArticleEntry {
  return {
    relPath: r.path, id: r.id ?? undefined, selector: r.selector, site: r.site, title: r.title,
    date: r.date, size: r.size, mtimeMs: r.mtime, ...(r.broken !== null && { broken: r.broken }),
  };
}

/**
 * The archive: what the index database says about content/, read plainly with SQL. Every commit to
 * the database moves `generation` (another process's by SQLite's `data_version`, looked at whenever
 * the generation is), so caches keyed by it drop what the change made stale.
 */
export class Archive {
  private dataVersion: number;
  private version = 0;
  private memo = new Map<string, unknown>();
  private memoGeneration = -1;
  private readonly q;

  /** `into`: where `apply` writes tags and links (a cold start's bulk load stages them, bulk-load.ts) */
  constructor(readonly db: IndexDb, private readonly into: RowTables = ROW_TABLES) {
    const st = (sql: string) => db.prepare(sql);
    this.q = {
      // The index's and each shard's: a full-text process writes only its shard.
      dataVersions: ['main', ...Array.from({ length: SHARDS }, (_, n) => shardSchema(n))].map((schema) => st(`PRAGMA ${schema}.data_version`).pluck()),
      byId: st(`SELECT ${ARTICLE} FROM articles a WHERE a.id = ? ORDER BY a.key DESC LIMIT 1`),
      byPath: st(`SELECT ${ARTICLE} FROM articles a WHERE a.path = ?`),
      byTitle: st(`SELECT ${ARTICLE} FROM articles a WHERE a.title_key = ? ORDER BY a.key DESC LIMIT 20`),
      path: st('SELECT kind, size, mtime FROM paths WHERE path = ?'),
      children: st('SELECT substr(path, length(parent) + (parent <> \'\') + 1) AS name FROM paths WHERE parent = ?').pluck(),
      contents: st('SELECT substr(path, length(parent) + (parent <> \'\') + 1) AS name, kind, size, mtime FROM paths WHERE parent = ?'),
      count: st('SELECT n FROM article_count').pluck(),
      unindexed: st(`SELECT max(0, (SELECT n FROM article_count)${Array.from({ length: SHARDS }, (_, n) => ` - (SELECT n FROM ${shardSchema(n)}.text_count)`).join('')})`).pluck(),
      newest: st(`SELECT ${ARTICLE} FROM articles a ORDER BY a.key DESC LIMIT ? OFFSET ?`),
      inRange: st(`SELECT ${ARTICLE} FROM articles a WHERE a.key BETWEEN ? AND ? ORDER BY a.key DESC LIMIT ? OFFSET ?`),
      countRange: st('SELECT count(*) FROM articles WHERE key BETWEEN ? AND ?').pluck(),
      tags: st('SELECT slug, min(name) AS name, count(*) AS count FROM tags GROUP BY slug'),
      tag: st('SELECT min(name) AS name, count(*) AS count FROM tags WHERE slug = ?'),
      // From each tag straight to the next in the index (a loose index scan): a seek per tag, where
      // count(DISTINCT slug) reads every article's tag row, a second at 1,000,000 articles.
      tagCount: st(`WITH RECURSIVE s(slug) AS (SELECT min(slug) FROM tags
        UNION ALL SELECT (SELECT min(slug) FROM tags WHERE slug > s.slug) FROM s WHERE s.slug IS NOT NULL)
        SELECT count(slug) FROM s`).pluck(),
      tagged: st(`SELECT ${ARTICLE} FROM tags t JOIN articles a ON a.key = t.article WHERE t.slug = ? ORDER BY t.article DESC LIMIT ? OFFSET ?`),
      linksTo: st(`SELECT ${ARTICLE} FROM links l JOIN articles a ON a.key = l.article WHERE l.target = ? ORDER BY l.article DESC LIMIT ?`),
      dates: st("SELECT substr(date, 1, ?) AS prefix, count(*) AS count FROM articles WHERE date LIKE ? || '%' AND date <> '' GROUP BY prefix ORDER BY prefix DESC"),
      undated: st("SELECT count(*) FROM articles WHERE date = ''").pluck(),
    };
    this.dataVersion = this.dataVersionNow();
  }

  /** Moves with every change to the archive, by this process or another. */
  get generation(): number {
    // Asked of SQLite each time (a microsecond): a worker never answers from a cache that another
    // worker's answer has already shown to be stale.
    this.checkForChanges();
    return this.version;
  }

  /** Each file's count only grows (SQLite adds one per commit it sees of another connection): their sum moves with any. */
  private dataVersionNow(): number {
    let sum = 0;
    for (const s of this.q.dataVersions) sum += s.get() as number;
    return sum;
  }

  private checkForChanges(): void {
    const v = this.dataVersionNow();
    if (v !== this.dataVersion) {
      this.dataVersion = v;
      this.version++;
    }
  }

  /** Apply a batch of changes in one transaction: a reader sees all of it or none. */
  apply(changes: readonly Change[]): void {
    if (changes.length === 0) return;
    writeChanges(this.db, changes, this.into);
    this.version++;
  }

  /**
   * Hold one transaction open across several `apply`s (each then written straight into it, no
   * savepoint), for a writer that nothing reads beside (a cold start's scan): this connection would
   * see the changes before they commit.
   */
  begin(): void {
    this.db.exec('BEGIN IMMEDIATE');
  }

  commit(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
  }

  rollback(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }

  /** Memoise a value derived from the archive until the next change. */
  derived<T>(key: string, build: () => T): T {
    if (this.memoGeneration !== this.generation) {
      this.memo = new Map();
      this.memoGeneration = this.version;
    }
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const v = build();
    this.memo.set(key, v);
    return v;
  }

  get articleCount(): number {
    return this.derived('count', () => this.q.count.get() as number);
  }

  /** Articles whose full text is not searchable yet (a cold start indexes it after serving). */
  get unindexedCount(): number {
    return this.derived('unindexed', () => this.q.unindexed.get() as number);
  }

  /** Two files with one id: the newer article answers. */
  byId(id: string): ArticleEntry | undefined {
    return this.entry(this.q.byId.get(id));
  }

  byRelPath(relPath: string): ArticleEntry | undefined {
    return this.entry(this.q.byPath.get(relPath));
  }

  /** Articles whose title folds to the same words as `title`, newest first. */
  byTitle(title: string): readonly ArticleEntry[] {
    return this.entries(this.q.byTitle.all(titleKey(title)));
  }

  file(relPath: string): FileEntry | undefined {
    const p = this.q.path.get(relPath) as { kind: number; size: number; mtime: number } | undefined;
    return p?.kind === PathKind.file ? { relPath, size: p.size, mtimeMs: p.mtime } : undefined;
  }

  /** Child names of a folder, or undefined when content/ has no such folder. */
  dir(relDir: string): readonly string[] | undefined {
    if (relDir !== '' && !this.isDir(relDir)) return undefined;
    return this.q.children.all(relDir) as string[];
  }

  /** What the index holds of one folder, by name (the walker compares it with the disk), or undefined for no such folder. */
  folderContents(relDir: string): Map<string, { folder: boolean; size: number; mtimeMs: number }> | undefined {
    if (relDir !== '' && !this.isDir(relDir)) return undefined;
    const rows = this.q.contents.all(relDir) as { name: string; kind: number; size: number; mtime: number }[];
    return new Map(rows.map((r) => [r.name, { folder: r.kind === PathKind.folder, size: r.size, mtimeMs: r.mtime }]));
  }

  isDir(relPath: string): boolean {
    if (relPath === '') return true;
    return (this.q.path.get(relPath) as { kind: number } | undefined)?.kind === PathKind.folder;
  }

  /** A page of all articles, newest first. */
  newest(offset: number, limit: number): readonly ArticleEntry[] {
    return this.entries(this.q.newest.all(limit, offset));
  }

  /** Articles by key range (article-key.ts `keyRange`), newest first. */
  inKeyRange(low: number, high: number, offset: number, limit: number): readonly ArticleEntry[] {
    return this.entries(this.q.inRange.all(low, high, limit, offset));
  }

  countInKeyRange(low: number, high: number): number {
    return this.q.countRange.get(low, high) as number;
  }

  /** Year, month or day groups (`prefixLength` 4, 7, 10) of the dates starting with `within`, newest first. */
  dateGroups(prefixLength: number, within: string): readonly DateGroup[] {
    return this.derived(`dates:${prefixLength}:${within}`, () => this.q.dates.all(prefixLength, within) as DateGroup[]);
  }

  get undatedCount(): number {
    return this.derived('undated', () => this.q.undated.get() as number);
  }

  /** Case-insensitive, so `/tag/energiewende` and `tag:energiewende` find `Energiewende`. */
  tag(slug: string): TagInfo | undefined {
    const t = this.q.tag.get(tagSlug(slug)) as { name: string | null; count: number };
    return t.count > 0 ? { slug: slugify(t.name!), name: t.name!, count: t.count } : undefined;
  }

  /** How many different tags there are. */
  get tagCount(): number {
    return this.derived('tagCount', () => this.q.tagCount.get() as number);
  }

  /** Every tag, sorted by name. */
  allTags(): readonly TagInfo[] {
    return this.derived('tags', () =>
      (this.q.tags.all() as { name: string; count: number }[])
        .map((t) => ({ slug: slugify(t.name), name: t.name, count: t.count }))
        .sort((a, b) => a.slug.localeCompare(b.slug, 'de')),
    );
  }

  tagged(slug: string, offset: number, limit: number): readonly ArticleEntry[] {
    return this.entries(this.q.tagged.all(tagSlug(slug), limit, offset));
  }

  /** The newest `limit` articles that link to article `id`. */
  linksTo(id: string, limit: number): readonly ArticleEntry[] {
    return this.entries(this.q.linksTo.all(id, limit));
  }

  close(): void {
    this.db.close();
  }

  private entry(row: unknown): ArticleEntry | undefined {
    return row === undefined ? undefined : entryOfRow(row as ArticleRow);
  }

  private entries(rows: unknown[]): ArticleEntry[] {
    return (rows as ArticleRow[]).map(entryOfRow);
  }
}
