import cluster, { type Worker } from 'node:cluster';
import { InvalidArgumentError } from 'commander';
import os from 'node:os';
import path from 'node:path';
import { fork as forkChild } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { existsSync, statSync } from 'node:fs';
import { UsageError, type App, type Logs } from './app.js';
import type { Config } from './config.js';

/**
 * `--workers <n>`: n processes (node:cluster) share the listening socket, so every core answers
 * requests. Each worker holds its own archive, started from the start-up cache, which the primary
 * brings up to date first in a short-lived child (one parse of content/, not n). With n = 1 there is no cluster at all.
 *
 * Changes to content/ reach every worker the same way they reach a single process: each worker runs
 * its own watcher (one inotify watch per folder) and applies the changes to its own archive.
 */
export function workersOption(v: string): number {
  if (v === 'auto') return Math.max(1, os.availableParallelism());
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('expected a positive whole number or auto');
  return Number(v);
}

/** The message a worker sends when it listens; the primary prints the one `listening on` line. */
interface Ready {
  readonly type: 'ready';
  readonly port: number;
}

const isReady = (m: unknown): m is Ready => typeof m === 'object' && m !== null && (m as Ready).type === 'ready';

/** In a worker: tell the primary the port, and stop cleanly when it says so. */
export function workerReady(app: App): void {
  process.send?.({ type: 'ready', port: app.port } satisfies Ready);
}

/**
 * The primary: refresh the cache, fork the workers, print `listening on` once all of them listen,
 * replace a worker that dies (at most n times a minute, so a crash loop ends), and on SIGTERM or
 * SIGINT stop them all and exit 0.
 */
export async function runPrimary(config: Config, logs: Logs, workers: number): Promise<void> {
  const root = path.resolve(config.content);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`content folder not found: ${config.content}`);
  await new Promise<void>((resolve) => {
    // A child of its own, so the memory of a full parse goes back to the system when it exits.
    const child = forkChild(fileURLToPath(new URL('./refresh-cache.js', import.meta.url)), [root], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('exit', () => resolve());
  });
  // The OS hands each connection to a worker blocked in accept(): no round trip through the primary.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  let stopping = false;
  const restarts: number[] = [];
  const fork = (): Worker => {
    const w = cluster.fork();
    w.on('exit', (code, signal) => {
      if (stopping) return;
      const now = Date.now();
      restarts.push(now);
      while (restarts.length > 0 && restarts[0]! < now - 60_000) restarts.shift();
      logs.error(`worker ${w.process.pid} exited (${signal ?? code})${restarts.length > workers ? '; too many restarts, stopping' : ', starting another'}`);
      if (restarts.length > workers) process.exit(1);
      fork();
    });
    return w;
  };
  const ports = await Promise.all(Array.from({ length: workers }, () => new Promise<number>((resolve, reject) => {
    const w = fork();
    w.on('message', (m: unknown) => isReady(m) && resolve(m.port));
    w.once('exit', (code) => reject(new Error(`worker exited with ${code} before listening`)));
  })));
  logs.info(`listening on gopher://${config.hostname}:${ports[0]}/ (${workers} workers)`);
  const stop = (): void => {
    stopping = true;
    const all = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    let left = all.length;
    if (left === 0) process.exit(0);
    for (const w of all) {
      w.once('exit', () => --left === 0 && process.exit(0));
      w.process.kill('SIGTERM');
    }
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // SIGHUP reloads every worker (each re-reads the config file and rescans content/).
  process.on('SIGHUP', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGHUP');
  });
}
