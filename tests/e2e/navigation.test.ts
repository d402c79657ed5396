import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { generateArchive, type GenArticle } from '../helpers/archive-gen.js';
import { REPO, gopher, gopherRaw, lynxDump, startServer } from '../helpers/gopher.js';
import { expectValidMenu } from '../helpers/menu-check.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The generated menus over real sockets, on an archive big enough to page: 450 generated articles
 * (dates over three years, 450+ tags, one tag on all of them) plus the fixture archive.
 */
describe('generated menus', () => {
  let app: App;
  let gen: GenArticle[];
  const root = tempDir('gp-nav-');
  const displayDate = (iso: string): string => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
  const get = async (selector: string, query?: string): Promise<string[][]> => {
    const body = await gopherRaw(app.port, query === undefined ? `${selector}\r\n` : `${selector}\t${query}\r\n`);
    return expectValidMenu(body, selector);
  };
  const items = (m: string[][]): string[][] => m.filter((f) => f[0]!.charAt(0) !== 'i');
  const infos = (m: string[][]): string[] => m.filter((f) => f[0]!.charAt(0) === 'i').map((f) => f[0]!.slice(1));

  beforeAll(async () => {
    cpSync(path.join(REPO, 'tests/fixtures/archive'), root, { recursive: true });
    gen = generateArchive(root, 450, 230);
    app = await startServer(root);
  });
  afterAll(() => app.close());

  it('front page in lynx: the newest articles, then the ways into the archive', async () => {
    const dump = await lynxDump(`gopher://127.0.0.1:${app.port}/1/`);
    const lines = dump.split('\n').map((l) => l.trimEnd());
    expect(lines).toContain('       127.0.0.1 -- 453 articles');
    const newest = [...gen].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))[0]!;
    const first = lines.indexOf('       ## NEWEST ARTICLES') + 2;
    // Within one day the index keeps a fixed order of its own (archive/article-key.ts): any of that day's.
    const ofNewestDay = gen.filter((g) => g.date === newest.date).map((g) => ` (DIR) ${displayDate(newest.date)} ${g.title}`);
    expect(ofNewestDay).toContain(lines[first]);
    const archive = lines.indexOf('       ## THE ARCHIVE');
    expect(archive - first).toBe(21); // 20 newest and an empty line
    expect(lines.slice(archive + 2, archive + 9)).toEqual([
      ' (DIR) Archive by date',
      expect.stringMatching(/^ \(DIR\) Tags \(\d+\)$/),
      '  (?)  Search the archive (words, "a phrase", tag:Name, 2025-04)',
      ' (DIR) All articles (453)',
      '(FILE) All articles as a list (selector, date, title; for mirrors)',
      ' (DIR) Folders of content/',
      ' (DIR) About this server',
    ]);
  });

  it('archive by date: year → month → day → articles, with counts from the date lines', async () => {
    const years = items(await get('/date/'));
    // 450 generated, 150 a year, plus the fixtures: two in 2025, one in 2024.
    expect(years.map((f) => [f[0], f[1]])).toEqual([
      ['12025 (152 articles)', '/date/2025/'],
      ['12024 (151 articles)', '/date/2024/'],
      ['12023 (150 articles)', '/date/2023/'],
    ]);
    const in2024 = gen.filter((g) => g.date.startsWith('2024-'));
    const months = items(await get('/date/2024/'));
    // The fixture "Notizen ohne Nummer" is dated 2 Jan 2024.
    const expectMonths = [...new Set([...in2024.map((g) => g.date.slice(5, 7)), '01'])].sort().reverse();
    expect(months.map((f) => f[1])).toEqual(expectMonths.map((m) => `/date/2024/${m}/`));
    const may = in2024.filter((g) => g.date.startsWith('2024-05'));
    const mayItem = months.find((f) => f[1] === '/date/2024/05/')!;
    expect(mayItem[0]).toBe(`1May 2024 (${may.length} articles)`);
    const days = items(await get('/date/2024/05/'));
    const dayCounts = new Map<string, number>();
    for (const g of may) dayCounts.set(g.date, (dayCounts.get(g.date) ?? 0) + 1);
    expect(days.map((f) => f[0])).toEqual([...dayCounts].sort((a, b) => (a[0] < b[0] ? 1 : -1)).map(([d, n]) => `1${d} (${n} article${n === 1 ? '' : 's'})`));
    const [day, n] = [...dayCounts][0]!;
    const arts = items(await get(`/date/${day.replace(/-/g, '/')}/`));
    expect(arts).toHaveLength(n);
    for (const f of arts) expect(f[0]!.startsWith(`1${displayDate(day)} Meldung `)).toBe(true);
  });

  it('a date with no articles, or not a date, is a clear type-3 error', async () => {
    expect(await gopher(app.port, '/date/1999/')).toBe(`3No articles for that date\t\t127.0.0.1\t${app.port}\r\n.\r\n`);
    expect((await gopher(app.port, '/date/abc/')).startsWith('3No articles for that date\t')).toBe(true);
  });

  it('tag index past 200 tags: an alphabet jump with counts, each letter paged', async () => {
    const index = await get('/tags/');
    expect(infos(index)).toContain('Jump to a letter:');
    const letters = items(index);
    // Fixture tags: Bundesnetzagentur, Energiewende, Klimawandel, Ökologie & Ökonomie, Windkraft.
    expect(letters.map((f) => f[0])).toEqual(['1B (1 tag)', '1E (1 tag)', '1K (1 tag)', '1N (1 tag)', '1O (1 tag)', '1T (230 tags)', '1W (1 tag)', '1Z (115 tags)']);
    const t1 = await get(letters.find((f) => f[0]!.startsWith('1T'))![1]!);
    const tTags = items(t1).filter((f) => f[1]!.startsWith('/tag/'));
    expect(tTags).toHaveLength(200);
    expect(tTags[0]![0]).toBe('1Thema-000 (2)');
    const next = items(t1).find((f) => f[0]!.startsWith('1next page'))!;
    expect(next[1]).toBe('/tags/T/p2');
    const t2 = items(await get(next[1]!));
    expect(t2.filter((f) => f[1]!.startsWith('/tag/')).map((f) => f[0]!.replace(/ \(.*/, '')).at(-1)).toBe('1Thema-229');
    expect(t2.some((f) => f[0]!.startsWith('1previous page') && f[1] === '/tags/T/')).toBe(true);
  });

  it('a tag page in lynx: the tag, its count, articles newest first', async () => {
    const dump = await lynxDump(`gopher://127.0.0.1:${app.port}/1/tag/Energiewende`);
    expect(dump.split('\n').slice(2).map((l) => l.trimEnd()).filter(Boolean)).toEqual([
      '       Tag: Energiewende -- 2 articles, newest first',
      ' (DIR) 03.05.2025 Energiewende: Wind, Sonne und Streit um Netze',
      ' (DIR) 01.05.2025 Windkraft an Land: Mehr Anlagen, weniger Streit',
    ]);
    // Tags are found whatever the case.
    expect(items(await get('/tag/energiewende'))).toHaveLength(2);
  });

  it('a tag on 450 articles is paged, newest first, 200 a page, with previous/next items', async () => {
    const sorted = gen.map((g) => g.date).sort().reverse();
    const seen: string[] = [];
    let selector: string | undefined = '/tag/Nachrichten';
    for (let page = 1; selector !== undefined && page <= 5; page++) {
      const m = await get(selector);
      expect(infos(m)[0]).toBe('Tag: Nachrichten -- 450 articles, newest first');
      expect(infos(m)).toContain(`Page ${page} of 3`);
      const arts = items(m).filter((f) => f[1]!.startsWith('/Gen/!'));
      expect(arts.length).toBe(page < 3 ? 200 : 50);
      seen.push(...arts.map((f) => f[0]!.slice(1, 11)));
      selector = items(m).find((f) => f[0]!.startsWith('1next page'))?.[1];
      if (page > 1) expect(items(m).find((f) => f[0]!.startsWith('1previous page'))?.[1]).toBe(page === 2 ? '/tag/Nachrichten' : `/tag/Nachrichten/p${page - 1}`);
    }
    expect(seen).toEqual(sorted.map(displayDate));
    expect((await gopher(app.port, '/tag/Nachrichten/p4')).startsWith('3')).toBe(true);
  });

  it('all articles: paged, every article once', async () => {
    const selectors: string[] = [];
    let selector: string | undefined = '/all/';
    for (let page = 1; selector !== undefined && page <= 5; page++) {
      const m = await get(selector);
      selectors.push(...items(m).filter((f) => !f[0]!.includes(' page (')).map((f) => f[1]!));
      selector = items(m).find((f) => f[0]!.startsWith('1next page'))?.[1];
    }
    expect(selectors).toHaveLength(453);
    expect(new Set(selectors).size).toBe(453);
  });

  it('about and caps.txt', async () => {
    const about = await get('/about');
    expect(infos(about)).toContain('Articles: 453; tags: 351');
    expect(items(about).map((f) => f[1])).toEqual(['/caps.txt', '/index.txt', '/files.txt', '/']);
    const caps = await gopher(app.port, '/caps.txt');
    const lines = caps.split('\n');
    expect(lines[0]).toBe('CAPS');
    for (const l of ['CapsVersion=1', 'PathDelimeter=/', 'ServerSoftware=gopherpress', 'ServerDefaultEncoding=UTF-8']) expect(lines).toContain(l);
    expect(lines.some((l) => /^ServerSoftwareVersion=\d+\.\d+\.\d+$/.test(l))).toBe(true);
  });

  it('every menu reachable from the front page is valid RFC 1436 and terminated (bounded walk)', async () => {
    const seen = new Set<string>();
    const queue = [''];
    while (queue.length > 0 && seen.size < 700) {
      const sel = queue.shift()!;
      if (seen.has(sel)) continue;
      seen.add(sel);
      for (const f of await get(sel)) {
        if (f[0]!.charAt(0) === '1' && f[2] === '127.0.0.1' && !f[1]!.startsWith('/Gen/!')) queue.push(f[1]!);
      }
    }
    expect(seen.size).toBeGreaterThan(300);
  });
});

describe('file types in a folder listing', () => {
  let app: App;
  const root = tempDir('gp-types-');
  beforeAll(async () => {
    mkdirSync(path.join(root, 'files/sub'), { recursive: true });
    const files: Record<string, string | Buffer> = {
      'pic.gif': Buffer.from('GIF89a'), 'photo.jpg': Buffer.from([0xff, 0xd8, 0xff]), 'logo.PNG': Buffer.from('\x89PNG'),
      'data.zip': Buffer.from('PK'), 'tool.tar.gz': Buffer.from([0x1f, 0x8b]), 'page.html': '<html></html>', 'notes.md': 'notes\n',
      'README': 'plain\n', 'blob.xyz': Buffer.from([0, 1, 2]), 'paper.pdf': '%PDF-1.4', 'song.mp3': Buffer.from('ID3'),
    };
    for (const [name, body] of Object.entries(files)) writeFileSync(path.join(root, 'files', name), body);
    app = await startServer(root);
  });
  afterAll(() => app.close());

  it('types each file by its name: I/g images, 9 archives and binaries, h HTML, 0 text, 1 folders', async () => {
    const m = expectValidMenu(await gopherRaw(app.port, '/files/\r\n')).filter((f) => f[0]!.charAt(0) !== 'i');
    expect(m.map((f) => `${f[0]} ${f[1]}`)).toEqual([
      '1sub /files/sub/',
      '9blob.xyz /files/blob.xyz',
      '9data.zip /files/data.zip',
      'Ilogo.PNG /files/logo.PNG',
      'hpage.html /files/page.html',
      'dpaper.pdf /files/paper.pdf',
      'Iphoto.jpg /files/photo.jpg',
      'gpic.gif /files/pic.gif',
      '0README /files/README',
      'ssong.mp3 /files/song.mp3',
      '0notes.md /files/notes.md',
      '9tool.tar.gz /files/tool.tar.gz',
    ].sort((a, b) => (a.startsWith('1') ? -1 : b.startsWith('1') ? 1 : a.slice(1).localeCompare(b.slice(1), 'en'))));
    // Served as stored.
    expect((await gopherRaw(app.port, '/files/pic.gif\r\n')).toString('latin1')).toBe('GIF89a');
  });
});
