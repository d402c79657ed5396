import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApp, type App, type Logs } from '../../src/app.js';
import { gopherRaw as rawRequest } from '../../bench/lib/fetch.js';
import { DEFAULTS, type Config } from '../../src/config.js';
import { everyWorkerServing as waitAllServing } from '../../bench/lib/proc.js';
import { within } from './wait.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(REPO, 'dist/src/cli/main.js');
export const SEED = path.join(REPO, 'content/Friedensverhandlungen-Ukraine/!6084887.txt');

export const quietLogs = (lines: string[] = []): Logs => ({
  access: (r) => lines.push(`${r.selector} ${r.status}`),
  info: (l) => lines.push(l),
  error: (l) => lines.push(l),
});

/** A fresh state folder for one server's index; `remove()` once the server is closed. */
export function tempStateDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gopherpress-state-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The real server in this process, on an ephemeral loopback port, with an index of its own (removed on close). */
export async function startServer(content: string, overrides: Partial<Config> = {}, logLines?: string[]): Promise<App> {
  const state = overrides.stateDir === undefined ? tempStateDir() : undefined;
  const app = await startApp({ ...DEFAULTS, content, port: 0, bind: '127.0.0.1', hostname: '127.0.0.1', watch: false, stateDir: state?.dir, ...overrides }, quietLogs(logLines));
  // Tests search at once: wait for the words, which a cold start indexes after it serves.
  await app.writer?.fullTextReady;
  const close = app.close.bind(app);
  return Object.assign(app, { close: async () => {
    await close();
    state?.remove();
  } });
}

/** Send one raw request and collect everything until the server closes (bounded by `timeoutMs`). */
export function gopherRaw(port: number, request: string | Buffer, timeoutMs = 5000): Promise<Buffer> {
  return rawRequest(port, request, timeoutMs);
}

export async function gopher(port: number, selector: string, query?: string): Promise<string> {
  const line = query === undefined ? `${selector}\r\n` : `${selector}\t${query}\r\n`;
  return (await gopherRaw(port, line)).toString('utf8');
}

/** Menu lines as [type+display, selector, host, port], without the final `.`. */
export function menuLines(menu: string): string[][] {
  const lines = menu.split('\r\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.at(-1) === '.') lines.pop();
  return lines.map((l) => l.split('\t'));
}

function run(cmd: string, args: string[], timeoutMs = 15000, env: NodeJS.ProcessEnv = {}): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LANG: 'C', ...env } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ stdout, stderr, code });
    });
  });
}

/** What the acceptance test runs: `lynx -dump -nolist -width=1000 -display_charset=utf-8 URL`, under LANG=C as in CI. */
export async function lynxDump(url: string, extra: string[] = []): Promise<string> {
  const r = await run('lynx', ['-dump', '-nolist', '-width=1000', '-display_charset=utf-8', ...extra, url]);
  if (r.code !== 0) throw new Error(`lynx exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** A lynx dump of a menu, minus lynx's two heading lines and the first line's indentation. */
export function dumpBody(dump: string): string {
  const lines = dump.split('\n').slice(2);
  if (lines.length > 0) lines[0] = lines[0]!.trimStart();
  return lines.join('\n');
}

/** Trailing white space aside: lynx trims every line, and the file may or may not end in a newline. */
export function trimTrailing(s: string): string {
  return s.replace(/\r\n/g, '\n').split('\n').map((l) => l.replace(/\s+$/, '')).join('\n').replace(/\n+$/, '');
}

export async function curl(args: string[], timeoutMs = 15000): Promise<{ stdout: string; stderr: string; code: number }> {
  return run('curl', ['-sS', '--max-time', String(Math.ceil(timeoutMs / 1000)), ...args], timeoutMs + 1000);
}

export interface CliServer {
  readonly port: number;
  readonly proc: ChildProcess;
  readonly output: string[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Resolves once every process of the server serves (bench/lib/proc.ts). The first worker answers
 * from the `listening on` line; the others load the archive as it is when they start.
 */
export async function everyWorkerServing(cli: CliServer, timeoutMs = 20_000): Promise<void> {
  await waitAllServing(cli, timeoutMs);
}

/**
 * The built CLI as a user runs it; resolves once it prints its `listening on` line and, for `serve`,
 * `full text indexed:` (tests search at once; `waitForFullText` false: at the listening line).
 * `serve` without `--state-dir` gets a fresh one, removed when the server has stopped.
 */
export function startCli(args: string[], timeoutMs = 15000, waitForFullText = true): Promise<CliServer> {
  const ready = args[0] === 'serve' && waitForFullText ? /full text indexed:[^]*?\n/ : /$/;
  const state = args[0] === 'serve' && !args.includes('--state-dir') ? tempStateDir() : undefined;
  if (state) args = [...args, '--state-dir', state.dir];
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    if (state) proc.once('exit', state.remove);
    const output: string[] = [];
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`CLI did not start within ${timeoutMs} ms: ${output.join('')}`));
    }, timeoutMs);
    const stop = (signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> =>
      new Promise((res) => {
        if (proc.exitCode !== null) return res(proc.exitCode);
        const kill = setTimeout(() => proc.kill('SIGKILL'), 5000);
        proc.once('exit', (code) => {
          clearTimeout(kill);
          res(code);
        });
        proc.kill(signal);
      });
    const onData = (d: Buffer): void => {
      output.push(d.toString());
      const m = /listening on gopher:\/\/[^\s]*:(\d+)\//.exec(output.join(''));
      if (m && ready.test(output.join(''))) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), proc, output, stop });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`CLI exited ${code} before listening: ${output.join('')}`));
    });
  });
}

/**
 * Whether the user nobody can run the built CLI from where the repository lies (as root, tests run
 * the server as nobody, as deployed; a checkout in a folder only root may enter rules that out).
 */
export function nobodyCanRunCli(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', '--', 'test', '-r', CLI], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Resolves once the server has printed `full text indexed:` (every article findable by search). */
export async function fullTextIndexed(cli: CliServer, timeoutMs = 60_000): Promise<void> {
  await within(timeoutMs, 'full text indexed', async () => cli.output.join('').includes('full text indexed:'), 50);
}

export function runCli(args: string[], timeoutMs = 15000): Promise<{ stdout: string; stderr: string; code: number }> {
  return run(process.execPath, [CLI, ...args], timeoutMs);
}
