import { spawn } from 'node:child_process';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { servingPids } from '../../bench/lib/proc.js';
import { CLI, REPO, everyWorkerServing, startCli } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../hostile/net.js';

const FIXTURES = path.join(REPO, 'tests/fixtures/archive');

/** `n` requests, one after another, each read to the end. */
async function requests(port: number, n: number, selector: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    await new Promise<void>((resolve) => {
      const s = net.connect({ port, host: '127.0.0.1' }, () => s.write(`${selector}\r\n`));
      s.on('data', () => {});
      s.on('error', () => {});
      s.on('close', () => resolve());
    });
  }
}

const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : []);
const count = (file: string, selector: string): number => lines(file).filter((l) => l.includes(` gopher ${JSON.stringify(selector)} `)).length;
/** Write system calls a process has made (Linux /proc/<pid>/io). */
const writeCalls = (pid: number): number => Number(/^syscw: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))![1]);

describe('the access log, buffered as nginx buffers it', () => {
  const dir = tempDir('gopherpress-accesslog-');
  const content = tempDir('gopherpress-accesslog-content-', FIXTURES);
  const serve = (log: string, workers: string) =>
    startCli(['serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--no-watch', '--workers', workers, '--log-file', log]);

  it('costs no write system call per request, and every line is in the file within a second', async () => {
    const log = path.join(dir, 'buffered.log');
    const server = await serve(log, '1');
    try {
      // Settled: startCli waits for the index to be complete (its writes are not the log's).
      await requests(server.port, 10, '/');
      const before = writeCalls(server.proc.pid!);
      await requests(server.port, 500, '/');
      const calls = writeCalls(server.proc.pid!) - before;
      // One write per answer to its socket; a log line written per request would make it two.
      expect(calls).toBeLessThan(600);
      await waitFor('510 lines', () => count(log, '/') === 510, 5000);
    } finally {
      await server.stop();
    }
  });

  it('loses no line on SIGTERM, with workers', async () => {
    const log = path.join(dir, 'term.log');
    const server = await serve(log, '2');
    await everyWorkerServing(server);
    await requests(server.port, 300, '/tags/');
    // At once, well within the second a line may wait in a worker's buffer.
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(count(log, '/tags/')).toBe(300);
  });

  it('loses no line when every process gets SIGTERM at once, as systemd stops a service (the workers get it twice)', async () => {
    const log = path.join(dir, 'group.log');
    // A process group of its own: the primary and its workers, as a unit's control group.
    // With the watcher, as by default: closing it gives the primary's own SIGTERM time to arrive.
    const proc = spawn(process.execPath, [CLI, 'serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--workers', '2', '--log-file', log], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const output: string[] = [];
    proc.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
    proc.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    try {
      await waitFor('2 workers serving', () => /2 workers serving/.test(output.join('')), 20_000);
      const port = Number(/listening on gopher:\/\/[^\s]*:(\d+)\//.exec(output.join(''))![1]);
      await requests(port, 300, '/tags/');
      // Connections that have sent nothing keep a worker's shutdown going for a second: long
      // enough for the primary's own SIGTERM to reach it on top of the group's.
      const idle = Array.from({ length: 4 }, () => net.connect({ port, host: '127.0.0.1' }).on('error', () => {}));
      await Promise.all(idle.map((s) => new Promise((r) => s.once('connect', r))));
      process.kill(-proc.pid!, 'SIGTERM');
      expect(await exited).toBe(0);
      expect(count(log, '/tags/')).toBe(300);
      for (const s of idle) s.destroy();
    } finally {
      if (proc.exitCode === null) process.kill(-proc.pid!, 'SIGKILL');
    }
  });

  it('SIGHUP after logrotate moved the file: the lines so far in the old file, the next ones in a new one', async () => {
    const log = path.join(dir, 'hup.log');
    const rotated = path.join(dir, 'hup.log.1');
    const server = await serve(log, '2');
    try {
      await everyWorkerServing(server);
      await requests(server.port, 200, '/about');
      // A line is logged when the server sees its client go, which can come just after the client has
      // read the answer's end: without this pause the 200th line could fall after the reopen.
      await new Promise((r) => setTimeout(r, 300));
      renameSync(log, rotated);
      server.proc.kill('SIGHUP');
      await waitFor('both workers reloaded', () => (server.output.join('').match(/reloaded: \d+ articles/g) ?? []).length === 2, 10_000);
      await requests(server.port, 100, '/date/');
      await waitFor('100 lines in the new file', () => count(log, '/date/') === 100, 5000);
      expect(count(rotated, '/about')).toBe(200);
      expect(count(rotated, '/date/')).toBe(0);
      expect(count(log, '/about')).toBe(0);
    } finally {
      await server.stop();
    }
  });

  it('a worker killed outright loses at most its last second of lines', async () => {
    const log = path.join(dir, 'kill.log');
    const server = await serve(log, '2');
    try {
      await everyWorkerServing(server);
      await requests(server.port, 200, '/all/');
      // Longer than the flush interval: every line of those requests is written by now.
      await new Promise((r) => setTimeout(r, 2500));
      for (const pid of servingPids(server.proc.pid!)) process.kill(pid, 'SIGKILL');
      await waitFor('workers replaced', () => (server.output.join('').match(/exited \(SIGKILL\)/g) ?? []).length === 2, 10_000);
      expect(count(log, '/all/')).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
