import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO, everyWorkerServing, startCli, type CliServer } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import { exchange, fdCount, rssKb, send, waitFor } from './net.js';
import { openFileLimit } from '../../src/server/fd-limit.js';

const FLOOD = 10_000;

/** Open `n` connections that never send a byte, `batch` at a time; resolves with those that connected. */
async function openIdle(port: number, n: number, batch = 500, localAddress?: (i: number) => string): Promise<net.Socket[]> {
  const sockets: net.Socket[] = [];
  for (let i = 0; i < n; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, n - i) }, (_, j) =>
        new Promise<void>((resolve) => {
          const s = net.connect({ port, host: '127.0.0.1', localAddress: localAddress?.(i + j) });
          s.on('error', () => resolve());
          s.on('close', () => resolve());
          s.once('connect', () => {
            sockets.push(s);
            resolve();
          });
        }),
      ),
    );
  }
  return sockets;
}

describe('floods: 10,000 idle connections, then normal clients', () => {
  const content = tempDir('gopherpress-flood-', path.join(REPO, 'tests/fixtures/archive'));
  let server: CliServer;

  beforeAll(async () => {
    // This process holds one end of every connection and the server the other: both need the descriptors.
    const limit = openFileLimit() ?? 0;
    if (limit < FLOOD + 1000) throw new Error(`ulimit -n is ${limit}; this test needs ${FLOOD + 1000} (raise it: ulimit -n 20000)`);
    server = await startCli([
      'serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--no-watch', '--quiet',
      '--max-connections', '20000', '--max-connections-per-ip', '20000', '--request-timeout', '120',
    ]);
    // Settled first: the cold first worker's handover would drop the idle connections it holds.
    await everyWorkerServing(server);
  });
  afterAll(() => server?.stop());

  it('keeps answering normal clients with RSS bounded while 10,000 idle connections are held', async () => {
    const pid = server.proc.pid!;
    const root = (await exchange(server.port, send('/\r\n'))).data;
    expect(root.toString('latin1')).toContain('NEWEST ARTICLES');
    const rssBefore = rssKb(pid);
    const idle = await openIdle(server.port, FLOOD);
    try {
      expect(idle.length).toBe(FLOOD);
      await waitFor('the server to hold every idle connection', () => fdCount(pid) >= FLOOD, 30_000);
      const answers = await Promise.all(Array.from({ length: 20 }, () => exchange(server.port, send('/\r\n'), 15_000)));
      for (const a of answers) expect(a.data).toEqual(root);
      const rssFlood = rssKb(pid);
      console.log(`flood: ${FLOOD} idle connections, server RSS ${Math.round(rssBefore / 1024)} MB → ${Math.round(rssFlood / 1024)} MB, fds ${fdCount(pid)}`);
      // Bounded: a few KB per idle connection, nowhere near a buffer per connection.
      expect(rssFlood - rssBefore).toBeLessThan(200 * 1024);
    } finally {
      for (const s of idle) s.destroy();
    }
    await waitFor('the idle connections to be gone', () => fdCount(pid) < 100, 30_000);
    expect((await exchange(server.port, send('/\r\n'))).data).toEqual(root);
  }, 120_000);
});

describe('floods: out of file descriptors', () => {
  const content = tempDir('gopherpress-emfile-', path.join(REPO, 'tests/fixtures/archive'));
  writeFileSync(path.join(content, 'file.bin'), randomBytes(1024));

  it('does not crash at a low ulimit -n: caps itself below it, refuses the excess, serves after the flood', async () => {
    // A child shell lowers its own soft limit (Node cannot call setrlimit), then becomes the server.
    const proc = spawn('sh', ['-c', `ulimit -n 256 && exec "${process.execPath}" "${CLI}" serve --content "${content}" --port 0 --bind 127.0.0.1 --hostname 127.0.0.1 --no-watch --quiet --max-connections-per-ip 5000`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (out += d));
    try {
      await waitFor('the server to listen', () => /listening on gopher:\/\/[^\s]*:(\d+)\//.test(out), 15_000);
      const port = Number(/listening on gopher:\/\/[^\s]*:(\d+)\//.exec(out)![1]);
      expect(out).toContain('max connections lowered to 128 to stay under the open-file limit');
      const idle = await openIdle(port, 1500, 250);
      try {
        await new Promise((r) => setTimeout(r, 500));
        expect(proc.exitCode).toBe(null);
      } finally {
        for (const s of idle) s.destroy();
      }
      await waitFor('the flood to drain', () => fdCount(proc.pid!) < 64, 20_000);
      const r = await exchange(port, send('/file.bin\r\n'));
      expect(r.data.length).toBe(1024);
      expect(proc.exitCode).toBe(null);
      expect(out).not.toMatch(/internal error|Error:|at .*\.js/);
    } finally {
      proc.kill('SIGKILL');
    }
  }, 60_000);
});
