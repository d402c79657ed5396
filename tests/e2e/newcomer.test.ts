import { cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { generateArchive, type GenArticle } from '../helpers/archive-gen.js';
import { REPO, gopherRaw, startServer } from '../helpers/gopher.js';
import { expectValidMenu } from '../helpers/menu-check.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * A newcomer reaches any article from the front page by date, by tag and by search in a few steps,
 * following only the items the menus show (no selector typed in), as in lynx.
 */
describe('a newcomer finds any article from the front page', () => {
  let app: App;
  let targets: GenArticle[];
  const root = tempDir('gp-walk-');
  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

  const open = async (selector: string, query?: string): Promise<string[][]> =>
    expectValidMenu(await gopherRaw(app.port, query === undefined ? `${selector}\r\n` : `${selector}\t${query}\r\n`), selector);
  /** Follow the first item whose display matches; fails the test when the menu has none. */
  const pick = (menu: string[][], display: (d: string) => boolean, what: string): string[] => {
    const f = menu.find((x) => x[0]!.charAt(0) !== 'i' && display(x[0]!.slice(1)));
    expect(f, `an item for ${what}`).toBeDefined();
    return f!;
  };
  const isArticle = (a: GenArticle) => (d: string): boolean => d.endsWith(` ${a.title}`);

  beforeAll(async () => {
    cpSync(path.join(REPO, 'tests/fixtures/archive'), root, { recursive: true });
    const gen = generateArchive(root, 450, 230);
    // Every 37th article and the last: different years, months, tag letters and pages.
    targets = [...gen.filter((_, i) => i % 37 === 0), gen.at(-1)!];
    app = await startServer(root);
  });
  afterAll(() => app.close());

  it('by date: front page → year → month → day → article, five steps', async () => {
    for (const a of targets) {
      const [y, m, d] = a.date.split('-');
      const rootMenu = await open('/');
      const years = await open(pick(rootMenu, (x) => x === 'Archive by date', 'the date archive')[1]!);
      const months = await open(pick(years, (x) => x.startsWith(`${y} (`), y!)[1]!);
      const days = await open(pick(months, (x) => x.startsWith(`${MONTHS[Number(m) - 1]} ${y} (`), `${m}/${y}`)[1]!);
      const list = await open(pick(days, (x) => x.startsWith(`${a.date} (`), a.date)[1]!);
      const item = pick(list, isArticle(a), a.title);
      expect(item[1]).toBe(`/Gen/!${a.id}`);
      expect(item[0]).toBe(`1${d}.${m}.${y} ${a.title}`);
    }
  });

  it('by tag: front page → tags → letter → (next page) → tag → article, at most seven steps', async () => {
    for (const a of targets) {
      const tag = a.tags[1]!; // Thema-NNN
      let steps = 1;
      let menu = await open(pick(await open('/'), (x) => x.startsWith('Tags ('), 'the tag index')[1]!);
      menu = await open(pick(menu, (x) => x.startsWith(`${tag.charAt(0)} (`), `letter ${tag.charAt(0)}`)[1]!);
      steps += 2;
      while (!menu.some((f) => f[0]!.startsWith(`1${tag} (`)) && steps < 6) {
        menu = await open(pick(menu, (x) => x.startsWith('next page'), 'the next page of tags')[1]!);
        steps++;
      }
      menu = await open(pick(menu, (x) => x.startsWith(`${tag} (`), tag)[1]!);
      steps++;
      expect(pick(menu, isArticle(a), a.title)[1]).toBe(`/Gen/!${a.id}`);
      expect(steps + 1).toBeLessThanOrEqual(7);
    }
  });

  it('by search: front page → search box with words of the title → article, two steps', async () => {
    for (const a of targets) {
      const box = pick(await open('/'), (x) => x.startsWith('Search the archive'), 'the search box');
      expect(box[0]!.charAt(0)).toBe('7');
      const results = await open(box[1]!, a.title.replace(/:/g, ''));
      expect(results[0]![0]).toBe(`i1 article found for: ${a.title.replace(/:/g, '')}`);
      expect(pick(results, isArticle(a), a.title)[1]).toBe(`/Gen/!${a.id}`);
    }
  });
});
