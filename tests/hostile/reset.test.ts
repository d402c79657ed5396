import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, everyWorkerServing, fullTextIndexed, startCli, type CliServer } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import { exchange, fdCount, send, waitFor } from './net.js';

const SIZE = 8 * 1024 * 1024;

/** Ask for `selector`, then reset the connection (RST) once `after` bytes arrived (0: right after asking). */
function resetAfter(port: number, selector: string, after: number): Promise<void> {
  return new Promise((resolve) => {
    let got = 0;
    const s = net.connect({ port, host: '127.0.0.1' }, () => {
      s.write(`${selector}\r\n`);
      if (after === 0) s.resetAndDestroy();
    });
    s.on('data', (d) => {
      got += d.length;
      if (got >= after && !s.destroyed) s.resetAndDestroy();
    });
    s.on('error', () => {});
    s.on('close', () => resolve());
  });
}

describe('clients that reset mid-transfer', () => {
  const content = tempDir('gopherpress-reset-', path.join(REPO, 'tests/fixtures/archive'));
  let server: CliServer;

  beforeAll(async () => {
    writeFileSync(path.join(content, 'big.bin'), randomBytes(SIZE));
    server = await startCli(['serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--no-watch']);
  });
  afterAll(() => server?.stop());

  it('survives hundreds of resets (ECONNRESET, EPIPE) without leaking a file descriptor', async () => {
    const pid = server.proc.pid!;
    const whole = await exchange(server.port, send('/big.bin\r\n'), 20_000);
    expect(whole.data.length).toBe(SIZE);
    // Settled first: every worker up, and the index complete (its full-text process done).
    await everyWorkerServing(server);
    await fullTextIndexed(server);
    const baseline = fdCount(pid);
    for (let round = 0; round < 10; round++) {
      await Promise.all([
        ...Array.from({ length: 10 }, (_, i) => resetAfter(server.port, '/big.bin', 1 + i * 100_000)),
        ...Array.from({ length: 5 }, () => resetAfter(server.port, '/big.bin', 0)),
        ...Array.from({ length: 5 }, () => resetAfter(server.port, '/!1000001', 0)),
      ]);
    }
    // Every file opened for a cut transfer is closed again, every socket released.
    await waitFor(`fds back to ${baseline} (now ${fdCount(pid)})`, () => fdCount(pid) <= baseline, 15_000);
    expect(server.proc.exitCode).toBe(null);
    expect((await exchange(server.port, send('/big.bin\r\n'), 20_000)).data.length).toBe(SIZE);
    // The access log is written once a second (log-buffer.ts).
    const reset = /"\/big\.bin" 9 \d+ [\d.]+ms reset/;
    await waitFor('a reset in the log', () => reset.test(server.output.join('')), 5000);
    const log = server.output.join('');
    expect(log).not.toMatch(/internal error|Unhandled|at .*\.js:\d+/);
  }, 90_000);
});
