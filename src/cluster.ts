import cluster, { type Worker } from 'node:cluster';
import path from 'node:path';
import { existsSync, statSync } from 'node:fs';
import type { App, Logs, ProcessShare } from './app.js';
import { UsageError } from './usage-error.js';
import type { Config } from './config.js';
import { defaultStateDir } from './archive/index-db.js';
import { openArchiveWriter, type ArchiveWriter } from './archive/open-archive.js';

/*
 * `--workers <n>` (default: one per CPU): n processes (node:cluster) share the listening socket, so
 * every core answers requests. The primary owns the index: it builds it (a cold start puts every
 * article's metadata in before any worker starts), scans, watches content/ and writes; the workers open
 * the same database read-only and see each commit within a fraction of a second (archive.ts). They
 * share its pages through the page cache instead of each holding a copy. With n = 1 there is no
 * cluster: one process does both.
 */

/** The message a worker sends when it listens: the ports, for the primary's `listening on` lines. */
export interface Ready {
  readonly type: 'ready';
  readonly port: number;
  readonly tlsPort?: number;
  readonly httpPort?: number;
}

const isReady = (m: unknown): m is Ready => typeof m === 'object' && m !== null && (m as Ready).type === 'ready';

/** In a worker: tell the primary the ports, and stop cleanly when it says so. */
export function workerReady(app: App): void {
  process.send?.({ type: 'ready', port: app.port, tlsPort: app.tlsPort, httpPort: app.httpPort } satisfies Ready);
}

/** This process's share (app.ts): a worker reads the index the primary writes, and keeps 1/n of the in-memory caches. */
export function processShare(): ProcessShare {
  if (cluster.isPrimary) return { role: 'writer', cacheShare: 1 };
  const n = Number(process.env[WORKERS]);
  return { role: 'reader', cacheShare: n >= 1 ? 1 / n : 1 };
}

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
 * The primary: open the index (a cold start puts every article's metadata in first), start the
 * workers, replace one that dies (at most n times a minute, so a crash loop ends); on SIGTERM or
 * SIGINT stop them all and exit 0; on SIGHUP rescan content/ and pass the signal on (each worker
 * re-reads the config file). Resolves with the first worker's ports, and a promise of the moment all
 * n serve. A bad --bind or a taken port is the first worker's one-line message and exit code.
 */
export async function runPrimary(config: Config, logs: Logs, workers: number): Promise<{ ports: Ready; allServing: Promise<void>; writer: ArchiveWriter }> {
  const root = path.resolve(config.content);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`content folder not found: ${config.content}`);
  let writer: ArchiveWriter | undefined;
  let stopping = false;
  // Stopping during a cold start's scan is safe at any moment: every batch is one transaction.
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    const all = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    let left = all.length;
    const exit = (): void => void (writer?.close() ?? Promise.resolve()).finally(() => process.exit(0));
    if (left === 0) return exit();
    for (const w of all) {
      w.once('exit', () => --left === 0 && exit());
      w.process.kill('SIGTERM');
    }
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  writer = await openArchiveWriter({
    root,
    stateDir: config.stateDir ?? defaultStateDir(root),
    logs,
    watch: config.watch && { poll: config.poll },
    runAs: { user: config.user, group: config.group },
  });
  const opened = writer;
  opened.fullTextReady.catch((err: unknown) => logs.error(`full text: ${(err as Error).stack ?? String(err)}`));
  process.on('SIGHUP', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGHUP');
    opened.rescan().then(
      () => logs.info(`rescanned content/: ${opened.archive.articleCount} articles`),
      (err: unknown) => logs.error(`reload: cannot scan ${root} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); still serving the archive as it was`),
    );
  });
  // The OS hands each connection to a worker blocked in accept(): no round trip through the primary.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  cluster.setupPrimary({ execArgv: workerExecArgv() });
  let ready = false;
  const restarts: number[] = [];
  const fork = (): Worker => {
    const w = cluster.fork({ ...workerEnv(), [WORKERS]: String(workers) });
    w.on('exit', (code, signal) => {
      if (stopping || !ready) return;
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
  const first = fork();
  // It has said why on stderr, as a single process would have: leave with its exit code.
  first.once('exit', (code) => !stopping && !ready && process.exit(code ?? 1));
  const ports = await serving(first);
  ready = true;
  // Forked once the caller has given up root (setImmediate runs after it): a primary that is no longer
  // root could not signal workers started as root.
  const allServing = new Promise((resolve) => setImmediate(resolve)).then(async () => {
    await Promise.all(Array.from({ length: workers - 1 }, () => serving(fork())));
  });
  return { ports, allServing, writer: opened };
}
