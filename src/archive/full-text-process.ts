import { fork, type ChildProcess } from 'node:child_process';
import type { IndexDb } from './index-db.js';
import { compiledModule } from './compiled-module.js';
import { FullTextPass, readTexts } from './full-text.js';
import { FileReader } from './read-article.js';

/** Messages from the process (full-text-worker.ts): a run ended, the merge after it ended, or a run failed. */
export type FullTextMessage =
  | { readonly type: 'idle'; readonly indexed: number }
  | { readonly type: 'merged' }
  | { readonly type: 'error'; readonly message: string };

/** What the process is started with: its one argument, as JSON. */
export interface FullTextJob {
  readonly dbFile: string;
  readonly root: string;
}

/**
 * The full-text pass in a process of its own with its own connection, so that indexing a cold
 * archive's words (the longest part of a start) never stalls serving. `wake()` after a scan committed
 * articles without text; `idle` resolves when a run found nothing more to do after the last wake.
 * The process is started by a wake and ends once its work is done, so that all it used goes back to
 * the system (a thread's SQLite caches and buffers stayed in the process, in glibc's per-thread
 * arenas). Without its module (compiled-module.ts), the pass runs on this thread instead.
 */
export class FullTextProcess {
  private child: ChildProcess | undefined;
  private unavailable = false;
  private readonly exits = new Set<Promise<unknown>>();
  private wakes = 0;
  private runsDone = 0;
  private total = 0;
  private waiters: (() => void)[] = [];

  constructor(private readonly job: FullTextJob, private readonly db: IndexDb, private readonly onError: (line: string) => void) {}

  wake(): void {
    this.wakes++;
    const module = this.unavailable ? undefined : compiledModule('./full-text-worker.js');
    if (!module) return this.runHere();
    (this.child ??= this.start(module)).send('run');
  }

  /** Resolves with the number indexed so far, once every run asked for has ended. */
  async idle(): Promise<number> {
    if (this.runsDone < this.wakes) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.total;
  }

  async close(): Promise<void> {
    if (this.child) this.retire(this.child);
    await Promise.all(this.exits);
  }

  private start(module: URL): ChildProcess {
    const child = fork(module, [JSON.stringify(this.job)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    // Neither the process nor its channel keeps this one running: a server stopping need not wait for it.
    child.unref();
    child.channel?.unref();
    let retired = false;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    this.exits.add(exited);
    void exited.then(() => this.exits.delete(exited));
    child.on('message', (m: FullTextMessage) => {
      if (m.type === 'error') this.onError(`full text: ${m.message}`);
      else if (m.type === 'idle') this.ran(m.indexed);
      else if (this.runsDone >= this.wakes && this.child === child) {
        retired = true;
        this.retire(child);
      }
    });
    child.once('exit', () => {
      if (retired) return;
      // The process died: runs asked of it and not done are done here, and every later one.
      this.unavailable = true;
      if (this.child === child) this.child = undefined;
      for (let n = this.wakes - this.runsDone; n > 0; n--) this.runHere();
    });
    return child;
  }

  /** Ask the process to close its connection and end; cut off should it take more than 5 s. */
  private retire(child: ChildProcess): void {
    if (this.child === child) this.child = undefined;
    if (child.connected) child.send('close');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    child.once('exit', () => clearTimeout(timer));
  }

  /** Runs on this thread, one after another (each reads ahead asynchronously). */
  private here: Promise<void> = Promise.resolve();

  private runHere(): void {
    const reader = new FileReader();
    this.here = this.here.then(async () => {
      try {
        const pass = new FullTextPass(this.db, async (rows) => readTexts(this.job.root, rows, reader));
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
