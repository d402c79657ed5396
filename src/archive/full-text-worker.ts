/** The process of FullTextProcess: a writer connection to one shard, its full-text pass, the merge, then it exits. */
import { FullTextPass } from './full-text.js';
import { linkToServer } from './index-process.js';
import { dropPrivileges } from '../ops/privileges.js';
import { openArticlesForReading, openShardForWriting } from './index-db.js';
import { ReadThread } from './read-thread.js';
import { shardFiles } from './text-shards.js';
import type { FullTextJob, FullTextMessage } from './full-text-process.js';

const server = linkToServer<FullTextJob, FullTextMessage>();
const { dbFile, shard, root, runAs } = server.job;
const articles = openArticlesForReading(dbFile);
const db = openShardForWriting(shardFiles(dbFile)[shard]!);
// Made while the process is still root (started before the server gave up root and handed it the
// state folder): its statements prepared, so both files and their WALs are open.
const pass = new FullTextPass(articles, db, shard, (rows) => reader.texts(rows));
// Then content/ is read as the server reads it, so that no word of a file it cannot serve becomes searchable.
dropPrivileges(runAs?.user, runAs?.group);
const reader = new ReadThread(root);
const failed = (err: unknown): Promise<void> => server.send({ type: 'error', message: (err as Error).message });
let indexed = 0;
try {
  indexed = await pass.run();
} catch (err) {
  await failed(err);
}
await reader.close();
await server.send({ type: 'indexed', indexed });
try {
  pass.mergeSegments(indexed);
} catch (err) {
  await failed(err);
}
// Closed, not cut off: the last connection to close checkpoints the WAL into the database.
db.close();
articles.close();
server.end();
