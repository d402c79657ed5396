import { Worker } from 'node:worker_threads';
import type { IndexDb } from './index-db.js';
import { FullTextPass, readTexts } from './full-text.js';
import { FileReader } from './read-article.js';

/** Messages from the thread (full-text-worker.ts). */
export type FullTextMessage = { readonly type: 'idle'; readonly indexed: number } | { readonly type: 'error'; readonly message: string };

/**
 * The full-text pass on a thread of its own with its own connection, so that indexing a cold
 * archive's words (the longest part of a start) runs beside the scan and never stalls serving.
 * `wake()` after the scan committed articles without text; `idle` resolves when a run found nothing
 * more to do after the last wake. Should the thread not start (its module missing, as when the
 * sources run untranspiled), the pass runs on this thread instead.
 */
export class FullTextThread {
  private worker: Worker | undefined;
  private wakes = 0;
  private runsDone = 0;
  private total = 0;
  private waiters: (() => void)[] = [];

  constructor(dbFile: string, private readonly db: IndexDb, private readonly root: string, private readonly onError: (line: string) => void) {
    const worker = new Worker(new URL('./full-text-worker.js', import.meta.url), { workerData: { dbFile, root } });
    worker.unref();
    worker.on('message', (m: FullTextMessage) => (m.type === 'error' ? onError(`full text: ${m.message}`) : this.ran(m.indexed)));
    worker.once('error', () => {
      // Runs asked of the thread and not done are done here.
      this.worker = undefined;
      for (let n = this.wakes - this.runsDone; n > 0; n--) this.runHere();
    });
    this.worker = worker;
  }

  wake(): void {
    this.wakes++;
    if (this.worker) this.worker.postMessage('run');
    else this.runHere();
  }

  /** Resolves with the number indexed so far, once every run asked for has ended. */
  async idle(): Promise<number> {
    if (this.runsDone < this.wakes) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.total;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage('close');
    const timer = setTimeout(() => void worker.terminate(), 5000);
    await exited;
    clearTimeout(timer);
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
