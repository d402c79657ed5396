/** The process of coldScan: its own writer connection, one bulk load, then it exits. */
import { bulkLoad } from './bulk-load.js';
import { reportedNames } from './folder-diff.js';
import { linkToServer } from './index-process.js';
import { openIndexConnection } from './index-db.js';
import type { ColdScanJob, ColdScanMessage } from './cold-scan.js';

const server = linkToServer<ColdScanJob, ColdScanMessage>();
const { dbFile, root, rootReal } = server.job;
const db = openIndexConnection(dbFile);
try {
  const counts = await bulkLoad(db, root, rootReal, (line) => void server.send({ type: 'error', line }));
  db.close();
  await server.send({ type: 'done', counts, reported: reportedNames() });
} catch (err) {
  await server.send({ type: 'failed', message: (err as Error).message });
}
server.end();
