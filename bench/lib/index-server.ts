import { execFileSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fetchGopher } from './fetch.js';
import { sleep, startProcess, type Running } from './proc.js';

/** A gopherpress started as a user starts it, with the times of its log lines since spawn. */
export interface IndexServer {
  readonly run: Running;
  readonly port: number;
  /** performance.now() at spawn (to within the ready check's 10 ms) */
  readonly spawnAt: number;
  /** ms since spawn at which the server's output first matched `re`, once it has */
  lineAt(re: RegExp): number | undefined;
  /** the first output line matching `re` */
  line(re: RegExp): string | undefined;
  stop(): Promise<void>;
}

/** Flags of the build at hand: builds before the SQLite index (issue 15) have no `--state-dir` and keep their start-up cache in content/. */
export function serveFlags(cli: string): { stateDir: boolean; perIpLimit: boolean } {
  const help = execFileSync(process.execPath, [cli, 'serve', '--help'], { encoding: 'utf8' });
  return { stateDir: help.includes('--state-dir'), perIpLimit: help.includes('--max-connections-per-ip') };
}

export async function startIndexServer(o: {
  cli: string; content: string; stateDir: string; logFile: string; flags: { stateDir: boolean; perIpLimit: boolean }; timeoutMs: number;
  /** the process as soon as it is spawned, before it is ready */
  onSpawn?: (proc: ChildProcess) => void;
}): Promise<IndexServer> {
  const args = [o.cli, 'serve', '--content', o.content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--log-file', o.logFile];
  if (o.flags.stateDir) args.push('--state-dir', o.stateDir);
  // gopherload's 64 connections all come from 127.0.0.1, the default per-address limit: one reconnecting
  // before the server has closed its last connection would be turned away.
  if (o.flags.perIpLimit) args.push('--max-connections-per-ip', '1000');
  // XDG_STATE_HOME too: should a build ignore the flag, its default state folder is still ours to delete.
  const env = { XDG_STATE_HOME: path.join(o.stateDir, 'xdg') };
  const run = await startProcess('gopherpress', process.execPath, args, 0, { readyLine: /listening on gopher:\/\/[^\n]*:\d+\//, timeoutMs: o.timeoutMs, env, onSpawn: o.onSpawn });
  const spawnAt = performance.now() - run.readyMs;
  const port = Number(/listening on gopher:\/\/[^\n]*:(\d+)\//.exec(run.output.join(''))![1]);
  // When each piece of output arrived, to date a log line by the piece that completed it.
  const arrived: { end: number; at: number }[] = [];
  const note = (): void => void arrived.push({ end: run.output.join('').length, at: performance.now() - spawnAt });
  run.proc.stdout!.on('data', note);
  run.proc.stderr!.on('data', note);
  return {
    run, port, spawnAt,
    lineAt(re) {
      const m = re.exec(run.output.join(''));
      if (!m) return undefined;
      const end = m.index + m[0].length;
      return arrived.find((a) => a.end >= end)?.at ?? run.readyMs;
    },
    line(re) {
      return run.output.join('').split('\n').find((l) => re.test(l));
    },
    stop: () => run.stop(),
  };
}

/** Fetch `line` every `everyMs` until `ok(answer)`; ms since `from`, or undefined at `until` (performance.now()). */
export async function pollUntil(port: number, line: string, ok: (body: Buffer) => boolean, from: number, until: number, everyMs: number): Promise<number | undefined> {
  while (performance.now() < until) {
    const body = await fetchGopher(port, line, Math.max(1000, until - performance.now())).catch(() => Buffer.alloc(0));
    if (ok(body)) return performance.now() - from;
    await sleep(everyMs);
  }
  return undefined;
}

/**
 * Stop process groups at once (a bench interrupted by Ctrl-C): SIGTERM, then SIGKILL to any group
 * still there after `graceMs`.
 */
export async function killGroups(procs: Iterable<ChildProcess>, graceMs = 5000): Promise<void> {
  const live = [...procs].filter((p) => p.exitCode === null && p.signalCode === null);
  const signal = (p: ChildProcess, sig: NodeJS.Signals): void => {
    try {
      process.kill(-p.pid!, sig);
    } catch {
      // gone already
    }
  };
  for (const p of live) signal(p, 'SIGTERM');
  const until = performance.now() + graceMs;
  while (performance.now() < until && live.some((p) => p.exitCode === null && p.signalCode === null)) await sleep(50);
  for (const p of live) signal(p, 'SIGKILL');
}
