/** The thread of coldScan: its own writer connection, one bulk load, then the thread ends. */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { bulkLoad } from './bulk-load.js';
import { reportedNames } from './folder-diff.js';
import { tuneWriter } from './index-db.js';
import type { ColdScanMessage } from './cold-scan.js';

const { dbFile, root, rootReal } = workerData as { dbFile: string; root: string; rootReal: string };
const post = (m: ColdScanMessage): void => parentPort!.postMessage(m);
const db = new Database(dbFile);
tuneWriter(db);
bulkLoad(db, root, rootReal, (line) => post({ type: 'error', line })).then(
  (counts) => {
    db.close();
    post({ type: 'done', counts, reported: reportedNames() });
  },
  (err: unknown) => post({ type: 'failed', message: (err as Error).message }),
);
