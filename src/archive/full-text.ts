import path from 'node:path';
import type { IndexDb } from './index-db.js';
import { FileReader, parseArticleBytes, searchableText } from './read-article.js';
import { insertText } from './write-changes.js';

/** Articles indexed per transaction: a reader or the watcher waits at most one batch (~50 ms) for the lock. */
const BATCH = 200;
/** Pages of the full-text index one 'merge' step writes: one step holds the write lock ~50 ms. */
const MERGE_PAGES = 200;
/** A bound on the merge steps after one run (1,000,000 articles need a few thousand). */
const MAX_MERGES = 20_000;

/**
 * The full-text pass: articles whose words are not in the index yet (a start-up scan puts titles,
 * dates and tags in first, so menus serve sooner), newest first. Each batch is one transaction, so a
 * kill loses at most the batch in hand. A file that no longer matches its row is left to the scan or
 * the watcher, which will replace the row.
 */
export class FullTextPass {
  private readonly reader = new FileReader();
  private readonly pending;
  private readonly commit: (texts: { key: number; title: string; body: string }[]) => void;

  private readonly merge;
  private readonly totalChanges;

  constructor(private readonly db: IndexDb, private readonly root: string) {
    this.merge = db.prepare(`INSERT INTO fulltext (fulltext, rank) VALUES ('merge', ${MERGE_PAGES})`);
    this.totalChanges = db.prepare('SELECT total_changes()').pluck();
    this.pending = db.prepare('SELECT key, path, size, mtime FROM articles WHERE indexed = 0 AND key < ? ORDER BY key DESC LIMIT ?');
    const commit = db.transaction((texts: { key: number; title: string; body: string }[]) => {
      for (const t of texts) insertText(db, t.key, t);
    });
    this.commit = (texts) => commit.immediate(texts);
  }

  /** Index every article without text once; the number indexed. Articles added meanwhile wait for the next run. */
  run(onBatch?: (indexed: number) => void): number {
    let below = Number.MAX_SAFE_INTEGER;
    let indexed = 0;
    for (;;) {
      const rows = this.pending.all(below, BATCH) as { key: number; path: string; size: number; mtime: number }[];
      if (rows.length === 0) return indexed;
      below = rows[rows.length - 1]!.key;
      const texts: { key: number; title: string; body: string }[] = [];
      for (const r of rows) {
        try {
          const f = this.reader.read(path.join(this.root, r.path));
          if (f.size !== r.size || f.mtimeMs !== r.mtime) continue;
          texts.push({ key: r.key, ...searchableText(parseArticleBytes(f.bytes, r.path)) });
        } catch {
          // unreadable now: the row stays as the scan found it, and the next scan or event retries
        }
      }
      // Oldest first within the batch: FTS5 writes its pending words out as a segment whenever a rowid
      // is not larger than the last, so newest-first order would make one segment per article.
      this.commit(texts.reverse());
      indexed += texts.length;
      onBatch?.(indexed);
    }
  }

  /**
   * After a run of `indexed` articles: merge the segments a bulk run left (the table lets 8 pile up
   * per level while writing, which writes faster) down to what FTS5 keeps by default, a slice at a
   * time, so that searches read fewer. Every word is searchable before this starts.
   */
  mergeSegments(indexed: number): void {
    if (indexed < BATCH) return;
    for (let i = 0; i < MAX_MERGES; i++) {
      const before = this.totalChanges.get() as number;
      this.merge.run();
      // SQLite's documented test: a 'merge' that changed fewer than 2 rows found nothing left to do.
      if ((this.totalChanges.get() as number) - before < 2) return;
    }
  }
}
