import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { articleFile, generateArchive } from '../helpers/archive-gen.js';
import { gopherRaw, lynxDump, startServer } from '../helpers/gopher.js';
import { expectValidMenu } from '../helpers/menu-check.js';
import { tempDir } from '../helpers/tmp.js';

/** Full-text search (type 7) over real sockets: German folding, all words, phrases, tag: and dates, paging. */
describe('search', () => {
  let app: App;
  const root = tempDir('gp-search-');

  beforeAll(async () => {
    const w = (name: string, title: string, date: string, body: string[], tags: string[]): void =>
      writeFileSync(path.join(root, name), articleFile(title, date, body, tags));
    w('!3000001.txt', 'Führung der Grünen', '2025-04-26', ['Die Straße nach [1][Görlitz] ist gesperrt.', 'Ein Müller erzählt.'], ['Energiewende']);
    w('!3000002.txt', 'Fuehrung ohne Umlaute', '2025-03-10', ['Strasse und Goerlitz, ASCII geschrieben.'], ['Verkehr']);
    w('!3000003.txt', 'Fuhrung ganz ohne', '2024-12-01', ['Görlitz die Straße entlang, Mueller dabei.'], ['energiewende']);
    generateArchive(root, 260, 5);
    app = await startServer(root);
  });
  afterAll(() => app.close());

  const search = async (query: string): Promise<{ count: string; hits: string[][]; all: string[][] }> => {
    const all = expectValidMenu(await gopherRaw(app.port, `/search\t${query}\r\n`), query);
    return { count: all[0]![0]!.slice(1), hits: all.filter((f) => f[0]!.startsWith('1') && !f[0]!.includes(' page (') && f[0] !== '1Most relevant first'), all };
  };

  it('folds German: ä = ae = a, ß = ss, any case; results newest first with dates, the count on top', async () => {
    for (const q of ['führung', 'FUEHRUNG', 'fuhrung']) {
      const r = await search(q);
      expect(r.count).toBe(`3 articles found for: ${q}`);
      expect(r.hits.map((f) => f[0])).toEqual(['126.04.2025 Führung der Grünen', '110.03.2025 Fuehrung ohne Umlaute', '101.12.2024 Fuhrung ganz ohne']);
      expect(r.hits.map((f) => f[1])).toEqual(['/!3000001', '/!3000002', '/!3000003']);
    }
    expect((await search('STRASSE')).hits).toHaveLength(3);
    expect((await search('Straße')).hits).toHaveLength(3);
  });

  it('several words must all match', async () => {
    expect((await search('Müller Görlitz')).hits.map((f) => f[1])).toEqual(['/!3000001', '/!3000003']);
    expect((await search('Müller Görlitz ASCII')).count).toBe('0 articles found for: Müller Görlitz ASCII');
  });

  it('a "quoted phrase" matches the words in that order only (reference numbers [n] do not break it)', async () => {
    expect((await search('"die Straße"')).hits.map((f) => f[1])).toEqual(['/!3000001', '/!3000003']);
    expect((await search('"Straße nach Görlitz"')).hits.map((f) => f[1])).toEqual(['/!3000001']);
    expect((await search('"Görlitz nach Straße"')).hits).toEqual([]);
  });

  it('tag: and dates through the same box', async () => {
    expect((await search('tag:Energiewende')).hits.map((f) => f[1])).toEqual(['/!3000001', '/!3000003']);
    expect((await search('tag:energiewende görlitz 2025')).hits.map((f) => f[1])).toEqual(['/!3000001']);
    expect((await search('Görlitz 2025-03')).hits.map((f) => f[1])).toEqual(['/!3000002']);
    expect((await search('Görlitz 2024-12..2025-03')).hits.map((f) => f[1])).toEqual(['/!3000002', '/!3000003']);
    expect((await search('tag:Gibt-es-nicht')).count).toBe('0 articles found for: tag:Gibt-es-nicht');
  });

  it('many hits are paged: 200 a page, the next page a type-1 item that carries the whole query', async () => {
    const r = await search('gemeinsamer text');
    expect(r.count).toBe('260 articles found for: gemeinsamer text');
    expect(r.hits).toHaveLength(200);
    const next = r.all.find((f) => f[0]!.startsWith('1next page (2 of 2)'))!;
    expect(next[1]).toMatch(/^\/search\/q\/[A-Za-z0-9_-]+\/p2$/);
    const p2 = expectValidMenu(await gopherRaw(app.port, `${next[1]}\r\n`));
    expect(p2[0]![0]).toBe('i260 articles found for: gemeinsamer text');
    const hits2 = p2.filter((f) => f[0] !== '1Most relevant first' && f[0]!.startsWith('1') && !f[0]!.includes(' page ('));
    expect(hits2).toHaveLength(60);
    expect(new Set([...r.hits, ...hits2].map((f) => f[1])).size).toBe(260);
  });

  it('an empty query says so; the search item documents the syntax', async () => {
    const r = await search('   ');
    expect(r.all.map((f) => f[0])).toEqual(['iNothing to search for.', 'i', '7Search the archive (words, "a phrase", tag:Name, 2025-04)']);
  });

  it('lynx sends the query after a TAB and shows the results', async () => {
    const dump = await lynxDump(`gopher://127.0.0.1:${app.port}/7/search?Stra%C3%9Fe%20m%C3%BCller`);
    expect(dump.split('\n').slice(2).map((l) => l.trimEnd()).filter(Boolean)).toEqual([
      '       2 articles found for: Straße müller',
      ' (DIR) 26.04.2025 Führung der Grünen',
      ' (DIR) 01.12.2024 Fuhrung ganz ohne',
      ' (DIR) Most relevant first',
      '  (?)  Search the archive (words, "a phrase", tag:Name, 2025-04)',
    ]);
  });
});
