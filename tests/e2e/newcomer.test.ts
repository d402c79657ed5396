import { cpSync, readFileSync, readdirSync } from 'node:fs';
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

/**
 * The bundled content/ as a newcomer's first lynx session meets it: walking only the items the menus
 * show, every article is reached, every link of the project's own articles to another article, every
 * related article, tag and date leads to something here (a dead local link would go upstream).
 */
describe('the bundled archive leads somewhere from every item', () => {
  const content = path.join(REPO, 'content');
  let app: App;
  beforeAll(async () => {
    app = await startServer(content);
  });
  afterAll(() => app.close());
  const local = (f: string[]): boolean => f[2] === '127.0.0.1' && f[3] === String(app.port);
  const open = async (selector: string): Promise<string[][]> => expectValidMenu(await gopherRaw(app.port, `${selector}\r\n`), selector);

  it('reaches every article from the front page, and their links, related articles and tags stay on this server', async () => {
    const seen = new Set<string>();
    const queue = [''];
    const articles = new Map<string, string[][]>();
    while (queue.length > 0 && seen.size < 500) {
      const sel = queue.shift()!;
      if (seen.has(sel)) continue;
      seen.add(sel);
      const menu = await open(sel);
      if (menu[0]?.[0]?.startsWith('i# ') && !articles.has(menu[0][0])) articles.set(menu[0][0], menu);
      for (const f of menu) if (f[0]!.startsWith('1') && local(f)) queue.push(f[1]!);
    }
    const files = readdirSync(content, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.txt') && !f.startsWith('.'));
    expect([...articles.keys()].sort()).toEqual(files.map((f) => 'i' + readFileSync(path.join(content, f), 'utf8').split('\n')[0]).sort());
    const own = [...articles.values()].filter((m) => !m[0]![0]!.startsWith('i# taz.de -- '));
    expect(own.length).toBeGreaterThanOrEqual(5);
    for (const menu of own) {
      const what = menu[0]![0]!;
      let section = '';
      for (const f of menu) {
        if (f[0]!.startsWith('i## ')) section = f[0]!.slice(4);
        const t = f[0]!.charAt(0);
        if (t === 'i') continue;
        // A link written as a selector is an article of this archive; one to another server is a gopher URL.
        if (/^\[\d+\] \//.test(f[0]!.slice(1))) {
          expect(local(f), `${what}: ${f[0]} resolves here`).toBe(true);
          expect((await open(f[1]!))[0]![0], `${what}: ${f[0]} is an article`).toMatch(/^i# /);
        }
        if (section === 'TAGS') expect(f[1], `${what}: tag ${f[0]}`).toMatch(/^\/tag\//);
        if (section === 'ARTIKEL ZUM THEMA') expect(f[1], `${what}: related ${f[0]} is an article, not a search`).not.toMatch(/^\/search\//);
      }
    }
  });

  it('has tags and days with more than one article', async () => {
    const tags = (await open('/tags/')).filter((f) => /^1.+ \((\d+)\)$/.test(f[0]!));
    const shared = tags.filter((f) => Number(/\((\d+)\)$/.exec(f[0]!)![1]) > 1);
    expect(shared.length).toBeGreaterThanOrEqual(5);
    const days = (await open('/date/2025/06/')).filter((f) => /^12025-06-\d\d \(/.test(f[0]!));
    expect(days.length).toBeGreaterThanOrEqual(3);
    expect(days.some((f) => / \((?:[2-9]|\d\d+) articles\)$/.test(f[0]!))).toBe(true);
    // Each lists its articles, as many as its count says.
    for (const f of [...shared, ...days]) {
      const n = Number(/\((\d+)[ )]/.exec(f[0]!)![1]);
      expect((await open(f[1]!)).filter((x) => x[0]!.startsWith('1') && local(x) && /^\/[^/]+\/!\d+$/.test(x[1]!)).length, f[0]).toBe(n);
    }
  });
});
