import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';

export interface Running {
  readonly name: string;
  readonly port: number;
  readonly proc: ChildProcess;
  readonly output: string[];
  /** ms from spawn until ready */
  readonly readyMs: number;
  stop(): Promise<void>;
}

/** inotify watches a process holds, read from /proc like `inotify-info` does. */
export function inotifyWatches(pid: number): number {
  let n = 0;
  for (const fd of readdirSync(`/proc/${pid}/fdinfo`)) {
    try {
      n += readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8').split('\n').filter((l) => l.startsWith('inotify wd:')).length;
    } catch {
      // fd closed meanwhile
    }
  }
  return n;
}

/** A process and all its descendants (a cluster's primary and its workers). */
export function treePids(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      let list = children.get(ppid);
      if (!list) children.set(ppid, (list = []));
      list.push(Number(d));
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  const stack = [pid];
  for (let guard = 0; stack.length > 0 && guard < 100_000; guard++) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return out;
}

/** The processes that answer requests: a cluster's workers, or the server itself when it has none. */
export function servingPids(pid: number): number[] {
  const below = treePids(pid).slice(1);
  return below.length > 0 ? below : [pid];
}

/**
 * Waits until every process of a gopherpress server serves: at once without workers; with them once
 * the primary prints `n workers serving`. Returns the ms waited.
 */
export async function everyWorkerServing(server: { readonly proc: { readonly pid?: number }; readonly output: readonly string[] }, timeoutMs = 120_000): Promise<number> {
  const t0 = performance.now();
  while (servingPids(server.proc.pid!)[0] !== server.proc.pid && !/\d+ workers serving/.test(server.output.join(''))) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`not every worker serving within ${timeoutMs} ms: ${server.output.join('')}`);
    await sleep(20);
  }
  return performance.now() - t0;
}

/** Resident memory of a process and all its descendants, in bytes (0 once it is gone). */
export function treeRss(pid: number): number {
  let total = 0;
  for (const p of treePids(pid)) {
    try {
      total += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

/**
 * Proportional memory of a process and its descendants, in bytes: pages shared between them (Node's
 * own code, the page cache they map) count once in all, not once per process as in `treeRss`.
 */
export function treePss(pid: number): number {
  let total = 0;
  for (const p of treePids(pid)) {
    try {
      total += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

/** Samples `treeRss(pid)` every `everyMs` until stopped; returns the maximum seen. */
export function sampleRss(pid: number, everyMs = 200): { stop(): number } {
  let max = treeRss(pid);
  const timer = setInterval(() => (max = Math.max(max, treeRss(pid))), everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(max, treeRss(pid));
    },
  };
}

/** CPU time (user + system, in clock ticks) of a process and its descendants so far. */
function treeCpuTicks(pid: number): number {
  let total = 0;
  for (const p of treePids(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += Number(f[11]) + Number(f[12]);
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

/**
 * Waits until a server is at rest: its processes used less than 5 % of a CPU over one second (the
 * work a start leaves behind, such as merging the full-text index, is done), or `maxMs` passed.
 * Returns the ms waited.
 */
export async function untilAtRest(pid: number, maxMs: number): Promise<number> {
  const started = performance.now();
  let before = treeCpuTicks(pid);
  while (performance.now() - started < maxMs) {
    await sleep(1000);
    const now = treeCpuTicks(pid);
    // Clock ticks are 1/100 s on Linux: 5 ticks a second is 5 % of one CPU.
    if (now - before < 5) break;
    before = now;
  }
  return performance.now() - started;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** True once something accepts TCP connections on the port. */
function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/**
 * Start a server process and wait until it is ready: until `readyLine` appears in its output, or (without
 * one) until the port accepts connections. Bounded by `timeoutMs`.
 */
export async function startProcess(
  name: string, cmd: string, args: string[], port: number,
  opts: { readyLine?: RegExp; timeoutMs?: number; env?: NodeJS.ProcessEnv; onSpawn?: (proc: ChildProcess) => void } = {},
): Promise<Running> {
  const started = performance.now();
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env }, detached: true });
  opts.onSpawn?.(proc);
  const output: string[] = [];
  proc.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
  proc.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
  const deadline = started + (opts.timeoutMs ?? 120_000);
  let ready = false;
  while (!ready) {
    if (proc.exitCode !== null) throw new Error(`${name} exited with ${proc.exitCode}: ${output.join('').slice(-2000)}`);
    if (performance.now() > deadline) {
      process.kill(-proc.pid!, 'SIGKILL');
      throw new Error(`${name} not ready within ${opts.timeoutMs ?? 120_000} ms: ${output.join('').slice(-2000)}`);
    }
    ready = opts.readyLine ? opts.readyLine.test(output.join('')) : await canConnect(port);
    if (!ready) await sleep(opts.readyLine ? 10 : 50);
  }
  const readyMs = performance.now() - started;
  const stop = async (): Promise<void> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    // The whole process group: gophernicus forks a child per connection.
    try {
      process.kill(-proc.pid!, 'SIGTERM');
    } catch {
      return;
    }
    // Past gopherpress's shutdown grace (10 s): a SIGKILL before it would lose its last log lines.
    const timer = setTimeout(() => {
      try {
        process.kill(-proc.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }, 15_000);
    await exited;
    clearTimeout(timer);
  };
  return { name, port, proc, output, readyMs, stop };
}

function cpuTimes(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - f[3]! - (f[4] ?? 0), total };
}

/**
 * Wait until the machine's CPUs are mostly idle (under `share` busy over 50 ms), at most `maxMs`:
 * a server that is still working off the backlog of the last run (pygopherd's threads) would
 * otherwise take CPU from the next server's run.
 */
export async function settle(share = 0.15, maxMs = 5000): Promise<number> {
  const t0 = Date.now();
  let prev = cpuTimes();
  while (Date.now() - t0 < maxMs) {
    await sleep(50);
    const now = cpuTimes();
    const busy = (now.busy - prev.busy) / Math.max(1, now.total - prev.total);
    prev = now;
    if (busy < share) break;
  }
  return Date.now() - t0;
}
