import { Worker } from 'node:worker_threads';
import type { IndexDb } from './index-db.js';
import { FullTextPass, readTexts } from './full-text.js';
import { FileReader } from './read-article.js';
import { threadModule } from './thread-module.js';

/** Messages from the thread (full-text-worker.ts): a run ended, the merge after it ended, or a run failed. */
export type FullTextMessage =
  | { readonly type: 'idle'; readonly indexed: number }
  | { readonly type: 'merged' }
  | { readonly type: 'error'; readonly message: string };

/**
 * The full-text pass on a thread of its own with its own connection, so that indexing a cold
 * archive's words (the longest part of a start) never stalls serving. `wake()` after a scan committed
 * articles without text; `idle` resolves when a run found nothing more to do after the last wake.
 * The thread is started by a wake and ends once its work is done, so that its memory (~100 MB after
 * a cold start) goes back to the system. Without the thread's module (thread-module.ts), the pass
 * runs on this thread instead.
 */
export class FullTextThread {
  private worker: Worker | undefined;
  private unavailable = false;
  private readonly exits = new Set<Promise<unknown>>();
  private wakes = 0;
  private runsDone = 0;
  private total = 0;
  private waiters: (() => void)[] = [];

  constructor(private readonly dbFile: string, private readonly db: IndexDb, private readonly root: string, private readonly onError: (line: string) => void) {}

  wake(): void {
    this.wakes++;
    const module = this.unavailable ? undefined : threadModule('./full-text-worker.js');
    if (!module) return this.runHere();
    (this.worker ??= this.start(module)).postMessage('run');
  }

  /** Resolves with the number indexed so far, once every run asked for has ended. */
  async idle(): Promise<number> {
    if (this.runsDone < this.wakes) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.total;
  }

  async close(): Promise<void> {
    if (this.worker) this.retire(this.worker);
    await Promise.all(this.exits);
  }

  private start(module: URL): Worker {
    const worker = new Worker(module, { workerData: { dbFile: this.dbFile, root: this.root } });
    worker.unref();
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    this.exits.add(exited);
    void exited.then(() => this.exits.delete(exited));
    worker.on('message', (m: FullTextMessage) => {
      if (m.type === 'error') this.onError(`full text: ${m.message}`);
      else if (m.type === 'idle') this.ran(m.indexed);
      else if (this.runsDone >= this.wakes && this.worker === worker) this.retire(worker);
    });
    worker.once('error', () => {
      // The thread died: runs asked of it and not done are done here, and every later one.
      this.unavailable = true;
      if (this.worker === worker) this.worker = undefined;
      for (let n = this.wakes - this.runsDone; n > 0; n--) this.runHere();
    });
    return worker;
  }

  /** Ask the thread to close its connection and end; cut off should it take more than 5 s. */
  private retire(worker: Worker): void {
    if (this.worker === worker) this.worker = undefined;
    worker.postMessage('close');
    const timer = setTimeout(() => void worker.terminate(), 5000).unref();
    worker.once('exit', () => clearTimeout(timer));
  }

  /** Runs on this thread, one after another (each reads ahead asynchronously). */
  private here: Promise<void> = Promise.resolve();

  private runHere(): void {
    const reader = new FileReader();
    this.here = this.here.then(async () => {
      try {
        const pass = new FullTextPass(this.db, async (rows) => readTexts(this.root, rows, reader));
        const indexed = await pass.run();
        this.ran(indexed);
        pass.mergeSegments(indexed);
      } catch (err) {
        this.onError(`full text: ${(err as Error).message}`);
        this.ran(0);
      }
    });
  }

  private ran(indexed: number): void {
    this.total += indexed;
    this.runsDone++;
    if (this.runsDone >= this.wakes) for (const w of this.waiters.splice(0)) w();
  }
}
