import { Worker } from 'node:worker_threads';
import { bulkLoad } from './bulk-load.js';
import { alsoReported } from './folder-diff.js';
import type { IndexDb } from './index-db.js';
import type { ScanCounts } from './scan.js';
import { threadModule } from './thread-module.js';

/** Messages from the thread (cold-scan-worker.ts). */
export type ColdScanMessage =
  | { readonly type: 'error'; readonly line: string }
  | { readonly type: 'done'; readonly counts: ScanCounts; readonly reported: readonly string[] }
  | { readonly type: 'failed'; readonly message: string };

/**
 * A cold start's scan (no index yet: every article's title, date and tags go in before anything is
 * served, bulk-load.ts), on a thread with its own connection: reading 100,000 articles grows the heap
 * it runs on by ~60 MB that V8 keeps mapped long after, and a thread's heap goes when the thread ends.
 * Should the thread not start (its module missing, as when the sources run untranspiled), it runs
 * here, on `db`.
 */
export function coldScan(o: { dbFile: string; db: IndexDb; root: string; rootReal: string; errors: (line: string) => void }): Promise<ScanCounts> {
  const module = threadModule('./cold-scan-worker.js');
  if (!module) return bulkLoad(o.db, o.root, o.rootReal, o.errors);
  return new Promise((resolve, reject) => {
    const worker = new Worker(module, { workerData: { dbFile: o.dbFile, root: o.root, rootReal: o.rootReal } });
    worker.on('message', (m: ColdScanMessage) => {
      if (m.type === 'error') o.errors(m.line);
      else if (m.type === 'done') {
        alsoReported(m.reported);
        resolve(m.counts);
      }
      else reject(new Error(m.message));
    });
    worker.once('error', reject);
  });
}
