import type { ChildProcess } from 'node:child_process';
import { openShardForWriting, type IndexDb } from './index-db.js';
import { shardFiles } from './text-shards.js';
import { compiledModule } from './compiled-module.js';
import { FullTextPass, readTexts } from './full-text.js';
import { startIndexProcess } from './index-process.js';
import { FileReader } from './read-article.js';

/** Messages from the process (full-text-worker.ts): every word is searchable, or a line for stderr. */
export type FullTextMessage =
  | { readonly type: 'indexed'; readonly indexed: number }
  | { readonly type: 'error'; readonly message: string };

/** What the process is started with: its one argument, as JSON. */
export interface FullTextJob {
  readonly dbFile: string;
  /** the shard it indexes (text-shards.ts) */
  readonly shard: number;
  readonly root: string;
  /** `--user`/`--group`: given up once the database is open, so that it reads content/ as the server does */
  readonly runAs?: { readonly user?: string; readonly group?: string };
}

/** Signals that stop the process with its server (a terminal's Ctrl-C, a service manager's stop). */
const STOPPING: readonly string[] = ['SIGINT', 'SIGTERM'];

/**
 * The full-text pass (full-text.ts) of one shard in a process of its own with its own connection, so
 * that indexing a cold archive's words (the longest part of a start) never stalls serving, and the
 * shards are written side by side. The process indexes what has no words yet, says so, merges what it
 * wrote and exits, and all it used goes back to the system: a thread's SQLite caches and buffers
 * stayed in the server's glibc arenas after the thread ended.
 * Without its module (compiled-module.ts), or should the process fail, the pass runs on this thread.
 */
export class FullTextProcess {
  private child: ChildProcess | undefined;

  constructor(private readonly job: FullTextJob, private readonly db: IndexDb, private readonly onError: (line: string) => void) {}

  /** Index every article without its words; resolves with their number once all are searchable. */
  indexAll(): Promise<number> {
    const module = compiledModule('./full-text-worker.js');
    if (!module) return this.runHere();
    return new Promise((resolve) => {
      const child = startIndexProcess(module, this.job);
      // Neither the process nor its channel keeps this one running: a server stopping need not wait for it.
      child.unref();
      child.channel?.unref();
      this.child = child;
      let said = false;
      child.on('message', (m: FullTextMessage) => {
        if (m.type === 'error') return this.onError(`full text: ${m.message}`);
        said = true;
        resolve(m.indexed);
      });
      child.on('error', (err) => {
        // Could not start (no memory, no processes left): the pass runs here.
        if (said || this.child !== child) return;
        this.child = undefined;
        said = true;
        this.onError(`full text: cannot start its process (${err.message}); indexing here instead`);
        resolve(this.runHere());
      });
      child.once('exit', (code, signal) => {
        if (this.child === child) this.child = undefined;
        if (said || (signal !== null && STOPPING.includes(signal))) return;
        if (signal !== null) return this.onError(`full text: its process was killed (${signal}); the next start indexes the rest`);
        this.onError(`full text: its process failed (exit code ${String(code)}); indexing here instead`);
        resolve(this.runHere());
      });
    });
  }

  /** Stop the process, if it still runs: a kill loses at most the transaction in hand, which the next start redoes. */
  async close(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  private async runHere(): Promise<number> {
    const reader = new FileReader();
    let shardDb: IndexDb | undefined;
    try {
      shardDb = openShardForWriting(shardFiles(this.job.dbFile)[this.job.shard]!);
      const pass = new FullTextPass(this.db, shardDb, this.job.shard, async (rows) => readTexts(this.job.root, rows, reader));
      const indexed = await pass.run();
      // Searchable now; the merge follows once this has been said.
      const db = shardDb;
      setImmediate(() => {
        try {
          pass.mergeSegments(indexed);
        } catch (err) {
          this.onError(`full text: ${(err as Error).message}`);
        } finally {
          db.close();
        }
      });
      return indexed;
    } catch (err) {
      shardDb?.close();
      this.onError(`full text: ${(err as Error).message}`);
      return 0;
    }
  }
}
