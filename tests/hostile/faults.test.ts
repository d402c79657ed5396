import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, readFileSync, renameSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { REPO, startServer } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import { exchange, isErrorMenu, send } from './net.js';

const FIXTURES = path.join(REPO, 'tests/fixtures/archive');
const SIZE = 16 * 1024 * 1024;
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('faults: content changing under the server (no watcher: the request path alone)', () => {
  const base = tempDir('gopherpress-faults-');
  const content = path.join(base, 'content');
  // Whole seconds, so that a test can put a file back exactly as the archive indexed it.
  const T = 1_750_000_000;
  // Rendered answers are kept per archive generation (a whole, consistent version); each case below
  // asks for an article nobody asked for before, so its answer comes from the file on disk.
  const copy = (n: number): string => path.join(content, `Faults/!200000${n}.txt`);
  let app: App;
  let original: Buffer;
  let root: Buffer;
  const ask = async (sel: string): Promise<string> => (await exchange(app.port, send(`${sel}\r\n`))).data.toString('utf8');

  beforeAll(async () => {
    cpSync(FIXTURES, content, { recursive: true });
    original = readFileSync(path.join(content, 'Energiewende-Kurz/!1000001.txt'));
    mkdirSync(path.join(content, 'Faults'));
    for (let n = 1; n <= 6; n++) writeFileSync(copy(n), original);
    writeFileSync(path.join(content, 'big.bin'), randomBytes(SIZE));
    writeFileSync(path.join(content, 'big2.bin'), randomBytes(SIZE));
    for (const f of ['big.bin', 'big2.bin', ...Array.from({ length: 6 }, (_, i) => `Faults/!200000${i + 1}.txt`)]) utimesSync(path.join(content, f), T, T);
    app = await startServer(content);
    root = (await exchange(app.port, send('/\r\n'))).data;
  });
  afterAll(() => app.close());

  it('serves an article as indexed when nothing changed', async () => {
    const menu = await ask('/Faults/!2000006');
    expect(menu).toContain('Energiewende');
    expect(menu).not.toContain('unavailable');
  });

  it('says a deleted article is unavailable, and keeps serving the rest', async () => {
    rmSync(copy(1));
    const menu = await ask('/Faults/!2000001');
    expect(menu).toContain('This article is unavailable right now');
    expect(menu.endsWith('.\r\n')).toBe(true);
    expect(await ask('/Faults/!2000001.txt')).toContain('unavailable right now');
    expect((await exchange(app.port, send('/\r\n'))).data).toEqual(root);
  });

  it('never serves a truncated article (size differs from the index)', async () => {
    truncateSync(copy(2), 100);
    const menu = await ask('/Faults/!2000002');
    expect(menu).toContain('being updated, try again in a moment');
    expect(menu).not.toContain('Bundesnetzagentur');
  });

  it('never serves an article being appended to, nor one replaced by rename, until it is indexed again', async () => {
    appendFileSync(copy(3), 'half a line');
    expect(await ask('/Faults/!2000003')).toContain('being updated');
    writeFileSync(copy(3) + '.new', original.toString('utf8').replace(/Energiewende/g, 'Energiewandel'));
    renameSync(copy(3) + '.new', copy(3));
    const menu = await ask('/Faults/!2000003.txt');
    expect(menu).toContain('being updated');
    expect(menu).not.toContain('Energiewandel');
  });

  it('says an article that became unreadable (a FIFO, a folder) is unavailable, without hanging', async () => {
    rmSync(copy(4));
    execFileSync('mkfifo', [copy(4)]);
    const fifo = await exchange(app.port, send('/Faults/!2000004\r\n'), 5000);
    expect(fifo.end).toBe('close');
    expect(fifo.data.toString('utf8')).toContain('unavailable right now');
    rmSync(copy(4));
    mkdirSync(copy(4));
    expect(await ask('/Faults/!2000004.txt')).toContain('unavailable right now');
  });

  it('keeps serving menus when the content folder disappears, and articles again when it is restored', async () => {
    renameSync(content, content + '.away');
    try {
      expect((await exchange(app.port, send('/\r\n'))).data).toEqual(root);
      expect(await ask('/Faults/!2000005')).toContain('unavailable right now');
      expect(isErrorMenu((await exchange(app.port, send('/big.bin\r\n'))).data)).toBe(true);
    } finally {
      renameSync(content + '.away', content);
    }
    const menu = await ask('/Faults/!2000005.txt');
    expect(menu.trimEnd()).toBe(original.toString('utf8').trimEnd());
  });

  /** Start a download of `selector`, let `change` run once 1 MB has arrived, then read the rest. */
  const downloadWhile = (selector: string, change: () => void): Promise<{ data: Buffer; end: string }> =>
    new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let got = 0;
      let changed = false;
      let end = 'close';
      const s = net.connect({ port: app.port, host: '127.0.0.1' }, () => s.write(`${selector}\r\n`));
      s.on('data', (d) => {
        chunks.push(d);
        got += d.length;
        if (!changed && got >= 1024 * 1024) {
          changed = true;
          s.pause();
          change();
          setTimeout(() => s.resume(), 200);
        }
      });
      s.on('error', (e: NodeJS.ErrnoException) => (end = e.code ?? 'error'));
      s.on('close', () => resolve({ data: Buffer.concat(chunks), end }));
    });

  it('sends the old version whole when a file is replaced by rename during the transfer', async () => {
    const big = path.join(content, 'big.bin');
    const old = readFileSync(big);
    const r = await downloadWhile('/big.bin', () => {
      writeFileSync(big + '.new', randomBytes(SIZE));
      renameSync(big + '.new', big);
    });
    expect(r.end).toBe('close');
    expect(sha(r.data)).toBe(sha(old));
    // The new version is not what the archive indexed: refused until it is indexed again.
    expect(isErrorMenu((await exchange(app.port, send('/big.bin\r\n'))).data)).toBe(true);
  });

  it('resets the connection, never completes a mix, when a file is overwritten in place during the transfer', async () => {
    const big = path.join(content, 'big2.bin');
    const old = readFileSync(big);
    const r = await downloadWhile('/big2.bin', () => {
      const fresh = randomBytes(SIZE);
      writeFileSync(big, fresh);
    });
    const whole = r.data.length === SIZE && r.end === 'close';
    expect(whole && sha(r.data) !== sha(old), 'a complete transfer that is not the old version is a mix').toBe(false);
    expect(r.end).toBe('ECONNRESET');
  });
});
