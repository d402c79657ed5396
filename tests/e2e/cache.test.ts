import { existsSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CACHE_FILE } from '../../src/archive/cache.js';
import { REPO, gopher, startCli } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';

const ARTICLE = '2025/05/01/!1000002.txt';

async function waitFor(cond: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Start the real CLI on `content`, run `fn` against it, stop it. */
async function serving<T>(content: string, fn: (port: number) => Promise<T>): Promise<T> {
  const cli = await startCli(['serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--no-watch', '--quiet']);
  try {
    return await fn(cli.port);
  } finally {
    await cli.stop();
  }
}

describe('the start-up cache beside the content', () => {
  it('is written after start, never served, and brought up to date on the next start', async () => {
    const content = tempDir('gopherpress-cache-', path.join(REPO, 'tests/fixtures/archive'));
    const cache = path.join(content, CACHE_FILE);
    await serving(content, async (port) => {
      await waitFor(() => existsSync(cache), CACHE_FILE);
      expect(await gopher(port, `/${CACHE_FILE}`)).toMatch(/^3/);
      expect(await gopher(port, '/')).not.toContain(CACHE_FILE);
    });
    const written = statSync(cache).mtimeMs;

    // An edited article (new title, new word) and a deleted one: the cache must not hide either.
    const file = path.join(content, ARTICLE);
    const edited = readFileSync(file, 'utf8').replace(/^# (.*) -- .*$/m, '# $1 -- Neuer Titel mit Zauberwort');
    writeFileSync(file, edited);
    const later = new Date(Date.now() + 5000);
    utimesSync(file, later, later);
    rmSync(path.join(content, 'Energiewende-Kurz/!1000001.txt'));

    await serving(content, async (port) => {
      expect(await gopher(port, '/!1000002')).toContain('Neuer Titel mit Zauberwort');
      expect(await gopher(port, '/search', 'Zauberwort')).toContain('1 article found for: Zauberwort');
      expect(await gopher(port, '/all/')).not.toContain('!1000001');
      expect(await gopher(port, '/!1000001')).toMatch(/^3/);
      await waitFor(() => statSync(cache).mtimeMs > written, 'the cache to be rewritten');
    });

    // Started from the rewritten cache alone: the same answers.
    await serving(content, async (port) => {
      expect(await gopher(port, '/search', 'Zauberwort')).toContain('1 article found for: Zauberwort');
      expect(await gopher(port, '/all/')).not.toContain('!1000001');
    });
  });

  it('is trusted for a file whose size and mtime are unchanged (that is what makes a restart fast)', async () => {
    const content = tempDir('gopherpress-cache-', path.join(REPO, 'tests/fixtures/archive'));
    const file = path.join(content, ARTICLE);
    // A whole second, so that setting it again later restores exactly the mtime the cache recorded.
    const mtime = new Date('2025-05-01T12:00:00Z');
    utimesSync(file, mtime, mtime);
    await serving(content, async () => waitFor(() => existsSync(path.join(content, CACHE_FILE)), CACHE_FILE));
    writeFileSync(file, readFileSync(file, 'utf8').replace('Windkraft an Land', 'Windkraft an Deck'));
    utimesSync(file, mtime, mtime);
    await serving(content, async (port) => {
      // The listing comes from the cache; only a changed size or mtime would have made it read the file.
      expect(await gopher(port, '/all/')).toContain('Windkraft an Land');
    });
  });

  it('is brought in line with what changed while the server was down: new, replaced and removed files', async () => {
    const content = tempDir('gopherpress-cache-', path.join(REPO, 'tests/fixtures/archive'));
    await serving(content, async () => waitFor(() => existsSync(path.join(content, CACHE_FILE)), CACHE_FILE));
    const seed = readFileSync(path.join(content, ARTICLE), 'utf8');
    // A new article and a new image; an article replaced by a folder of the same name holding a note.
    mkdirSync(path.join(content, 'Neu'));
    writeFileSync(path.join(content, 'Neu/!1000077.txt'), seed.replace(/^# (.*) -- .*$/m, '# $1 -- Ganz neu: Quokkafund'));
    writeFileSync(path.join(content, 'Neu/bild.gif'), 'GIF89a');
    rmSync(path.join(content, 'Energiewende-Kurz/!1000001.txt'));
    mkdirSync(path.join(content, 'Energiewende-Kurz/!1000001.txt'));
    writeFileSync(path.join(content, 'Energiewende-Kurz/!1000001.txt/liesmich'), 'not an article');
    await serving(content, async (port) => {
      expect(await gopher(port, '/!1000077')).toContain('Ganz neu: Quokkafund');
      expect(await gopher(port, '/search', 'Quokkafund')).toContain('1 article found for: Quokkafund');
      expect(await gopher(port, '/all/')).toContain('!1000077');
      expect(await gopher(port, '/Neu/bild.gif')).toBe('GIF89a');
      expect(await gopher(port, '/all/')).not.toContain('!1000001');
      expect(await gopher(port, '/!1000001')).toMatch(/^3/);
      expect(await gopher(port, '/Energiewende-Kurz/')).toContain('!1000001.txt');
    });
  });

  it('is ignored when damaged: every article is read again', async () => {
    const content = tempDir('gopherpress-cache-', path.join(REPO, 'tests/fixtures/archive'));
    writeFileSync(path.join(content, CACHE_FILE), 'GPCACHE\n\u0005\u0000\u0000\u0000{"fo');
    await serving(content, async (port) => {
      expect(await gopher(port, '/!1000002')).toContain('i# ');
      expect(await gopher(port, '/search', 'Energiewende')).toMatch(/[1-9]\d* articles? found/);
    });
  });
});
