import path from 'node:path';
import type { IndexDb } from './index-db.js';
import { parseArticleBytes, searchableText, type FileReader } from './read-article.js';
import { foldedText } from './write-changes.js';
import { SHARDS, shardWriter, type FoldedText, type TextVersion } from './text-shards.js';

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
export interface UnindexedRow extends TextVersion {
  readonly key: number;
  readonly path: string;
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
      texts.push({ key: r.key, size: r.size, mtime: r.mtime, ...foldedText(searchableText(parseArticleBytes(f.bytes, r.path))) });
    } catch {
      // unreadable now: the row stays as the scan found it, and the next scan or event retries
    }
  }
  return texts;
}

/** What a shard held of each article listed, when it was listed: a write since then (the watcher's) wins. */
type Held = Map<number, TextVersion | undefined>;

/** A batch as listed, and as read: the words of its rows, and words the shard holds of articles gone. */
interface Batch {
  readonly texts: FoldedText[];
  readonly held: Held;
  readonly orphans: Map<number, TextVersion>;
}

const sameVersion = (a: TextVersion | undefined, b: TextVersion | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.size === b.size && a.mtime === b.mtime);

/**
 * The full-text pass of one shard (text-shards.ts): the articles whose words it lacks, or holds of
 * another version of their file (a start-up scan puts titles, dates and tags in first, so menus serve
 * sooner; a kill can fall between the index's commit and the shard's), newest first, and words it
 * holds of articles gone. Files are read by `read` (a thread: read-thread.ts) while the batch before
 * is written; each batch is one transaction, so a kill loses at most the batch in hand.
 */
export class FullTextPass {
  private readonly listArticles;
  private readonly listVersions;
  private readonly commit: (batch: Batch) => number;
  private readonly merge;
  private readonly configure: (settings: typeof DEFAULTS) => void;
  private readonly totalChanges;

  /** `articles`: a connection to the index; `shardDb`: one to shard `shard`'s own file, which this writes. */
  constructor(articles: IndexDb, shardDb: IndexDb, shard: number, private readonly read: (rows: readonly UnindexedRow[]) => Promise<FoldedText[]>) {
    this.listArticles = articles.prepare(`SELECT key, path, size, mtime FROM articles WHERE key < ? AND key % ${SHARDS} = ${shard} ORDER BY key DESC LIMIT ${BATCH}`);
    this.listVersions = shardDb.prepare('SELECT key, size, mtime FROM texts WHERE key < ? AND key >= ?');
    const writer = shardWriter(shardDb, 'main');
    const commit = shardDb.transaction(({ texts, held, orphans }: Batch) => {
      const unchanged = texts.filter((t) => sameVersion(writer.version(t.key), held.get(t.key)));
      writer.put(unchanged);
      for (const [key, version] of orphans) if (sameVersion(writer.version(key), version)) writer.remove(key);
      return unchanged.length;
    });
    this.commit = (batch) => commit.immediate(batch);
    this.merge = shardDb.prepare(`INSERT INTO fulltext (fulltext, rank) VALUES ('merge', ${MERGE_PAGES})`);
    this.configure = (settings) => {
      for (const [name, value] of Object.entries(settings)) shardDb.exec(`INSERT INTO fulltext (fulltext, rank) VALUES ('${name}', ${value})`);
    };
    this.totalChanges = shardDb.prepare('SELECT total_changes()').pluck();
  }

  /** Index every article the shard lacks once; the number indexed. Articles added meanwhile wait for the next run. */
  async run(): Promise<number> {
    this.configure(WHILE_RUNNING);
    try {
      return await this.indexAll();
    } finally {
      // Also after a run cut off by a kill: the next start's run ends here.
      this.configure(DEFAULTS);
    }
  }

  /** The next `BATCH` of the shard's articles below `below`: those whose words it lacks, and what it held. */
  private list(below: number): { rows: UnindexedRow[]; held: Held; orphans: Map<number, TextVersion>; next: number } {
    const articles = this.listArticles.all(below) as UnindexedRow[];
    const next = articles.length < BATCH ? Number.MIN_SAFE_INTEGER : articles[articles.length - 1]!.key;
    const versions = new Map((this.listVersions.all(below, next) as (TextVersion & { key: number })[]).map((v) => [v.key, v]));
    const rows: UnindexedRow[] = [];
    const held: Held = new Map();
    for (const a of articles) {
      const v = versions.get(a.key);
      versions.delete(a.key);
      if (sameVersion(v, a)) continue;
      rows.push(a);
      held.set(a.key, v);
    }
    // Left over: words whose article has no row (a kill fell between the index's commit and the shard's).
    return { rows, held, orphans: versions, next };
  }

  private async indexAll(): Promise<number> {
    let below = Number.MAX_SAFE_INTEGER;
    let indexed = 0;
    const reading: Promise<Batch>[] = [];
    for (;;) {
      while (reading.length < READ_AHEAD && below > Number.MIN_SAFE_INTEGER) {
        const { rows, held, orphans, next } = this.list(below);
        below = next;
        if (rows.length + orphans.size > 0) reading.push(this.read(rows).then((texts) => ({ texts, held, orphans })));
      }
      const batch = await reading.shift();
      if (batch === undefined) return indexed;
      // Oldest first within the batch: FTS5 writes its pending words out as a segment whenever a rowid
      // is not larger than the last, so newest-first order would make one segment per article.
      batch.texts.reverse();
      indexed += this.commit(batch);
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
