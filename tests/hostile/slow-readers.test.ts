import { randomBytes } from 'node:crypto';
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, startCli, type CliServer } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import { rssKb } from './net.js';
import { slowClients } from '../../bench/lib/fetch.js';

const SIZE = 1024 ** 3;
const HEAD = 4 * 1024 * 1024;
const READERS = 30;
const RATE = 4 * 1024 * 1024; // bytes per second each reader takes
const SECONDS = 5;

const ZEROS = Buffer.alloc(64 * 1024);

function isZeros(b: Buffer): boolean {
  for (let at = 0; at < b.length; at += ZEROS.length) {
    const part = b.subarray(at, at + ZEROS.length);
    if (!part.equals(ZEROS.subarray(0, part.length))) return false;
  }
  return true;
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
    const received = new Array<number>(READERS).fill(0);
    const sample = setInterval(() => (max = Math.max(max, rssKb(pid))), 100);
    // Every chunk checked where it lands: the random head, then the hole's zeros.
    const wrong: number[] = [];
    let got: number[];
    try {
      got = await slowClients(server.port, '/big.bin', READERS, RATE, SECONDS, (i, chunk) => {
        const at = received[i]!;
        received[i] = at + chunk.length;
        const headPart = Math.max(0, Math.min(chunk.length, HEAD - at));
        const ok = chunk.subarray(0, headPart).equals(head.subarray(at, at + headPart)) && isZeros(chunk.subarray(headPart));
        if (!ok && wrong.length < 10) wrong.push(i);
      });
    } finally {
      clearInterval(sample);
    }
    const total = got.reduce((n, b) => n + b, 0);
    console.log(`slow readers: ${READERS} took ${Math.round(total / 1024 ** 2)} MB in ${SECONDS} s; server RSS ${Math.round(before / 1024)} MB, at most ${Math.round(max / 1024)} MB`);
    expect(wrong).toEqual([]);
    // Each got a good share of its budget: past the random head, into the zeros.
    for (const n of got) expect(n).toBeGreaterThan(HEAD);
    // One 64 KB buffer per reader is 2 MB (~11 MB measured with the rest a first transfer warms up);
    // a fresh buffer per read let ~50 MB of garbage pile up here.
    expect(max - before).toBeLessThan(24 * 1024);
  }, 60_000);
});
