/** The process of FullTextProcess: one writer connection, one run of the full-text pass per `run` message. */
import Database from 'better-sqlite3';
import { FullTextPass } from './full-text.js';
import { tuneWriter } from './index-db.js';
import { ReadThread } from './read-thread.js';
import type { FullTextJob, FullTextMessage } from './full-text-process.js';

const { dbFile, root } = JSON.parse(process.argv[2]!) as FullTextJob;
// The server that started this process is gone: stop writing for nobody.
const orphaned = (): never => process.exit(1);
process.once('disconnect', orphaned);
const db = new Database(dbFile);
tuneWriter(db);
const reader = new ReadThread(root);
const pass = new FullTextPass(db, (rows) => reader.texts(rows));
// A send that fails finds the server gone (as `disconnect` would, a moment later).
const post = (m: FullTextMessage): void => void process.send!(m, (err: Error | null) => err && orphaned());
// One message at a time: a run reads ahead asynchronously, and a second run or the close waits for it.
let done: Promise<void> = Promise.resolve();
process.on('message', (m: string) => {
  done = done.then(async () => {
    if (m === 'close') {
      await reader.close();
      // Closed, not cut off: the last connection to close checkpoints the WAL into the database.
      db.close();
      process.off('disconnect', orphaned);
      process.disconnect();
      return;
    }
    try {
      const indexed = await pass.run();
      post({ type: 'idle', indexed });
      pass.mergeSegments(indexed);
      post({ type: 'merged' });
    } catch (err) {
      post({ type: 'error', message: (err as Error).message });
      post({ type: 'idle', indexed: 0 });
      post({ type: 'merged' });
    }
  });
});
