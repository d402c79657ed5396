import { cpSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { SEED, curl, gopher, startServer } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import path from 'node:path';

describe('curl as a gopher client', () => {
  let app: App;
  // The seed alone, so that the front page counts one article.
  const content = tempDir('gp-curl-');
  beforeAll(async () => {
    cpSync(path.dirname(SEED), path.join(content, path.basename(path.dirname(SEED))), { recursive: true });
    app = await startServer(content);
  });
  afterAll(() => app.close());

  it('gets the raw menu of the seed article', async () => {
    const r = await curl([`gopher://127.0.0.1:${app.port}/1/!6084887`]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\r\n');
    expect(lines[0]).toBe('i# taz.de -- Friedensverhandlungen Ukraine: Trump und Selenskyj treffen sich in Rom\t\tnull.host\t1');
    expect(lines).toContain(`1[1] /US-Friedensplan-fuer-die-Ukraine/!6080807\t/US-Friedensplan-fuer-die-Ukraine/!6080807\ttaz.de\t70`);
    expect(lines).toContain(`1Donald Trump\t/tag/Donald-Trump\t127.0.0.1\t${app.port}`);
    expect(lines).toContain(`1Podcast „Bundestalk“\t/tag/Podcast-Bundestalk\t127.0.0.1\t${app.port}`);
    expect(lines.at(-2)).toBe('.');
  });

  it('gets the article as plain text (type 0), the file itself', async () => {
    const r = await curl([`gopher://127.0.0.1:${app.port}/0/!6084887.txt`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(SEED, 'utf8') + '\n');
  });

  it('sends the query after %09 for a search', async () => {
    const r = await curl([`gopher://127.0.0.1:${app.port}/7/search%09Selenskyj%20Rom`]);
    expect(r.stdout).toContain('1 article found for: Selenskyj Rom');
    expect(r.stdout).toContain('26.04.2025 Friedensverhandlungen Ukraine');
  });

  it('counts the articles on the front page in proper English', async () => {
    expect(await gopher(app.port, '')).toContain('i127.0.0.1 -- 1 article\t');
  });

  it('answers an unknown selector with a type-3 line and a dot', async () => {
    expect(await gopher(app.port, '/no/such/thing')).toBe(`3Resource not found\t\t127.0.0.1\t${app.port}\r\n.\r\n`);
  });

  it('reads only the first line of a request (curl turns %0D%0A into a real line end)', async () => {
    const r = await curl([`gopher://127.0.0.1:${app.port}/1/!6084887%0D%0A/etc/passwd`]);
    expect(r.stdout.startsWith('i# taz.de -- Friedensverhandlungen')).toBe(true);
  });
});
