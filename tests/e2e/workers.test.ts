import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, gopher, startCli } from '../helpers/gopher.js';
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

describe('--workers', () => {
  it('serves from two worker processes on one port and stops them all on SIGTERM', async () => {
    const content = tempDir('gopherpress-workers-', path.join(REPO, 'tests/fixtures/archive'));
    const cli = await startCli(['serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--no-watch', '--quiet', '--workers', '2'], 30_000);
    try {
      expect(cli.output.join('')).toContain('(2 workers)');
      const workers = await childPids(cli.proc.pid!);
      expect(workers.length).toBe(2);
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
      expect(await childPids(cli.proc.pid!)).toEqual([]);
      expect(await gopher(cli.port, '/!1000002')).toContain('Windkraft an Land');
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });

  it('rejects a worker count that is not a positive number with exit code 2', async () => {
    const { runCli } = await import('../helpers/gopher.js');
    const r = await runCli(['serve', '--workers', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/workers/);
  });
});
