import os from 'node:os';
import path from 'node:path';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { generateArchive } from '../helpers/archive-gen.js';
import { within } from '../helpers/wait.js';
import { describe, expect, it } from 'vitest';
import { CLI, REPO, everyWorkerServing, fullTextIndexed, gopher, startCli, tempStateDir } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';

/** The worker pids serving this port: each answer names none, so ask the OS who holds the children. */
async function childPids(pid: number): Promise<number[]> {
  const { readFileSync } = await import('node:fs');
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * The cluster's workers: children that run the CLI. A cold start's index processes (archive/*-worker.js,
 * which end once the index is built) are children too, but serve nothing.
 */
async function workerPids(pid: number): Promise<number[]> {
  const { readFileSync } = await import('node:fs');
  const cli = (p: number): boolean => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('/cli/main.js');
    } catch {
      return false;
    }
  };
  return (await childPids(pid)).filter(cli);
}

describe('--workers', () => {
  it('serves from two worker processes on one port and stops them all on SIGTERM', async () => {
    const content = tempDir('gopherpress-workers-', path.join(REPO, 'tests/fixtures/archive'));
    const cli = await startCli(['serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--no-watch', '--quiet', '--workers', '2'], 30_000);
    try {
      // The primary built the index before the first worker started: it answers at once.
      expect(await gopher(cli.port, '/!1000002')).toContain('Windkraft an Land');
      // Clients asking while the second worker starts get whole answers.
      let done = false;
      const during: Promise<string[]> = (async () => {
        const got: string[] = [];
        for (let i = 0; i < 500 && !done; i++) got.push(await gopher(cli.port, '/!1000002'));
        return got;
      })();
      await everyWorkerServing(cli);
      await within(5000, 'two workers', async () => (await workerPids(cli.proc.pid!)).length === 2);
      done = true;
      for (const a of await during) expect(a).toContain('Windkraft an Land');
      const workers = await workerPids(cli.proc.pid!);
      const answers = await Promise.all(Array.from({ length: 40 }, () => gopher(cli.port, '/!1000002')));
      for (const a of answers) expect(a).toContain('Windkraft an Land');
      expect(await gopher(cli.port, '/search', 'Windkraft')).toContain('found for: Windkraft');
      expect(await cli.stop('SIGTERM')).toBe(0);
      for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
    } finally {
      await cli.stop('SIGKILL');
    }
  });

  it('with --workers 1 runs one process, no cluster', async () => {
    const content = tempDir('gopherpress-workers-', path.join(REPO, 'tests/fixtures/archive'));
    const cli = await startCli(['serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--no-watch', '--quiet', '--workers', '1']);
    try {
      expect(cli.output.join('')).not.toContain('workers');
      expect(await workerPids(cli.proc.pid!)).toEqual([]);
      // and once the cold start's index is built, its processes are gone: one process serves.
      await within(20_000, 'the index processes to end', async () => (await childPids(cli.proc.pid!)).length === 0);
      expect(await gopher(cli.port, '/!1000002')).toContain('Windkraft an Land');
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });

  it('defaults to one worker per CPU', async () => {
    const content = tempDir('gopherpress-workers-', path.join(REPO, 'tests/fixtures/archive'));
    const cli = await startCli(['serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--no-watch', '--quiet']);
    try {
      await everyWorkerServing(cli);
      const cpus = os.availableParallelism();
      if (cpus > 1) {
        expect(await workerPids(cli.proc.pid!)).toHaveLength(cpus);
        expect(cli.output.join('')).toContain(`\n${cpus} workers serving\n`);
      } else expect(await workerPids(cli.proc.pid!)).toEqual([]);
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });

  it("runs its workers with glibc's mmap threshold fixed at 128 KB, unless the operator set one", async () => {
    const content = tempDir('gopherpress-workers-', path.join(REPO, 'tests/fixtures/archive'));
    const threshold = (pid: number): string | undefined =>
      readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').find((v) => v.startsWith('MALLOC_MMAP_THRESHOLD_='));
    const args = ['serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--no-watch', '--quiet', '--workers', '2'];
    for (const [given, want] of [[undefined, 'MALLOC_MMAP_THRESHOLD_=131072'], ['65536', 'MALLOC_MMAP_THRESHOLD_=65536']] as const) {
      const before = process.env.MALLOC_MMAP_THRESHOLD_;
      if (given === undefined) delete process.env.MALLOC_MMAP_THRESHOLD_;
      else process.env.MALLOC_MMAP_THRESHOLD_ = given;
      const cli = await startCli(args, 30_000).finally(() => {
        if (before === undefined) delete process.env.MALLOC_MMAP_THRESHOLD_;
        else process.env.MALLOC_MMAP_THRESHOLD_ = before;
      });
      try {
        await everyWorkerServing(cli);
        const workers = await workerPids(cli.proc.pid!);
        expect(workers).toHaveLength(2);
        for (const pid of workers) expect(threshold(pid)).toBe(want);
        // The primary's own setting is the operator's: it allocates little.
        expect(threshold(cli.proc.pid!)).toBe(given === undefined ? undefined : want);
      } finally {
        expect(await cli.stop()).toBe(0);
      }
    }
  });

  it('says what went wrong at start-up in one line, with the exit code of a single process', async () => {
    const { runCli } = await import('../helpers/gopher.js');
    const content = tempDir('gopherpress-workers-', path.join(REPO, 'tests/fixtures/archive'));
    const bad = await runCli(['serve', '--content', content, '--port', '0', '--bind', '192.0.2.1', '--workers', '2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual([expect.stringMatching(/cannot listen on 192\.0\.2\.1 .*--bind/)]);
    const first = await startCli(['serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--quiet', '--workers', '1']);
    try {
      const taken = await runCli(['serve', '--content', content, '--port', String(first.port), '--bind', '127.0.0.1', '--workers', '2']);
      expect(taken.code).toBe(1);
      expect(taken.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`port ${first.port} on 127\\.0\\.0\\.1 is in use`))]);
    } finally {
      await first.stop();
    }
  });

  it('after a restart, every worker serves an article changed while the server was down', async () => {
    const content = tempDir('gopherpress-workers-', path.join(REPO, 'tests/fixtures/archive'));
    const state = tempStateDir();
    const args = ['serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--no-watch', '--quiet', '--workers', '2', '--state-dir', state.dir];
    const once = await startCli(args, 30_000);
    await everyWorkerServing(once);
    expect(await once.stop()).toBe(0);
    const file = path.join(content, '2025', '05', '01', '!1000002.txt');
    writeFileSync(file, readFileSync(file, 'utf8').replace('Windkraft an Land', 'Windkraft auf hoher See'));
    const cli = await startCli(args, 30_000);
    try {
      await everyWorkerServing(cli);
      await fullTextIndexed(cli);
      // Within the second after the scan found it, every worker sees the change.
      await within(2000, 'the change in every worker', async () => {
        const answers = await Promise.all(Array.from({ length: 40 }, () => gopher(cli.port, '/!1000002')));
        return answers.every((a) => a.includes('Windkraft auf hoher See'));
      });
      expect(await gopher(cli.port, '/search', 'hoher See')).toContain('1 article found for: hoher See');
    } finally {
      expect(await cli.stop()).toBe(0);
      state.remove();
    }
  });

  it('stops at once on SIGTERM during a cold start, leaving no process behind', async () => {
    const root = tempDir('gopherpress-workers-cold-');
    const state = tempStateDir();
    // Enough to scan for seconds, so the server could only be gone within one if it stopped.
    generateArchive(root, 15_000, 20);
    const proc = spawn(process.execPath, [CLI, 'serve', '--content', root, '--port', '0', '--bind', '127.0.0.1', '--quiet', '--no-watch', '--workers', '2', '--state-dir', state.dir], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    // The primary scanning content/ into the index (it has opened the database).
    await within(10_000, 'the index being built', async () => {
      try {
        return statSync(path.join(state.dir, 'index.sqlite-wal')).size > 0;
      } catch {
        return false;
      }
    });
    proc.kill('SIGTERM');
    const t0 = Date.now();
    expect(await exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(3000);
    state.remove();
  }, 60_000);

  it('rejects a worker count that is not a positive number with exit code 2', async () => {
    const { runCli } = await import('../helpers/gopher.js');
    const r = await runCli(['serve', '--workers', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/workers/);
  });
});
