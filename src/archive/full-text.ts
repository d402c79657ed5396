import path from 'node:path';
import type { IndexDb } from './index-db.js';
import { parseArticleBytes, searchableText, type FileReader } from './read-article.js';
import { insertFoldedText, foldedText } from './write-changes.js';
import type { SearchableText } from './entry.js';

/**
 * Articles indexed per transaction: each commit writes what it indexed out as one new segment, so
 * larger batches mean fewer segments to merge; the watcher waits at most one batch (~0.1 s) for the lock.
 */
const BATCH = 500;
/** Batches being read ahead of the one being written: enough to keep the reading thread busy. */
const READ_AHEAD = 2;
/**
 * FTS5's merge settings while a run indexes (a cold start's hundreds of thousands of articles): no
 * merging as it writes, which rewrote each word's list once per level (a fifth of the time at
 * 100,000), only when 64 segments pile up on a level; a batch's words held in memory until it commits.
 * After a run, FTS5's defaults, and what is left is merged (`mergeSegments`).
 */
const WHILE_RUNNING = { automerge: 0, crisismerge: 64, hashsize: 16 << 20 };
const DEFAULTS = { automerge: 4, crisismerge: 16, hashsize: 1 << 20 };
/** Pages of the full-text index one 'merge' step writes: one step holds the write lock ~50 ms. */
const MERGE_PAGES = 200;
/** A bound on the merge steps after one run (1,000,000 articles need a few thousand). */
const MAX_MERGES = 20_000;

/** An article's row as the pass finds it: the file it expects to read. */
export interface UnindexedRow {
  readonly key: number;
  readonly path: string;
  readonly size: number;
  readonly mtime: number;
}

/** An article's words, folded for the index (search/fold.ts). */
export interface FoldedText extends SearchableText {
  readonly key: number;
}

/**
 * The rows' files read and their words folded, blocking; a file that no longer matches its row is
 * left out (the scan or the watcher will replace the row), as is one that cannot be read now.
 */
export function readTexts(root: string, rows: readonly UnindexedRow[], reader: FileReader): FoldedText[] {
  const texts: FoldedText[] = [];
  for (const r of rows) {
    try {
      const f = reader.read(path.join(root, r.path));
      if (f.size !== r.size || f.mtimeMs !== r.mtime) continue;
      texts.push({ key: r.key, ...foldedText(searchableText(parseArticleBytes(f.bytes, r.path))) });
    } catch {
      // unreadable now: the row stays as the scan found it, and the next scan or event retries
    }
  }
  return texts;
}

/**
 * The full-text pass: articles whose words are not in the index yet (a start-up scan puts titles,
 * dates and tags in first, so menus serve sooner), newest first. Files are read by `read` (a thread:
 * read-thread.ts) while the batch before is written; each batch is one transaction, so a kill loses
 * at most the batch in hand.
 */
export class FullTextPass {
  private readonly pending;
  private readonly commit: (texts: readonly FoldedText[]) => void;
  private readonly merge;
  private readonly configure: (settings: typeof DEFAULTS) => void;
  private readonly totalChanges;

  constructor(db: IndexDb, private readonly read: (rows: readonly UnindexedRow[]) => Promise<FoldedText[]>) {
    this.pending = db.prepare('SELECT key, path, size, mtime FROM articles WHERE indexed = 0 AND key < ? ORDER BY key DESC LIMIT ?');
    const commit = db.transaction((texts: readonly FoldedText[]) => {
      for (const t of texts) insertFoldedText(db, t.key, t);
    });
    this.commit = (texts) => commit.immediate(texts);
    this.merge = db.prepare(`INSERT INTO fulltext (fulltext, rank) VALUES ('merge', ${MERGE_PAGES})`);
    this.configure = (settings) => {
      for (const [name, value] of Object.entries(settings)) db.exec(`INSERT INTO fulltext (fulltext, rank) VALUES ('${name}', ${value})`);
    };
    this.totalChanges = db.prepare('SELECT total_changes()').pluck();
  }

  /** Index every article without text once; the number indexed. Articles added meanwhile wait for the next run. */
  async run(): Promise<number> {
    this.configure(WHILE_RUNNING);
    try {
      return await this.indexAll();
    } finally {
      // Also after a run cut off by a kill: the next start's run ends here.
      this.configure(DEFAULTS);
    }
  }

  private async indexAll(): Promise<number> {
    let below = Number.MAX_SAFE_INTEGER;
    let indexed = 0;
    const reading: Promise<FoldedText[]>[] = [];
    for (;;) {
      while (reading.length < READ_AHEAD && below > Number.MIN_SAFE_INTEGER) {
        const rows = this.pending.all(below, BATCH) as UnindexedRow[];
        below = rows.length === 0 ? Number.MIN_SAFE_INTEGER : rows[rows.length - 1]!.key;
        if (rows.length > 0) reading.push(this.read(rows));
      }
      const texts = await reading.shift();
      if (texts === undefined) return indexed;
      // Oldest first within the batch: FTS5 writes its pending words out as a segment whenever a rowid
      // is not larger than the last, so newest-first order would make one segment per article.
      this.commit(texts.reverse());
      indexed += texts.length;
    }
  }

  /**
   * After a run of `indexed` articles: merge the segments it left (up to 64 per level) down to what
   * FTS5 keeps by default, a slice at a time, so that searches read fewer. Every word is searchable
   * before this starts.
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
