import { randomBytes } from 'node:crypto';
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, startCli, type CliServer } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import { rssKb } from './net.js';

const SIZE = 1024 ** 3;
const HEAD = 4 * 1024 * 1024;
const READERS = 30;
const RATE = 4 * 1024 * 1024; // bytes per second each reader takes
const SECONDS = 5;

/**
 * `READERS` clients fetching `selector`, each taking at most RATE bytes a second for SECONDS, then
 * hanging up (as the bench's 50 slow clients do). Resolves with what each received.
 */
function slowReaders(port: number, selector: string): Promise<Buffer[]> {
  return new Promise((resolve) => {
    const got: Buffer[][] = Array.from({ length: READERS }, () => []);
    const count = new Array<number>(READERS).fill(0);
    const start = Date.now();
    const sockets = Array.from({ length: READERS }, (_, i) => {
      const s = net.connect({ port, host: '127.0.0.1' }, () => s.write(`${selector}\r\n`));
      s.on('error', () => {});
      s.on('data', (d) => {
        got[i]!.push(d);
        count[i]! += d.length;
        if (count[i]! >= ((Date.now() - start) / 1000) * RATE) s.pause();
      });
      return s;
    });
    const tick = setInterval(() => {
      for (let i = 0; i < READERS; i++) if (count[i]! < ((Date.now() - start) / 1000) * RATE) sockets[i]!.resume();
    }, 50);
    setTimeout(() => {
      clearInterval(tick);
      for (const s of sockets) s.destroy();
      resolve(got.map((chunks) => Buffer.concat(chunks)));
    }, SECONDS * 1000);
  });
}

describe('slow readers of a large file', () => {
  const content = tempDir('gopherpress-slow-readers-', path.join(REPO, 'tests/fixtures/archive'));
  const head = randomBytes(HEAD);
  let server: CliServer;

  beforeAll(async () => {
    // A gigabyte that costs no disk: random bytes first, then a hole that reads as zeros.
    const fd = openSync(path.join(content, 'big.bin'), 'w');
    writeSync(fd, head);
    ftruncateSync(fd, SIZE);
    closeSync(fd);
    server = await startCli(['serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--no-watch', '--quiet', '--workers', '1', '--max-connections-per-ip', '1000']);
  });
  afterAll(() => server?.stop());

  it(`sends ${READERS} slow readers their bytes in order while its RSS stays flat`, async () => {
    const pid = server.proc.pid!;
    const before = rssKb(pid);
    let max = before;
    const sample = setInterval(() => (max = Math.max(max, rssKb(pid))), 100);
    let got: Buffer[];
    try {
      got = await slowReaders(server.port, '/big.bin');
    } finally {
      clearInterval(sample);
    }
    const total = got.reduce((n, b) => n + b.length, 0);
    console.log(`slow readers: ${READERS} took ${Math.round(total / 1024 ** 2)} MB in ${SECONDS} s; server RSS ${Math.round(before / 1024)} MB, at most ${Math.round(max / 1024)} MB`);
    for (const b of got) {
      // Each got a good share of its budget, and exactly the file's bytes from the start.
      expect(b.length).toBeGreaterThan(HEAD);
      expect(b.subarray(0, HEAD).equals(head)).toBe(true);
      expect(b.subarray(HEAD).equals(Buffer.alloc(b.length - HEAD))).toBe(true);
    }
    // One 64 KB buffer per reader is 2 MB (~11 MB measured with the rest a first transfer warms up);
    // a fresh buffer per read let ~50 MB of garbage pile up here.
    expect(max - before).toBeLessThan(24 * 1024);
  }, 60_000);
});
