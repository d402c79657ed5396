import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleFile, generateArchive } from '../helpers/archive-gen.js';
import { fullTextIndexed, gopherRaw, startCli, tempStateDir, type CliServer } from '../helpers/gopher.js';
import { expectValidMenu } from '../helpers/menu-check.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * A warm start after many changes while the server was down: the server answers from the index at
 * once, and the scan behind it replaces what changed, removes what is gone and adds what is new.
 */
describe('a warm start after many changes while the server was down', () => {
  const COUNT = 3000;
  const REWRITTEN = 1200;
  const DELETED = 100;
  const ADDED = 50;
  const root = tempDir('gp-warm-');
  const state = tempStateDir();
  let cli: CliServer;
  const file = (id: number): string => path.join(root, `Gen/!${id}.txt`);

  beforeAll(async () => {
    generateArchive(root, COUNT, 20);
    const args = ['serve', '--content', root, '--port', '0', '--quiet', '--no-watch', '--state-dir', state.dir];
    const cold = await startCli(args, 120_000);
    await fullTextIndexed(cold);
    await cold.stop();
    const later = new Date(Date.now() + 10_000);
    for (let i = 0; i < REWRITTEN; i++) {
      const id = 2000001 + i;
      writeFileSync(file(id), readFileSync(file(id), 'utf8').replace(`Wort${id} `, `Neuwort${id} `));
      utimesSync(file(id), later, later);
    }
    for (let i = REWRITTEN; i < REWRITTEN + DELETED; i++) rmSync(file(2000001 + i));
    mkdirSync(path.join(root, 'Neu'));
    for (let n = 0; n < ADDED; n++) {
      writeFileSync(path.join(root, `Neu/!${2100001 + n}.txt`), articleFile(`Neu ${n}`, '2026-01-02', [`Frischwort${n} Gemeinsamer Text für alle Meldungen.`], ['Nachrichten']));
    }
    cli = await startCli(args, 120_000);
    await fullTextIndexed(cli);
    expect(cli.output.join('')).toContain(`content changed while stopped: ${ADDED} added, ${REWRITTEN} updated, ${DELETED} removed`);
  }, 200_000);
  afterAll(async () => {
    await cli?.stop();
    state.remove();
  });

  const count = async (query: string): Promise<string> => expectValidMenu(await gopherRaw(cli.port, `/search\t${query}\r\n`), query)[0]![0]!.slice(1);

  it('finds rewritten articles by their new words only, first and last', async () => {
    for (const i of [0, 599, REWRITTEN - 1]) {
      const id = 2000001 + i;
      expect(await count(`Neuwort${id}`)).toBe(`1 article found for: Neuwort${id}`);
      expect(await count(`Wort${id}`)).toBe(`0 articles found for: Wort${id}`);
    }
    // Unchanged ones are still found by theirs, as indexed before the restart.
    expect(await count(`Wort${2000001 + COUNT - 1}`)).toBe(`1 article found for: Wort${2000001 + COUNT - 1}`);
  });

  it('forgets deleted articles and finds new ones, in search and menus alike', async () => {
    const gone = 2000001 + REWRITTEN;
    expect(await count(`Wort${gone}`)).toBe(`0 articles found for: Wort${gone}`);
    expect((await gopherRaw(cli.port, `/!${gone}\r\n`)).toString('utf8')).toMatch(/^3/);
    expect(await count('Frischwort7')).toBe('1 article found for: Frischwort7');
    expect((await gopherRaw(cli.port, '/!2100008\r\n')).toString('utf8')).toContain('Neu 7');
    expect(await count('gemeinsamer text')).toBe(`${COUNT - DELETED + ADDED} articles found for: gemeinsamer text`);
    expect((await gopherRaw(cli.port, '/tag/Nachrichten\r\n')).toString('utf8')).toContain(`${COUNT - DELETED + ADDED} articles`);
  });
});
