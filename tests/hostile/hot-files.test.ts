import { createHash, randomBytes } from 'node:crypto';
import { cpSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { HotFiles } from '../../src/respond/hot-files.js';
import { REPO, startServer } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import { exchange, isErrorMenu, send } from './net.js';

const FIXTURES = path.join(REPO, 'tests/fixtures/archive');
const MB = 1024 * 1024;
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('small files kept in memory: never a version the archive did not record', () => {
  const content = path.join(tempDir('gopherpress-hot-'), 'content');
  // Whole seconds, so that a test can put a file back exactly as the archive indexed it.
  const T = 1_750_000_000;
  let app: App;
  const get = async (sel: string): Promise<Buffer> => (await exchange(app.port, send(`${sel}\r\n`))).data;

  beforeAll(async () => {
    cpSync(FIXTURES, content, { recursive: true });
    for (const n of [1, 2, 3]) {
      writeFileSync(path.join(content, `clip${n}.mp3`), randomBytes(MB));
      utimesSync(path.join(content, `clip${n}.mp3`), T, T);
    }
    app = await startServer(content);
  });
  afterAll(() => app.close());

  it('serves a small file byte for byte, the first time from disk and then from memory', async () => {
    const want = readFileSync(path.join(content, 'clip1.mp3'));
    for (let i = 0; i < 3; i++) expect(sha(await get('/clip1.mp3'))).toBe(sha(want));
  });

  it('refuses a kept file once it changed on disk (no watcher), and serves it again when it is back', async () => {
    const file = path.join(content, 'clip2.mp3');
    const want = readFileSync(file);
    expect(sha(await get('/clip2.mp3'))).toBe(sha(want));
    // Same size, other bytes, other mtime: the kept copy is not what is on disk any more.
    writeFileSync(file, randomBytes(MB));
    const changed = await get('/clip2.mp3');
    expect(isErrorMenu(changed)).toBe(true);
    expect(changed.toString('latin1')).toContain('being updated or unreadable');
    writeFileSync(file, want);
    utimesSync(file, T, T);
    expect(sha(await get('/clip2.mp3'))).toBe(sha(want));
  });

  it('a slow reader gets the version it asked for whole, while the file is replaced by rename', async () => {
    const file = path.join(content, 'clip3.mp3');
    const want = readFileSync(file);
    expect(sha(await get('/clip3.mp3'))).toBe(sha(want));
    const slow = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      let replaced = false;
      const s = net.connect({ port: app.port, host: '127.0.0.1' }, () => s.write('/clip3.mp3\r\n'));
      s.on('data', (d) => {
        chunks.push(d);
        if (replaced) return;
        replaced = true;
        s.pause();
        writeFileSync(file + '.new', randomBytes(MB));
        renameSync(file + '.new', file);
        setTimeout(() => s.resume(), 200);
      });
      s.on('close', () => resolve(Buffer.concat(chunks)));
    });
    expect(sha(slow)).toBe(sha(want));
    // The new version is not what the archive indexed: refused until it is indexed again.
    expect(isErrorMenu(await get('/clip3.mp3'))).toBe(true);
  });
});

/** The mtime the archive would have recorded for a file, as every caller of HotFiles passes it. */
const mtimeOf = (file: string): number => statSync(file).mtimeMs;

describe('HotFiles: bounded by its budget, slow clients included', () => {
  const dir = tempDir('gopherpress-hotfiles-');
  const files = [1, 2, 3, 4, 5].map((n) => {
    const p = path.join(dir, `f${n}.bin`);
    writeFileSync(p, randomBytes(MB));
    return p;
  });

  it('evicts the least recently used, never a pinned one, and streams (undefined) when nothing fits', async () => {
    const hot = new HotFiles(MB, 3 * MB);
    const a = await hot.load(files[0]!, MB, mtimeOf(files[0]!));
    const b = await hot.load(files[1]!, MB, mtimeOf(files[1]!));
    expect(a?.bytes.equals(readFileSync(files[0]!))).toBe(true);
    expect(b).toBeDefined();
    hot.pin(a!);
    hot.pin(b!);
    expect(await hot.load(files[2]!, MB, mtimeOf(files[2]!))).toBeDefined();
    expect(hot.heldBytes).toBe(3 * MB);
    // The third is unpinned: it makes room for the fourth.
    expect(await hot.load(files[3]!, MB, mtimeOf(files[3]!))).toBeDefined();
    expect(hot.get(files[2]!, MB, mtimeOf(files[2]!))).toBeUndefined();
    expect(hot.heldBytes).toBe(3 * MB);
    hot.pin(hot.get(files[3]!, MB, mtimeOf(files[3]!))!);
    // Everything held is pinned by slow clients: a fifth file is not read into memory.
    expect(await hot.load(files[4]!, MB, mtimeOf(files[4]!))).toBeUndefined();
    expect(hot.heldBytes).toBe(3 * MB);
    hot.unpin(a!);
    expect(await hot.load(files[4]!, MB, mtimeOf(files[4]!))).toBeDefined();
    expect(hot.get(files[0]!, MB, mtimeOf(files[0]!))).toBeUndefined();
    expect(hot.heldBytes).toBe(3 * MB);
  });

  it('keeps nothing larger than its file limit, nor a file whose size differs from the record', async () => {
    const hot = new HotFiles(MB / 2, 8 * MB);
    expect(await hot.load(files[0]!, MB, mtimeOf(files[0]!))).toBeUndefined();
    const wide = new HotFiles(MB, 8 * MB);
    expect(await wide.load(files[0]!, MB - 1, mtimeOf(files[0]!))).toBeUndefined();
    expect(wide.heldBytes).toBe(0);
  });

  it('never hands a request for one version of a file the read of another', async () => {
    const hot = new HotFiles(2 * MB, 8 * MB);
    // The archive already says the file has one byte more: that version is not on disk yet.
    const [now, next] = await Promise.all([hot.load(files[2]!, MB, mtimeOf(files[2]!)), hot.load(files[2]!, MB + 1, mtimeOf(files[2]!))]);
    expect(now?.size).toBe(MB);
    expect(next).toBeUndefined();
  });

  it('reads a file once for many who ask at the same time', async () => {
    const hot = new HotFiles(MB, 8 * MB);
    const all = await Promise.all(Array.from({ length: 10 }, () => hot.load(files[1]!, MB, mtimeOf(files[1]!))));
    expect(new Set(all).size).toBe(1);
    expect(hot.heldBytes).toBe(MB);
  });
});
