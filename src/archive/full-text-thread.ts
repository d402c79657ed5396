import { Worker } from 'node:worker_threads';

/** Messages from the thread (full-text-worker.ts). */
export type FullTextMessage = { readonly type: 'idle'; readonly indexed: number } | { readonly type: 'error'; readonly message: string };

/**
 * The full-text pass on a thread of its own with its own connection, so that indexing a cold
 * archive's words (the longest part of a start) runs beside the scan and never stalls serving.
 * `wake()` after the scan committed articles without text; `idle` resolves when a run found nothing
 * more to do after the last wake.
 */
export class FullTextThread {
  private readonly worker: Worker;
  private wakes = 0;
  private runsDone = 0;
  private total = 0;
  private waiters: (() => void)[] = [];

  constructor(dbFile: string, root: string, onError: (line: string) => void) {
    this.worker = new Worker(new URL('./full-text-worker.js', import.meta.url), { workerData: { dbFile, root } });
    this.worker.unref();
    this.worker.on('message', (m: FullTextMessage) => {
      if (m.type === 'error') return onError(`full text: ${m.message}`);
      this.total += m.indexed;
      this.runsDone++;
      if (this.runsDone >= this.wakes) for (const w of this.waiters.splice(0)) w();
    });
    this.worker.on('error', (err) => onError(`full text: ${err.stack ?? String(err)}`));
  }

  wake(): void {
    this.wakes++;
    this.worker.postMessage('run');
  }

  /** Resolves with the number indexed so far, once every run asked for has ended. */
  async idle(): Promise<number> {
    if (this.runsDone < this.wakes) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.total;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
