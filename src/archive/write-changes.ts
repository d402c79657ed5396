import { articleKey } from './article-key.js';
import type { ArticleRecord, SearchableText } from './entry.js';
import { PathKind, type IndexDb } from './index-db.js';
import type { FileEntry } from './archive.js';
import { foldText } from '../search/fold.js';
import { SHARDS, shardOf, shardSchema, shardWriter, type FoldedText } from './text-shards.js';

/** One change to content/, as the watcher or a scan found it. */
export type Change =
  /** `cutOff`: the file looks unfinished (article/cut-off.ts); the watcher waits before applying it */
  | { readonly kind: 'article'; readonly article: ArticleRecord; readonly cutOff?: boolean }
  | { readonly kind: 'file'; readonly entry: FileEntry }
  | { readonly kind: 'remove'; readonly relPath: string }
  | { readonly kind: 'dir'; readonly relDir: string }
  | { readonly kind: 'remove-dir'; readonly relDir: string };

export function parentOf(relPath: string): string {
  const slash = relPath.lastIndexOf('/');
  return slash < 0 ? '' : relPath.slice(0, slash);
}

/** The tables an article's tags and links go to: their own, or a cold start's staging tables (bulk-load.ts). */
export interface RowTables {
  readonly tags: string;
  readonly links: string;
}

export const ROW_TABLES: RowTables = { tags: 'tags', links: 'links' };

const statements = new WeakMap<IndexDb, Map<RowTables, ReturnType<typeof prepare>>>();

function prepare(db: IndexDb, into: RowTables) {
  const st = (sql: string) => db.prepare(sql);
  return {
    keyTaken: st('SELECT 1 FROM articles WHERE key = ?').pluck(),
    keyOfPath: st('SELECT key FROM articles WHERE path = ?').pluck(),
    insertArticle: st(`INSERT INTO articles (key, path, id, selector, site, title, title_key, date, size, mtime, broken)
      VALUES (@key, @path, @id, @selector, @site, @title, @titleKey, @date, @size, @mtime, @broken)`),
    deleteArticle: st('DELETE FROM articles WHERE key = ?'),
    insertTag: st(`INSERT OR IGNORE INTO ${into.tags} (slug, article, name) VALUES (?, ?, ?)`),
    deleteTags: st(`DELETE FROM ${into.tags} WHERE article = ?`),
    insertLink: st(`INSERT OR IGNORE INTO ${into.links} (target, article) VALUES (?, ?)`),
    deleteLinks: st(`DELETE FROM ${into.links} WHERE article = ?`),
    upsertPath: st(`INSERT INTO paths (path, parent, kind, size, mtime) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (path) DO UPDATE SET kind = excluded.kind, size = excluded.size, mtime = excluded.mtime`),
    insertFolder: st(`INSERT OR IGNORE INTO paths (path, parent, kind, size, mtime) VALUES (?, ?, ${PathKind.folder}, 0, 0)`),
    deletePath: st('DELETE FROM paths WHERE path = ?'),
    keysUnder: st("SELECT key FROM articles WHERE path >= ? || '/' AND path < ? || '0'").pluck(),
    deleteUnder: st("DELETE FROM paths WHERE path = ? OR (path >= ? || '/' AND path < ? || '0')"),
    shards: Array.from({ length: SHARDS }, (_, n) => shardWriter(db, shardSchema(n))),
  };
}

function statementsOf(db: IndexDb, into: RowTables = ROW_TABLES): ReturnType<typeof prepare> {
  let byTables = statements.get(db);
  if (!byTables) statements.set(db, (byTables = new Map()));
  let s = byTables.get(into);
  if (!s) byTables.set(into, (s = prepare(db, into)));
  return s;
}

/**
 * Apply a batch in one transaction. An article's rows are replaced whole, so an edit never leaves half
 * of one. Its words are in a shard's file, committed just after the index's: a kill between the two
 * leaves words missing or of another version, which the next full-text pass finds and mends.
 */
export function writeChanges(db: IndexDb, changes: readonly Change[], into: RowTables = ROW_TABLES): void {
  const s = statementsOf(db, into);
  const addFolder = (relDir: string): void => {
    for (let p = relDir; p !== '' && s.insertFolder.run(p, parentOf(p)).changes > 0; p = parentOf(p));
  };
  // Each shard's words are written after the rest of the batch (text-shards.ts `put`).
  const texts = s.shards.map(() => new Map<number, FoldedText>());
  const dropArticle = (key: number): void => {
    texts[shardOf(key)]!.delete(key);
    s.shards[shardOf(key)]!.remove(key);
    s.deleteTags.run(key);
    s.deleteLinks.run(key);
    s.deleteArticle.run(key);
  };
  const dropPath = (relPath: string): void => {
    const key = s.keyOfPath.get(relPath) as number | undefined;
    if (key !== undefined) dropArticle(key);
    s.deletePath.run(relPath);
  };
  const apply = (): void => {
    for (const c of changes) {
      switch (c.kind) {
        case 'article': {
          const { entry, titleKey, tags, linkIds, text } = c.article;
          dropPath(entry.relPath);
          addFolder(parentOf(entry.relPath));
          const key = articleKey(entry.date, entry.relPath, (k) => s.keyTaken.get(k) !== undefined);
          s.insertArticle.run({
            key, path: entry.relPath, id: entry.id ?? null, selector: entry.selector, site: entry.site,
            title: entry.title, titleKey, date: entry.date, size: entry.size,
            mtime: entry.mtimeMs, broken: entry.broken ?? null,
          });
          s.upsertPath.run(entry.relPath, parentOf(entry.relPath), PathKind.article, entry.size, entry.mtimeMs);
          for (const t of tags) s.insertTag.run(t.slug, key, t.name);
          for (const id of linkIds) s.insertLink.run(id, key);
          if (text) texts[shardOf(key)]!.set(key, { key, size: entry.size, mtime: entry.mtimeMs, ...foldedText(text) });
          break;
        }
        case 'file':
          dropPath(c.entry.relPath);
          addFolder(parentOf(c.entry.relPath));
          s.upsertPath.run(c.entry.relPath, parentOf(c.entry.relPath), PathKind.file, c.entry.size, c.entry.mtimeMs);
          break;
        case 'remove':
          dropPath(c.relPath);
          break;
        case 'dir':
          addFolder(c.relDir);
          break;
        case 'remove-dir':
          for (const key of s.keysUnder.all(c.relDir, c.relDir) as number[]) dropArticle(key);
          s.deleteUnder.run(c.relDir, c.relDir, c.relDir);
          break;
      }
    }
    s.shards.forEach((shard, n) => shard.put([...texts[n]!.values()]));
  };
  // Inside a transaction the caller holds open (archive.ts `begin`): no savepoint, which would copy
  // every page it changes to a sub-journal first.
  if (db.inTransaction) return apply();
  // IMMEDIATE: the write lock up front. A deferred transaction that read first could not upgrade once
  // another connection (a full-text process) had written, and SQLite would fail it at once.
  db.transaction(apply).immediate();
}

/** What the full-text index is given of an article: its words folded (search/fold.ts) as every query is. */
export const foldedText = (text: SearchableText): SearchableText => ({ title: foldText(text.title), body: foldText(text.body) });
