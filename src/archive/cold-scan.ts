import { Worker } from 'node:worker_threads';
import type { Archive } from './archive.js';
import { alsoReported } from './folder-diff.js';
import { scanContent, type ScanCounts } from './scan.js';
import { threadModule } from './thread-module.js';

/** Messages from the thread (cold-scan-worker.ts). */
export type ColdScanMessage =
  | { readonly type: 'error'; readonly line: string }
  | { readonly type: 'done'; readonly counts: ScanCounts; readonly reported: readonly string[] }
  | { readonly type: 'failed'; readonly message: string };

/**
 * Files written per transaction by a cold start's scan, which nothing reads the index beside: each
 * transaction rewrites the pages of the tag and link tables it touches, 3.3 GB of writes for a
 * 116 MB index of 100,000 articles in transactions of a few hundred, 1.0 GB in these.
 */
const TRANSACTION = 5000;

/**
 * A cold start's scan (no index yet: every article's title, date and tags go in before anything is
 * served), on a thread with its own connection: reading 100,000 articles grows the heap it runs on
 * by ~60 MB that V8 keeps mapped long after, and a thread's heap goes when the thread ends. Should the
 * thread not start (its module missing, as when the sources run untranspiled), it runs here.
 */
export function coldScan(o: { dbFile: string; root: string; rootReal: string; archive: Archive; errors: (line: string) => void }): Promise<ScanCounts> {
  const here = (): Promise<ScanCounts> =>
    scanContent(o.root, o.rootReal, o.archive, { withText: false, errors: o.errors, transaction: TRANSACTION });
  const module = threadModule('./cold-scan-worker.js');
  if (!module) return here();
  return new Promise((resolve, reject) => {
    const worker = new Worker(module, { workerData: { dbFile: o.dbFile, root: o.root, rootReal: o.rootReal, transaction: TRANSACTION } });
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
