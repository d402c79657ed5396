import path from 'node:path';
import type { IndexDb } from './index-db.js';
import { FileReader, parseArticleBytes, searchableText } from './read-article.js';
import { insertText } from './write-changes.js';

/** Articles indexed per transaction: a reader or the watcher waits at most one batch (~50 ms) for the lock. */
const BATCH = 200;

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

  constructor(private readonly db: IndexDb, private readonly root: string) {
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
      this.commit(texts);
      indexed += texts.length;
      onBatch?.(indexed);
    }
  }
}
