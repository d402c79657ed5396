/** The thread of coldScan: its own writer connection, one scan, then the thread ends. */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { Archive } from './archive.js';
import { reportedNames } from './folder-diff.js';
import { tuneWriter } from './index-db.js';
import { scanContent } from './scan.js';
import type { ColdScanMessage } from './cold-scan.js';

const { dbFile, root, rootReal, transaction } = workerData as { dbFile: string; root: string; rootReal: string; transaction: number };
const post = (m: ColdScanMessage): void => parentPort!.postMessage(m);
const db = new Database(dbFile);
tuneWriter(db);
const archive = new Archive(db);
scanContent(root, rootReal, archive, { withText: false, errors: (line) => post({ type: 'error', line }), transaction }).then(
  (counts) => {
    db.close();
    post({ type: 'done', counts, reported: reportedNames() });
  },
  (err: unknown) => post({ type: 'failed', message: (err as Error).message }),
);
