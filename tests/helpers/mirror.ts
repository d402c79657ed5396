import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { CLI, gopherRaw } from './gopher.js';

export interface MirrorRun {
  readonly proc: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
  /** resolves with the exit code (killed with SIGKILL after `timeoutMs`) */
  readonly exited: Promise<number | null>;
}

/** The real `gopherpress mirror` as a user runs it, not on a terminal (plain log lines). */
export function startMirror(args: string[], timeoutMs = 60_000): MirrorRun {
  const proc = spawn(process.execPath, [CLI, 'mirror', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  proc.stdout!.on('data', (d: Buffer) => stdout.push(d.toString()));
  proc.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    // 'close' comes after the exit and after the last output, unlike 'exit'.
    proc.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal ? -1 : null));
    });
  });
  return { proc, stdout, stderr, exited };
}

export async function runMirror(args: string[], timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const r = startMirror(args, timeoutMs);
  const code = await r.exited;
  return { code, stdout: r.stdout.join(''), stderr: r.stderr.join('') };
}

/**
 * A hand-written gopher server for the mirror to meet: reads one request line and hands its selector
 * (the first field) to `answer` with the socket, which writes whatever that server would.
 */
export function rawGopherServer(answer: (s: net.Socket, selector: string) => void): net.Server {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
    let head = '';
    s.on('data', (d: Buffer) => {
      if (head.includes('\n')) return;
      head += d.toString('latin1');
      const nl = head.indexOf('\n');
      if (nl >= 0) answer(s, head.slice(0, nl).replace(/\r$/, '').split('\t')[0]!);
    });
  });
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  return server;
}

/** Poll until `check` holds, at most `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The counters of the mirror's summary line, e.g. `{ fetched: 3, new: 1, ... }`. */
export function summaryCounts(stdout: string): Record<string, number> {
  const line = stdout.split('\n').find((l) => /^(done|interrupted|stopped at --max-items) \(/.test(l));
  if (!line) throw new Error(`no summary line in:\n${stdout}`);
  const out: Record<string, number> = {};
  for (const m of line.matchAll(/(\d+) (fetched|new|changed|unchanged|up to date|deleted|errors)/g)) out[m[2]!] = Number(m[1]);
  return out;
}

/**
 * Walk two servers from the root in step and return every difference, host and port aside: each
 * local menu, text and file of A must be the same on B. Bounded in items; lists whose lines carry
 * a version (size and mtime) are compared without it, since a copy's files have their own mtimes.
 * Everything /files.txt lists (article texts are linked from no menu) is compared too.
 */
export async function compareServers(portA: number, portB: number, host = '127.0.0.1', limit = 500): Promise<{ compared: string[]; differences: string[] }> {
  const norm = (b: Buffer, port: number, selector: string): string => {
    let s = b.toString('latin1').split(`\t${host}\t${port}\r\n`).join('\t(self)\t(port)\r\n');
    if (selector === '/index.txt') s = s.replace(/\t[0-9a-z]+-[0-9a-z]+\n/g, '\t(version)\n');
    if (selector === '/files.txt') s = s.replace(/\t[0-9a-z]+-[0-9a-z]+\t/g, '\t(version)\t');
    return s;
  };
  const seen = new Set<string>();
  const compared: string[] = [];
  const differences: string[] = [];
  const queue: { type: string; selector: string }[] = [{ type: '1', selector: '' }];
  while (queue.length > 0 && seen.size < limit) {
    const { type, selector } = queue.shift()!;
    const key = `${type}${selector}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const req = type === '7' ? `${selector}\tEnergiewende\r\n` : `${selector}\r\n`;
    const [a, b] = await Promise.all([gopherRaw(portA, req), gopherRaw(portB, req)]);
    compared.push(key);
    const na = norm(a, portA, selector);
    if (na !== norm(b, portB, selector)) differences.push(key);
    // The article texts are not linked from any menu; /files.txt names them (and every other file).
    if (selector === '/files.txt') {
      for (const line of a.toString('utf8').split('\n')) {
        const sel = line.split('\t')[2];
        if (sel) queue.push({ type: sel.endsWith('/') ? '1' : '0', selector: sel });
      }
    }
    if (type !== '1' && type !== '7') continue;
    for (const line of na.split('\r\n')) {
      const f = line.split('\t');
      if (f.length >= 4 && f[2] === '(self)' && !'i3'.includes(f[0]!.charAt(0))) queue.push({ type: f[0]!.charAt(0), selector: f[1]! });
    }
  }
  return { compared, differences };
}
