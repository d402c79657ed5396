import cluster, { type Worker } from 'node:cluster';
import { InvalidArgumentError } from 'commander';
import os from 'node:os';
import path from 'node:path';
import { existsSync, statSync } from 'node:fs';
import type { App, Logs, ProcessShare } from './app.js';
import { UsageError } from './usage-error.js';
import type { Config } from './config.js';
import { cacheIsUsable } from './archive/cache.js';
import { VERSION } from './version.js';

/**
 * `--workers <n>` (default: one per CPU): n processes (node:cluster) share the listening socket, so
 * every core answers requests. Each worker holds its own archive, started from the start-up cache;
 * the search postings stay in that file and are shared through the page cache. Without a usable
 * cache the first worker builds it and the others wait for it (one parse of content/, not n). With
 * n = 1 there is no cluster at all.
 *
 * Changes to content/ reach every worker the same way they reach a single process: each worker runs
 * its own watcher (one inotify watch per folder) and applies the changes to its own archive.
 */
export function workersOption(v: string): number {
  if (v === 'auto') return Math.max(1, os.availableParallelism());
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('expected a positive whole number or auto');
  return Number(v);
}

/** The message a worker sends when it listens: the ports, for the primary's `listening on` lines. */
export interface Ready {
  readonly type: 'ready';
  readonly port: number;
  readonly tlsPort?: number;
  readonly httpPort?: number;
}

/** The message the cache-writing worker sends once it has tried to write a stale cache. */
interface CacheWritten {
  readonly type: 'cache-written';
  readonly written: boolean;
}

const isReady = (m: unknown): m is Ready => typeof m === 'object' && m !== null && (m as Ready).type === 'ready';
const isCacheWritten = (m: unknown): m is CacheWritten => typeof m === 'object' && m !== null && (m as CacheWritten).type === 'cache-written';

/** In a worker: tell the primary the ports, and stop cleanly when it says so. */
export function workerReady(app: App): void {
  process.send?.({ type: 'ready', port: app.port, tlsPort: app.tlsPort, httpPort: app.httpPort } satisfies Ready);
}

/**
 * This process's share (app.ts): a single server keeps it all; of n workers only the first forked
 * rewrites a stale cache, and each keeps 1/n of the in-memory caches, so that n workers together
 * hold what one process would (a crawler fills them all).
 */
export function processShare(): ProcessShare {
  if (cluster.isPrimary) return { writeCache: true, cacheShare: 1 };
  const n = Number(process.env[WORKERS]);
  return {
    writeCache: process.env[CACHE_WRITER] === '1',
    cacheShare: n >= 1 ? 1 / n : 1,
    onCacheWritten: (written) => process.send?.({ type: 'cache-written', written } satisfies CacheWritten),
  };
}

const CACHE_WRITER = 'GOPHERPRESS_CACHE_WRITER';
const WORKERS = 'GOPHERPRESS_WORKERS';

/**
 * Node flags for the workers: a young generation of 2 × 2 MB instead of V8's 2 × 16 MB. A worker
 * keeps its young generation committed once a crowd has grown it, while serving leaves little alive
 * in it: at 100,000 articles a primary and two workers took 355 MB at rest with V8's size and 312 MB
 * with this one (bench/RESULTS.md, round 7). A flag the operator set wins.
 */
function workerExecArgv(): string[] {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  return /semi[-_]space/.test(given) ? process.execArgv : [...process.execArgv, '--max-semi-space-size=2'];
}

/**
 * glibc's malloc serves a large block (an ArrayBuffer's backing store) from its heap once it has seen
 * a block that size freed (its dynamic mmap threshold), and what is freed there seldom goes back to
 * the system: the worker that parsed 100,000 articles held 427 MB, 282 MB with the threshold fixed at
 * 128 KB (each larger block its own mapping, unmapped when freed); workers at rest ~10 MB less each.
 * Set for the workers only: glibc reads it at start. An operator's own value wins; other C libraries
 * ignore it.
 */
function workerEnv(): Record<string, string> {
  return process.env.MALLOC_MMAP_THRESHOLD_ === undefined ? { MALLOC_MMAP_THRESHOLD_: String(128 * 1024) } : {};
}

/**
 * The primary: start the first worker alone and, once it serves, the others; replace a worker that
 * dies (at most n times a minute, so a crash loop ends); on SIGTERM or SIGINT stop them all and exit
 * 0. Resolves with the first worker's ports, and a promise of the moment all n serve.
 *
 * The first worker starts alone, so that starting up looks as it does without a cluster: a bad
 * --bind or a taken port is its one-line message and exit code (the primary exits with the same
 * code), and it is ready as fast as a single process, not slowed by n starts sharing the CPUs. With
 * a usable cache the others start from it, as the first did. Without one the first parses content/
 * (a cold start, on every core) and writes the cache; the others start from that cache, and then a
 * fresh worker takes the first one's place: a full parse leaves ~140 MB in the process that did it.
 */
export async function runPrimary(config: Config, logs: Logs, workers: number): Promise<{ ports: Ready; allServing: Promise<void> }> {
  const root = path.resolve(config.content);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`content folder not found: ${config.content}`);
  let stopping = false;
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
  const cold = !cacheIsUsable(root, VERSION);
  // The OS hands each connection to a worker blocked in accept(): no round trip through the primary.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  // A cold start parses as a single process does, with V8's own young generation (it is replaced after).
  cluster.setupPrimary({ execArgv: cold ? process.execArgv : workerExecArgv() });
  let ready = false;
  const retired = new Set<Worker>();
  const restarts: number[] = [];
  const fork = (env: Record<string, string> = {}): Worker => {
    const w = cluster.fork({ ...workerEnv(), ...env, [WORKERS]: String(workers) });
    w.on('exit', (code, signal) => {
      if (stopping || !ready || retired.has(w)) return;
      const now = Date.now();
      restarts.push(now);
      while (restarts.length > 0 && restarts[0]! < now - 60_000) restarts.shift();
      logs.error(`worker ${w.process.pid} exited (${signal ?? code})${restarts.length > workers ? '; too many restarts, stopping' : ', starting another'}`);
      if (restarts.length > workers) process.exit(1);
      fork();
    });
    return w;
  };
  const serving = (w: Worker): Promise<Ready> => new Promise((resolve) => w.on('message', (m: unknown) => isReady(m) && resolve(m)));
  // The first worker alone writes a stale cache again: n writers would do the same work n times.
  const first = fork({ [CACHE_WRITER]: '1' });
  const written = new Promise<boolean>((resolve) => {
    first.on('message', (m: unknown) => isCacheWritten(m) && resolve(m.written));
    first.once('exit', () => resolve(false));
  });
  // It has said why on stderr, as a single process would have: leave with its exit code.
  first.once('exit', (code) => !stopping && !ready && process.exit(code ?? 1));
  cluster.setupPrimary({ execArgv: workerExecArgv() });
  const ports = await serving(first);
  ready = true;
  const rest = async (): Promise<void> => {
    // Without a cache the others would each parse everything again: they wait for the first's.
    const fromCache = !cold || (await written);
    await Promise.all(Array.from({ length: workers - 1 }, () => serving(fork())));
    if (!cold || !fromCache) return;
    retired.add(first);
    const fresh = serving(fork());
    first.process.kill('SIGTERM');
    await fresh;
  };
  return { ports, allServing: rest() };
}
