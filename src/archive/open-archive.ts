import { realpathSync } from 'node:fs';
import path from 'node:path';
import { Archive } from './archive.js';
import { coldScan } from './cold-scan.js';
import { FullTextProcess } from './full-text-process.js';
import { INDEX_FILE, markClosedCleanly, openIndexForReading, openIndexForWriting, removeIndex, type IndexDb } from './index-db.js';
import { scanContent, type ScanCounts } from './scan.js';
import { startWatcher, type ContentWatcher } from '../watch.js';
import { SHARDS } from './text-shards.js';

export interface ArchiveLogs {
  readonly info: (line: string) => void;
  readonly error: (line: string) => void;
}

export interface WriterOptions {
  readonly root: string;
  readonly stateDir: string;
  readonly logs: ArchiveLogs;
  /** follow content/ (with `poll` for network file systems); false: --no-watch */
  readonly watch: false | { readonly poll: boolean };
  /** `--user`/`--group`, which the full-text process takes on as the server does */
  readonly runAs?: { readonly user?: string; readonly group?: string };
}

/** The process that owns the index: it scans, watches and writes; every other process only reads. */
export interface ArchiveWriter {
  readonly archive: Archive;
  /** resolves once every article's words are searchable, with the line that says so */
  readonly fullTextReady: Promise<string>;
  /** read content/ again and apply what changed (SIGHUP) */
  rescan(): Promise<ScanCounts>;
  close(): Promise<void>;
}

export const indexFile = (stateDir: string): string => path.join(stateDir, INDEX_FILE);

/** The writer's database: a damaged one (or another version's) is deleted and built again, with one line. */
function openDatabase(file: string, logs: ArchiveLogs): { db: IndexDb; fresh: boolean; closedCleanly: boolean } {
  const opened = openIndexForWriting(file);
  if (!('damaged' in opened)) return opened;
  logs.error(`index: ${file} is damaged (${opened.damaged}); rebuilding it from content/`);
  removeIndex(file);
  const again = openIndexForWriting(file);
  if ('damaged' in again) throw new Error(`cannot create the index ${file}: ${again.damaged}`);
  return again;
}

/**
 * Open the index for writing and bring it in line with content/. With a database from an earlier
 * run this resolves at once and the scan runs behind it; without one it resolves once every article's
 * title, date and tags are in (menus can be served) and the words follow in a process of their own.
 */
export async function openArchiveWriter(o: WriterOptions): Promise<ArchiveWriter> {
  const { root, logs } = o;
  const file = indexFile(o.stateDir);
  const { db, fresh, closedCleanly } = openDatabase(file, logs);
  const archive = new Archive(db);
  const rootReal = realpathSync(root);
  const started = Date.now();
  // Watch before scanning, so that nothing written during the scan is missed.
  const watcher: ContentWatcher | undefined = o.watch ? await startWatcher({ root, poll: o.watch.poll, info: logs.info, error: logs.error }) : undefined;
  const fullText = Array.from({ length: SHARDS }, (_, shard) => new FullTextProcess({ dbFile: file, shard, root, runAs: o.runAs }, db, logs.error));
  const scan = (withText: boolean): Promise<ScanCounts> =>
    scanContent(root, rootReal, archive, { withText, errors: logs.error });
  let scanned: Promise<unknown>;
  if (fresh) {
    await coldScan({ dbFile: file, db, root, rootReal, errors: logs.error });
    scanned = Promise.resolve();
  } else {
    scanned = scan(true).then((c) => {
      if (c.added + c.updated + c.removed > 0) logs.info(`content changed while stopped: ${c.added} added, ${c.updated} updated, ${c.removed} removed`);
    });
  }
  const fullTextReady = scanned.then(async () => {
    watcher?.follow(archive);
    // Only now: beside the scan, the two writers took turns at the lock and the menus came 3x later.
    // After a clean stop with every article's words in, no shard can lack or hold stale words (only
    // a kill between the index's commit and a shard's leaves that): no pass, which at 1,000,000
    // articles reads every article's row to compare.
    const complete = closedCleanly && archive.unindexedCount === 0;
    const n = complete ? 0 : (await Promise.all(fullText.map((f) => f.indexAll()))).reduce((a, b) => a + b, 0);
    return `full text indexed: ${n} articles in ${((Date.now() - started) / 1000).toFixed(1)} s`;
  });
  return {
    archive,
    fullTextReady,
    rescan: () => scan(true),
    close: async () => {
      await watcher?.close();
      await Promise.all(fullText.map((f) => f.close()));
      archive.close();
      markClosedCleanly(file);
    },
  };
}

/** A worker's view of the index another process writes. */
export function openArchiveReader(stateDir: string): Archive {
  return new Archive(openIndexForReading(indexFile(stateDir)));
}
