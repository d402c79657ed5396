import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { generateArchive } from '../helpers/archive-gen.js';
import { fullTextIndexed, killAll, search, serveArgs, spawnServe } from '../helpers/index-server.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The full-text index is in two files beside index.sqlite (`fulltext-0.sqlite`, `fulltext-1.sqlite`,
 * an article's key modulo 2), committed after it: a kill between the two commits leaves a shard
 * without an article's words, with the words of an older version of its file, or with words of an
 * article the index no longer has. Such a shard is made here by hand, as the kill would leave it, and
 * the next start must mend it: searches answer as they would on a fresh index.
 */
describe('the full-text shards after a kill between commits', () => {
  const tmp = tempDir('gp-index-shards-');
  const content = path.join(tmp, 'content');
  const state = path.join(tmp, 'state');
  const COUNT = 40;
  afterAll(() => killAll());

  /** One row from index.sqlite, read as a stopped server left it. */
  const fromIndex = (sql: string, arg: unknown): unknown => {
    const db = new Database(path.join(state, 'index.sqlite'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).pluck().get(arg);
    } finally {
      db.close();
    }
  };
  const keyOf = (relPath: string): number => fromIndex('SELECT key FROM articles WHERE path = ?', relPath) as number;
  const inShard = (key: number, write: (db: Database.Database) => void): void => {
    const db = new Database(path.join(state, `fulltext-${key % 2}.sqlite`), { fileMustExist: true });
    try {
      db.transaction(() => write(db)).immediate();
    } finally {
      db.close();
    }
  };

  it('finds what a shard lacks, holds of an older file or holds of no article, and mends it at the next start', async () => {
    generateArchive(content, COUNT, 3);
    const first = spawnServe(serveArgs(content, state, ['--no-watch']));
    const firstPort = await first.port();
    expect(await fullTextIndexed(first)).toBe(COUNT);
    for (const word of ['Wort2000005', 'Wort2000006']) expect((await search(firstPort, word)).count).toBe(`1 article found for: ${word}`);
    expect(await first.stop()).toBe(0);

    // Missing: the index has the article, its shard has neither its words nor their version.
    const missing = keyOf('Gen/!2000005.txt');
    inShard(missing, (db) => {
      db.prepare('DELETE FROM fulltext WHERE rowid = ?').run(missing);
      db.prepare('DELETE FROM texts WHERE key = ?').run(missing);
    });
    // Stale: the shard's words are of another version of the file (a different mtime).
    const stale = keyOf('Gen/!2000006.txt');
    inShard(stale, (db) => {
      db.prepare('DELETE FROM fulltext WHERE rowid = ?').run(stale);
      db.prepare("INSERT INTO fulltext (rowid, title, body) VALUES (?, 'altertitel', 'altwort')").run(stale);
      db.prepare('UPDATE texts SET mtime = mtime - 60000 WHERE key = ?').run(stale);
    });
    // Orphan: words under a key the index has no article for, in the shard that key belongs to.
    const orphan = stale + 2;
    expect(fromIndex('SELECT count(*) FROM articles WHERE key = ?', orphan)).toBe(0);
    inShard(orphan, (db) => {
      db.prepare("INSERT INTO fulltext (rowid, title, body) VALUES (?, 'waisentitel', 'waisenwort')").run(orphan);
      db.prepare('INSERT INTO texts (key, size, mtime) VALUES (?, 1, 1)').run(orphan);
    });

    const second = spawnServe(serveArgs(content, state, ['--no-watch']));
    const port = await second.port();
    // Three mended: the missing and the stale article indexed again, the orphan's words removed.
    expect(await fullTextIndexed(second)).toBe(2);
    expect((await search(port, 'Wort2000005')).count).toBe('1 article found for: Wort2000005');
    expect((await search(port, 'Wort2000006')).count).toBe('1 article found for: Wort2000006');
    expect((await search(port, 'altwort')).count).toBe('0 articles found for: altwort');
    expect((await search(port, 'waisenwort')).count).toBe('0 articles found for: waisenwort');
    expect((await search(port, 'Gemeinsamer Text')).count).toBe(`${COUNT} articles found for: Gemeinsamer Text`);
    expect(second.stderr.join('')).not.toContain('is damaged');
    expect(await second.stop()).toBe(0);
  });
});
