/** The process of coldScan: its own writer connection, one bulk load, then it exits. */
import Database from 'better-sqlite3';
import { bulkLoad } from './bulk-load.js';
import { reportedNames } from './folder-diff.js';
import { tuneWriter } from './index-db.js';
import type { ColdScanJob, ColdScanMessage } from './cold-scan.js';

const { dbFile, root, rootReal } = JSON.parse(process.argv[2]!) as ColdScanJob;
// The server that started this process is gone: nobody would use the index it builds.
const orphaned = (): never => process.exit(1);
process.once('disconnect', orphaned);
const end = (): void => {
  process.off('disconnect', orphaned);
  process.disconnect();
};
// A send that fails finds the server gone (as `disconnect` would, a moment later).
const post = (m: ColdScanMessage, then = (): void => {}): void =>
  void process.send!(m, (err: Error | null) => (err ? orphaned() : then()));
const db = new Database(dbFile);
tuneWriter(db);
bulkLoad(db, root, rootReal, (line) => post({ type: 'error', line })).then(
  (counts) => {
    db.close();
    post({ type: 'done', counts, reported: reportedNames() }, end);
  },
  (err: unknown) => post({ type: 'failed', message: (err as Error).message }, end),
);
