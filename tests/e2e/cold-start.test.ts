import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateArchive } from '../helpers/archive-gen.js';
import { gopherRaw, startCli, type CliServer } from '../helpers/gopher.js';
import { expectValidMenu } from '../helpers/menu-check.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * A cold start of thousands of articles, the built CLI as a user runs it: titles and dates go in
 * before it serves, the words on a thread behind it in batches. Once it says the full text is in,
 * every article is found by its own word, first, last and across batches, and a word on every tenth
 * article finds exactly those.
 */
describe('a cold start of 4,500 articles', () => {
  const COUNT = 4500;
  let cli: CliServer;
  const root = tempDir('gp-cold-');

  beforeAll(async () => {
    generateArchive(root, COUNT, 20);
    cli = await startCli(['serve', '--content', root, '--port', '0', '--quiet', '--no-watch'], 120_000);
  }, 150_000);
  afterAll(() => cli?.stop());

  const search = async (query: string): Promise<{ count: string; hits: string[] }> => {
    const all = expectValidMenu(await gopherRaw(cli.port, `/search\t${query}\r\n`), query);
    return { count: all[0]![0]!.slice(1), hits: all.filter((f) => f[0]!.startsWith('1') && !f[0]!.includes(' page (')).map((f) => f[1]!) };
  };

  it('finds each article by its own word, first, last and across batches', async () => {
    for (const i of [0, 1, 1124, 1125, 2249, 2250, 2251, 3374, 3375, COUNT - 1]) {
      const id = 2000001 + i;
      const r = await search(`Wort${id}`);
      expect(r.count, `Wort${id}`).toBe(`1 article found for: Wort${id}`);
      expect(r.hits).toEqual([`/Gen/!${id}`]);
    }
  });

  it('finds a word of every tenth article in all of them, folded', async () => {
    for (const q of ['Straßenbahn', 'strassenbahn', 'BRÜCKE fährt']) expect((await search(q)).count).toBe(`${COUNT / 10} articles found for: ${q}`);
    expect((await search('gemeinsamer text')).count).toBe(`${COUNT} articles found for: gemeinsamer text`);
  });
});
