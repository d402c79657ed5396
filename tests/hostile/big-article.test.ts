import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTICLE_MENU_MAX_BYTES } from '../../src/route.js';
import { sampleRss, treeRss } from '../../bench/lib/proc.js';
import { SEED, startCli, type CliServer } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from './net.js';

const MB = 1024 * 1024;

/** Read a whole answer as it streams, keeping only its length and hash (20 × 50 MB stay out of this process). */
function fetchDigest(port: number, line: string, timeoutMs: number): Promise<{ bytes: number; sha: string; clean: boolean }> {
  return new Promise((resolve) => {
    const hash = createHash('sha256');
    let bytes = 0;
    let clean = true;
    const s = net.connect({ port, host: '127.0.0.1' }, () => s.write(`${line}\r\n`));
    const timer = setTimeout(() => {
      clean = false;
      s.destroy();
    }, timeoutMs);
    s.on('data', (d) => {
      bytes += d.length;
      hash.update(d);
    });
    s.on('error', () => (clean = false));
    s.on('close', () => {
      clearTimeout(timer);
      resolve({ bytes, sha: hash.digest('hex'), clean });
    });
  });
}

describe('an article too large to be a menu', () => {
  const content = tempDir('gopherpress-big-');
  const file = path.join(content, 'Gross', '!9000001.txt');
  let server: CliServer;
  let want: Buffer;

  beforeAll(async () => {
    // The seed article with 50 MB of body text in the middle: still an article file as lynx writes one.
    const seed = readFileSync(SEED, 'utf8').split('\n');
    const para = '       Der Text dieses Artikels ist sehr lang, so lang wie kein Artikel, den eine Zeitung druckt.\n';
    want = Buffer.from(seed.slice(0, 8).join('\n') + '\n' + para.repeat(Math.ceil((50 * MB) / para.length)) + seed.slice(8).join('\n'), 'utf8');
    mkdirSync(path.dirname(file));
    writeFileSync(file, want);
    server = await startCli(['serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--no-watch', '--workers', '1'], 60_000);
  }, 90_000);
  afterAll(() => server?.stop());

  it('is served to 20 clients at once as its plain text, with memory flat and one line in the log', async () => {
    expect(want.length).toBeGreaterThan(50 * MB);
    expect(want.length).toBeGreaterThan(ARTICLE_MENU_MAX_BYTES);
    const pid = server.proc.pid!;
    const before = treeRss(pid);
    const rss = sampleRss(pid, 50);
    const got = await Promise.all(Array.from({ length: 20 }, () => fetchDigest(server.port, '/Gross/!9000001', 60_000)));
    const peak = rss.stop();
    // Rendered as menus, each of the 20 built its own 57 MB answer: 77 MB → 1.36 GB. Streamed: a 64 KB buffer each.
    expect(peak - before, `RSS ${(before / MB).toFixed(0)} → ${(peak / MB).toFixed(0)} MB`).toBeLessThan(64 * MB);
    const sha = createHash('sha256').update(want).digest('hex');
    for (const g of got) expect(g).toEqual({ bytes: want.length, sha, clean: true });
    // The plain-text selector is the same file.
    expect(await fetchDigest(server.port, '/Gross/!9000001.txt', 60_000)).toEqual({ bytes: want.length, sha, clean: true });
    await waitFor('21 access lines', () => (server.output.join('').match(/"\/Gross\/!9000001(\.txt)?" 0 \d+ [\d.]+ms ok/g) ?? []).length === 21, 5000);
    const notes = server.output.join('').match(/^Gross\/!9000001\.txt: \d+ bytes, over the \d+ bytes of an article served as a menu: served as its plain text$/gm) ?? [];
    expect(notes).toHaveLength(1);
  }, 120_000);
});
