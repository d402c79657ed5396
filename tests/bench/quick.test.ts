import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * `npm run bench -- --quick`: gopherpress under load from gopherload (2,000 articles, every request
 * kind at 64 connections, its access log on) must answer every request with the right bytes, and log
 * each. Speed is not checked here.
 */
describe('the quick benchmark', () => {
  // Removed after: the archive, gopherload's build, the access log.
  const dir = tempDir('gopherpress-bench-ci-');

  it('runs with zero errors', async () => {
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [path.join(REPO, 'dist/bench/run.js'), '--quick', '--dir', dir], { timeout: 110_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    });
    expect(r.stderr).not.toContain('FAIL');
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    expect(r.stdout).toMatch(/\| article \| 64 \| \d+ \(.*, 0, /);
    expect(r.stdout).toMatch(/^- access log \(a file, as deployed\): [1-9]\d* lines/m);
  }, 120_000);
});
