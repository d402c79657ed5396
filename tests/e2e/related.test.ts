import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { REPO, dumpBody, gopherRaw, lynxDump, startServer, trimTrailing } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import { expectValidMenu } from '../helpers/menu-check.js';

/** Related articles lead into the archive or to a search; backlinks follow the article's last line with --backlinks. */
const CONTENT = path.join(REPO, 'tests/fixtures/archive');
const FILE = path.join(CONTENT, 'Energiewende-Kurz/!1000001.txt');

describe.each([false, true])('related articles and backlinks (backlinks %s)', (backlinks) => {
  let app: App;
  beforeAll(async () => {
    // A copy: a server writes its start-up cache into the folder it serves, and this one is the repository's.
    app = await startServer(tempDir('gp-related-', CONTENT), { backlinks });
  });
  afterAll(() => app.close());
  const menu = async (sel: string): Promise<string[][]> => expectValidMenu(await gopherRaw(app.port, `${sel}\r\n`), sel);

  it('a related title the archive holds leads to that article; one it lacks to a search that answers', async () => {
    const m = await menu('/Energiewende-Kurz/!1000001');
    expect(m.find((f) => f[0] === '1Windkraft an Land: Mehr Anlagen, weniger Streit')?.[1]).toBe('/!1000002');
    const missing = m.find((f) => f[0] === '1Gibt es nicht: Ein Artikel, der fehlt')!;
    expect(missing[1]).toBe('/search/Gibt-es-nicht-Ein-Artikel-der-fehlt');
    const results = await menu(missing[1]!);
    // The only article with all those words is the one that names it as related.
    expect(results[0]![0]).toBe('i1 article found for: Gibt es nicht Ein Artikel der fehlt');
    expect(results.find((f) => f[0]!.startsWith('1'))?.[1]).toBe('/Energiewende-Kurz/!1000001');
  });

  it('backlinks only with --backlinks, after the last line, so the file still round-trips up to there', async () => {
    const file = trimTrailing(readFileSync(FILE, 'utf8'));
    const dump = trimTrailing(dumpBody(await lynxDump(`gopher://127.0.0.1:${app.port}/1/Energiewende-Kurz/!1000001`)));
    if (!backlinks) {
      expect(dump).toBe(file);
      return;
    }
    expect(dump.startsWith(file + '\n')).toBe(true);
    expect(dump.slice(file.length + 1).split('\n').filter(Boolean)).toEqual([
      '       ## BACKLINKS',
      ' (DIR) 01.05.2025 Windkraft an Land: Mehr Anlagen, weniger Streit',
    ]);
  });
});
