import { bulkLoad, markLoading } from './bulk-load.js';
import { compiledModule } from './compiled-module.js';
import { alsoReported } from './folder-diff.js';
import { startIndexProcess } from './index-process.js';
import type { IndexDb } from './index-db.js';
import type { ScanCounts } from './scan.js';

/** Messages from the process (cold-scan-worker.ts). */
export type ColdScanMessage =
  | { readonly type: 'error'; readonly line: string }
  | { readonly type: 'done'; readonly counts: ScanCounts; readonly reported: readonly string[] }
  | { readonly type: 'failed'; readonly message: string };

/** What the process is started with: its one argument, as JSON. */
export interface ColdScanJob {
  readonly dbFile: string;
  readonly root: string;
  readonly rootReal: string;
}

/**
 * A cold start's scan (no index yet: every article's title, date and tags go in before anything is
 * served, bulk-load.ts), in a process of its own with its own connection: the memory its threads
 * used (SQLite's caches and sorter, the files read) goes back to the system when it exits, where a
 * thread's would stay with the process in glibc's per-thread arenas (the primary at rest held ~55 MB
 * more). Should the module be missing (the sources run untranspiled), it runs here, on `db`.
 */
export function coldScan(o: ColdScanJob & { db: IndexDb; errors: (line: string) => void }): Promise<ScanCounts> {
  const module = compiledModule('./cold-scan-worker.js');
  if (!module) return bulkLoad(o.db, o.root, o.rootReal, o.errors);
  const job: ColdScanJob = { dbFile: o.dbFile, root: o.root, rootReal: o.rootReal };
  // Before the process starts: a kill while it loads its modules must not leave an empty "index".
  markLoading(o.db);
  return new Promise((resolve, reject) => {
    const child = startIndexProcess(module, job);
    let settled = false;
    child.on('message', (m: ColdScanMessage) => {
      if (m.type === 'error') return o.errors(m.line);
      settled = true;
      if (m.type === 'failed') return reject(new Error(m.message));
      alsoReported(m.reported);
      resolve(m.counts);
    });
    // Could not start (no memory, no processes left): the same as ending without a word.
    child.on('error', (err) => {
      if (!settled) reject(err);
      settled = true;
    });
    child.once('exit', (code, signal) => {
      if (!settled) reject(new Error(`the cold scan's process ended (${signal ?? `exit code ${String(code)}`})`));
    });
  });
}
