import path from 'node:path';
import type { IndexDb } from './index-db.js';
import type { SearchableText } from './entry.js';

/**
 * The full-text index lives in database files of its own, each holding the articles whose key
 * leaves its number as the remainder: SQLite lets one process write a file at a time, and indexing
 * a cold archive's words took one writer ~290 s at 1,000,000 articles; two files take two writers.
 * The index's connections attach them as `text0`, `text1`.
 */
export const SHARDS = 2;

export const shardOf = (key: number): number => key % SHARDS;

export const shardSchema = (n: number): string => `text${n}`;

/** The shards' files beside the index's. */
export const shardFiles = (indexFile: string): string[] =>
  Array.from({ length: SHARDS }, (_, n) => path.join(path.dirname(indexFile), `fulltext-${n}.sqlite`));

/**
 * A shard: the words (contentless: the article files are the text, the index keeps only positions,
 * rowid = the article's key, so the newest hits come first without a sort), and which version of each
 * article's file they are from. That record is in the same file as the words, so that a kill between
 * the commits of the index and of a shard leaves a difference the next full-text pass sees and mends.
 */
export const shardTables = (schema: string): string => `
CREATE VIRTUAL TABLE ${schema}.fulltext USING fts5(title, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');
INSERT INTO ${schema}.fulltext (fulltext, rank) VALUES ('pgsz', 16000);
CREATE TABLE ${schema}.texts (key INTEGER PRIMARY KEY, size INTEGER NOT NULL, mtime REAL NOT NULL);
-- Kept by the writes, as article_count: the search menu shows how far indexing has come.
CREATE TABLE ${schema}.text_count (n INTEGER NOT NULL);
INSERT INTO ${schema}.text_count VALUES (0);
CREATE TRIGGER ${schema}.text_added AFTER INSERT ON texts BEGIN UPDATE text_count SET n = n + 1; END;
CREATE TRIGGER ${schema}.text_removed AFTER DELETE ON texts BEGIN UPDATE text_count SET n = n - 1; END;
`;

/** Attach the shards' files to a connection to the index, each as `textN`. */
export function attachShards(db: IndexDb, files: readonly string[]): void {
  files.forEach((file, n) => db.prepare('ATTACH ? AS ' + shardSchema(n)).run(file));
}

/** The version of an article's file whose words a shard holds. */
export interface TextVersion {
  readonly size: number;
  readonly mtime: number;
}

/** An article's words, folded for the index (search/fold.ts), and the version of the file they are from. */
export interface FoldedText extends SearchableText, TextVersion {
  readonly key: number;
}

/** Writing one shard's words: `schema` is `main` on a connection to the shard's file, else `textN`. */
export function shardWriter(db: IndexDb, schema: string) {
  const version = db.prepare(`SELECT size, mtime FROM ${schema}.texts WHERE key = ?`);
  const insertWords = db.prepare(`INSERT INTO ${schema}.fulltext (rowid, title, body) VALUES (?, ?, ?)`);
  const deleteWords = db.prepare(`DELETE FROM ${schema}.fulltext WHERE rowid = ?`);
  const insertVersion = db.prepare(`INSERT INTO ${schema}.texts (key, size, mtime) VALUES (?, ?, ?)`);
  const deleteVersion = db.prepare(`DELETE FROM ${schema}.texts WHERE key = ?`);
  const remove = (key: number): void => {
    // Only what is there: deleting an absent rowid would still write a tombstone into the index.
    if (deleteVersion.run(key).changes > 0) deleteWords.run(key);
  };
  /** Articles' folded words (write-changes.ts `foldedText`), replacing any they had. */
  const put = (texts: readonly FoldedText[]): void => {
    for (const t of texts) remove(t.key);
    for (const t of texts) insertWords.run(t.key, t.title, t.body);
    // After all the words: a write to this table runs its trigger in a savepoint, and FTS5 writes the
    // words it holds in memory out as a segment at each savepoint (one an article took twice as long).
    for (const t of texts) insertVersion.run(t.key, t.size, t.mtime);
  };
  return { version: (key: number) => version.get(key) as TextVersion | undefined, remove, put };
}
