import { availableParallelism } from 'node:os';
import { Archive } from './archive.js';
import { CREATE_LOOKUP_INDEXES, DROP_LOOKUP_INDEXES, LOADING_VERSION, SCHEMA_VERSION, type IndexDb } from './index-db.js';
import { scanContent, type ScanCounts } from './scan.js';
import type { RowTables } from './write-changes.js';

/** Tags and links while a bulk load runs: appended to temporary tables, which go when the connection does. */
const STAGING: RowTables = { tags: 'temp.tags_staged', links: 'temp.links_staged' };

/**
 * Files written per transaction: nothing reads the index beside a bulk load, and every transaction
 * rewrites the pages it touched of the tables the scan fills.
 */
const TRANSACTION = 5000;
/**
 * Threads reading and parsing files: at 1,000,000 articles one thread reading took ~105 µs an article
 * and the writer ~70, so with one the writer waited a third of the time.
 */
const READERS = 2;

/**
 * A cold start's scan into an empty index. Row by row, the tag and link tables (ordered by tag and
 * by target, an order no walk of the folders follows) and the lookup indexes had most of their pages
 * rewritten by every transaction: at 1,000,000 articles a row cost ~7 times what it did at 100,000.
 * So the scan appends tags and links to staging tables with the lookup indexes dropped, and each
 * table and index is then filled once, in sorted order. Until that is done the database says it is
 * loading (index-db.ts), so that a process killed meanwhile leaves an index the next start rebuilds.
 */
export async function bulkLoad(db: IndexDb, root: string, rootReal: string, errors: (line: string) => void): Promise<ScanCounts> {
  markLoading(db);
  db.exec(`${DROP_LOOKUP_INDEXES}
    CREATE TEMP TABLE tags_staged (slug TEXT, article INTEGER, name TEXT);
    CREATE TEMP TABLE links_staged (target TEXT, article INTEGER);`);
  const counts = await scanContent(root, rootReal, new Archive(db, STAGING), { withText: false, errors, transaction: TRANSACTION, readers: READERS });
  // The fill is sorts (the tables in key order, then each index) on an otherwise idle machine: SQLite's
  // sorter merges on helper threads (the fill at 1,000,000 articles: ~20 s on one).
  db.pragma(`threads = ${availableParallelism()}`);
  // `rowid` last: of two spellings of one tag in an article, the first written wins, as row by row.
  const finish = db.transaction(() =>
    db.exec(`INSERT OR IGNORE INTO tags SELECT slug, article, name FROM temp.tags_staged ORDER BY slug, article, rowid;
      INSERT OR IGNORE INTO links SELECT target, article FROM temp.links_staged ORDER BY target, article;
      ${CREATE_LOOKUP_INDEXES}
      DROP TABLE temp.tags_staged;
      DROP TABLE temp.links_staged;
      PRAGMA user_version = ${SCHEMA_VERSION};`),
  );
  finish.immediate();
  return counts;
}

/** From now until a bulk load ends, the database is not an index: a start that finds it so rebuilds it. */
export function markLoading(db: IndexDb): void {
  db.pragma(`user_version = ${LOADING_VERSION}`);
}
