/** The thread of FullTextThread: one writer connection, one run of the full-text pass per `run` message. */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { FullTextPass } from './full-text.js';
import { tuneWriter } from './index-db.js';
import { ReadThread } from './read-thread.js';
import type { FullTextMessage } from './full-text-thread.js';

const { dbFile, root } = workerData as { dbFile: string; root: string };
const db = new Database(dbFile);
tuneWriter(db);
const reader = new ReadThread(root);
const pass = new FullTextPass(db, (rows) => reader.texts(rows));
const post = (m: FullTextMessage): void => parentPort!.postMessage(m);
// One message at a time: a run reads ahead asynchronously, and a second run or the close waits for it.
let done: Promise<void> = Promise.resolve();
parentPort!.on('message', (m: string) => {
  done = done.then(async () => {
    if (m === 'close') {
      await reader.close();
      // Closed, not cut off: the last connection to close checkpoints the WAL into the database.
      db.close();
      parentPort!.close();
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
