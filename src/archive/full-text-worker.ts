/** The process of FullTextProcess: one writer connection, the full-text pass, the merge, then it exits. */
import Database from 'better-sqlite3';
import { FullTextPass } from './full-text.js';
import { linkToServer } from './index-process.js';
import { dropPrivileges } from '../ops/privileges.js';
import { tuneWriter } from './index-db.js';
import { ReadThread } from './read-thread.js';
import type { FullTextJob, FullTextMessage } from './full-text-process.js';

const server = linkToServer<FullTextJob, FullTextMessage>();
const { dbFile, root, runAs } = server.job;
const db = new Database(dbFile);
tuneWriter(db);
// Started as root before the server gave up root: with the database (and its WAL) open, read
// content/ as the server does, so that no word of a file it cannot serve becomes searchable.
dropPrivileges(runAs?.user, runAs?.group);
// Two reading threads taking turns: one took about as long to read, parse and fold a batch as this
// thread took to index it, so any pause of it (a page not cached, its GC) stalled the index.
const readers = [new ReadThread(root), new ReadThread(root)];
let turn = 0;
const pass = new FullTextPass(db, (rows) => readers[turn++ % readers.length]!.texts(rows));
const failed = (err: unknown): Promise<void> => server.send({ type: 'error', message: (err as Error).message });
let indexed = 0;
try {
  indexed = await pass.run();
} catch (err) {
  await failed(err);
}
await Promise.all(readers.map((r) => r.close()));
await server.send({ type: 'indexed', indexed });
try {
  pass.mergeSegments(indexed);
} catch (err) {
  await failed(err);
}
// Closed, not cut off: the last connection to close checkpoints the WAL into the database.
db.close();
server.end();
