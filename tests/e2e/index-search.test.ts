import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, lynxDump } from '../helpers/gopher.js';
import { ask, articleText, dateLine, fullTextIndexed, item, killAll, results, search, serveArgs, shownDate, spawnServe, type ArticleSpec, type Served } from '../helpers/index-server.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Every search form of the SQLite index (issue 15, INDEX-SPEC "Search") over a real socket, on a
 * real CLI with its database in a temp --state-dir. The archive: eight hand-written articles whose
 * hits are spelled out below, an old article with a phrase, and 10,050 tiny notes (the newest 2,100
 * hold the phrase's words in another order; all hold `Sammelwort`; every 20th `Seltenwort`).
 */
const HAND: Record<string, ArticleSpec & { date: string }> = {
  H1: { title: 'Energiewende in Görlitz: Straße frei für Solardächer', date: '2025-04-26', body: ['Die Energiewende kommt nach Görlitz. Für jede Straße gibt es einen Plan.'], tags: ['Energiewende', 'Görlitz'] },
  H2: { title: 'Fuer die Strasse: ASCII geschrieben', date: '2025-03-10', body: ['Fuer die Strasse und fuer Goerlitz, ganz ohne Umlaute. Energie sparen hilft.'], tags: ['Verkehr'] },
  H3: { title: 'Donald Trump und der Zoll', date: '2025-02-14', body: ['Der Präsident erhebt einen Zoll auf Stahl. Energiepolitik bleibt Nebensache.'], tags: ['Donald Trump', 'USA'] },
  H4: { title: 'Trump trifft Donald Duck', date: '2024-11-05', body: ['Eine Satire: Donald Duck und die Wahl. Kein Zoll.'], tags: ['Donald', 'Satire'] },
  H5: { title: 'Zölle: Die Antwort der EU auf Trump', date: '2024-08-20', body: ['Die EU antwortet auf den Zoll mit Gegenzöllen. Die Energiepreise steigen.'], tags: ['Donald Trump', 'EU'] },
  H6: { title: 'Windkraft an der Küste', date: '2024-06-01', body: ['Windräder liefern Energie für Tausende. Die Küste ist windig.'], tags: ['Energiewende', 'Windkraft'] },
  H7: { title: 'Wärmepumpe, Wärmepumpe, Wärmepumpe', date: '2024-01-10', body: ['Wärmepumpe hier, Wärmepumpe da: die Wärmepumpe.'], tags: ['Heizen'] },
  H8: {
    title: 'Ein langer Bericht aus dem Rathaus',
    date: '2025-05-01',
    body: [
      'Im Rathaus wurde lange beraten. Die Sitzung dauerte bis in den Abend. Viele',
      'Fragen blieben offen, manche Antworten kamen spät. Am Ende ging es auch um',
      'eine Wärmepumpe im Keller der Schule. Die Verwaltung prüft nun Angebote,',
      'Fristen und Kosten. Bürgerinnen und Bürger sollen gehört werden. Der nächste',
      'Termin steht schon fest. Bis dahin bleibt vieles, wie es ist.',
    ],
    tags: ['Rathaus'],
  },
};
const selOf = (h: string): string => `/Hand/!${5000000 + Number(h.slice(1))}`;
const hit = (h: string): { display: string; selector: string } => ({ display: `${shownDate(HAND[h]!.date)} ${HAND[h]!.title}`, selector: selOf(h) });

const NOTES = 10_050;
const PHRASE_NOTES = 2_100;
/** Note i: id 7000001 + i, dated 1995-01-01 plus i days (all older than the hand-written ones, all distinct). */
const noteDate = (i: number): string => new Date(Date.UTC(1995, 0, 1 + i)).toISOString().slice(0, 10);
const noteHit = (i: number): { display: string; selector: string } => ({ display: `${shownDate(noteDate(i))} Notiz ${i}`, selector: `/Viele/!${7000001 + i}` });
const OLD = { display: '15.06.1994 Fund im Keller', selector: '/Alt/!4000001' };

describe('search on the SQLite index, every form of the spec', () => {
  const root = tempDir('gp-index-search-');
  const content = path.join(root, 'content');
  const state = path.join(root, 'state');
  let server: Served;
  let port: number;

  beforeAll(async () => {
    mkdirSync(path.join(content, 'Hand'), { recursive: true });
    mkdirSync(path.join(content, 'Alt'));
    mkdirSync(path.join(content, 'Viele'));
    mkdirSync(state);
    for (const h of Object.keys(HAND)) writeFileSync(path.join(content, `${selOf(h).slice(1)}.txt`), articleText(HAND[h]!));
    writeFileSync(path.join(content, 'Alt/!4000001.txt'), articleText({ title: 'Fund im Keller', date: '1994-06-15', body: ['Ein alter Kupferkessel glänzt im Keller des Museums.'], tags: ['Museum'] }));
    for (let i = 0; i < NOTES; i++) {
      const body = [`Sammelwort Nummer ${i}.`];
      if (i >= NOTES - PHRASE_NOTES) body.push('Der Kupferkessel ist alter, aber er glänzt.');
      if (i % 20 === 0) body.push('Seltenwort');
      writeFileSync(path.join(content, `Viele/!${7000001 + i}.txt`), `# taz.de -- Notiz ${i}\n       \n${body.map((l) => `       ${l}\n`).join('')}       \n       ${dateLine(noteDate(i))}\n`);
    }
    server = spawnServe(serveArgs(content, state));
    port = await server.port(60_000);
    // Asked at once, the results may still be partial; if they are, the menu says how far indexing has come.
    const early = /Full text indexed so far: [^\t]*/.exec(await ask(port, '/search', 'Sammelwort'));
    if (early) expect(early[0]).toMatch(/^Full text indexed so far: [\d,]+ of 10,?059 articles\.$/);
    expect(await fullTextIndexed(server, 60_000)).toBe(NOTES + 9);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    await killAll();
  });

  const hits = async (q: string): Promise<{ display: string; selector: string }[]> => (await search(port, q)).hits;

  it('all words must match; German folding both ways (fuer finds für, Strasse finds Straße), any case', async () => {
    for (const q of ['fuer', 'für', 'FÜR', 'Fuer']) {
      const r = await search(port, q);
      expect(r.count).toBe(`3 articles found for: ${q}`);
      expect(r.hits).toEqual([hit('H1'), hit('H2'), hit('H6')]);
    }
    for (const q of ['Strasse', 'Straße', 'STRASSE', 'strasse']) expect(await hits(q), q).toEqual([hit('H1'), hit('H2')]);
    for (const q of ['Goerlitz', 'görlitz', 'Gorlitz']) expect(await hits(q), q).toEqual([hit('H1'), hit('H2')]);
    expect(await hits('Zoelle')).toEqual([hit('H5')]);
    expect((await search(port, 'Zoelle')).count).toBe('1 article found for: Zoelle');
    expect(await hits('Zoll')).toEqual([hit('H3'), hit('H4'), hit('H5')]);
    expect(await hits('Zoll Stahl')).toEqual([hit('H3')]);
    expect(await hits('Energiewende Görlitz')).toEqual([hit('H1')]);
    const none = await search(port, 'Zoll Küste');
    expect(none.count).toBe('0 articles found for: Zoll Küste');
    expect(none.hits).toEqual([]);
  });

  it('a "phrase" matches its words in that order only', async () => {
    expect(await hits('"Straße gibt es"')).toEqual([hit('H1')]);
    expect(await hits('"für die Straße"')).toEqual([hit('H2')]);
    expect(await hits('"fuer die strasse"')).toEqual([hit('H2')]);
    expect((await search(port, '"Strasse die fuer"')).count).toBe('0 articles found for: "Strasse die fuer"');
  });

  it('finds a phrase in an old article behind 2,100 newer ones that have its words in another order', async () => {
    const words = await search(port, 'alter Kupferkessel glänzt');
    expect(words.count).toMatch(/^2,?101 articles found for: alter Kupferkessel glänzt$/);
    const r = await search(port, '"alter Kupferkessel glänzt"');
    expect(r.count).toBe('1 article found for: "alter Kupferkessel glänzt"');
    expect(r.hits).toEqual([OLD]);
  });

  it('energ* finds every word that starts so, folded like words', async () => {
    expect(await hits('energ*')).toEqual([hit('H1'), hit('H2'), hit('H3'), hit('H5'), hit('H6')]);
    expect(await hits('görl*')).toEqual([hit('H1'), hit('H2')]);
    expect(await hits('goerl*')).toEqual([hit('H1'), hit('H2')]);
    expect(await hits('Energiew* Görlitz')).toEqual([hit('H1')]);
  });

  it('a OR b finds either', async () => {
    const r = await search(port, 'Windkraft OR Satire');
    expect(r.count).toBe('2 articles found for: Windkraft OR Satire');
    expect(r.hits).toEqual([hit('H4'), hit('H6')]);
    expect(await hits('Stahl OR Küste OR Duck')).toEqual([hit('H3'), hit('H4'), hit('H6')]);
  });

  it('-word excludes the articles that have it (folded)', async () => {
    expect(await hits('Zoll -Satire')).toEqual([hit('H3'), hit('H5')]);
    expect(await hits('energ* -Görlitz')).toEqual([hit('H3'), hit('H5'), hit('H6')]);
  });

  it('tag:Name and tag:"Two Words", with words and in any place', async () => {
    expect(await hits('tag:Energiewende')).toEqual([hit('H1'), hit('H6')]);
    expect(await hits('tag:energiewende Görlitz')).toEqual([hit('H1')]);
    expect(await hits('tag:"Donald Trump"')).toEqual([hit('H3'), hit('H5')]);
    expect(await hits('tag:Donald')).toEqual([hit('H4')]);
    expect(await hits('Duck tag:Donald')).toEqual([hit('H4')]);
    expect((await search(port, 'tag:Gibt-es-nicht')).count).toBe('0 articles found for: tag:Gibt-es-nicht');
  });

  it('tag:Two Words as the tag list shows it: the longest run of words after tag: that names a tag', async () => {
    const typed = await search(port, 'tag:Donald Trump');
    expect(typed.count).toBe('2 articles found for: tag:Donald Trump');
    // Not H4: it has the tag Donald and the word Trump, but "Donald Trump" names a tag.
    expect(typed.hits).toEqual([hit('H3'), hit('H5')]);
    expect(await hits('tag:Donald Trump Stahl')).toEqual([hit('H3')]);
    expect(await hits('tag:donald trump')).toEqual([hit('H3'), hit('H5')]);
  });

  it('curl sends tag:Two Words as typed and gets the tag', async () => {
    const r = await curl([`gopher://127.0.0.1:${port}/7/search%09tag:Donald%20Trump`]);
    expect(r.code).toBe(0);
    const menu = results(r.stdout);
    expect(menu.count).toBe('2 articles found for: tag:Donald Trump');
    expect(menu.hits).toEqual([hit('H3'), hit('H5')]);
  });

  it('date ranges: a year, a month, a day, month..month, with words', async () => {
    const day = await search(port, '2025-04-26');
    expect(day.count).toBe('1 article found for: 2025-04-26');
    expect(day.hits).toEqual([hit('H1')]);
    expect(await hits('2025')).toEqual([hit('H8'), hit('H1'), hit('H2'), hit('H3')]);
    expect(await hits('Zoll 2025')).toEqual([hit('H3')]);
    expect(await hits('Zoll 2024-11')).toEqual([hit('H4')]);
    expect(await hits('Zoll 2024-08-20')).toEqual([hit('H5')]);
    expect(await hits('Zoll 2024-08..2025-02')).toEqual([hit('H3'), hit('H4'), hit('H5')]);
    expect(await hits('Zoll 2024-09..2024-12')).toEqual([hit('H4')]);
    expect(await hits('Straße 2025-03..2025-04')).toEqual([hit('H1'), hit('H2')]);
  });

  it('newest first by default, with a "Most relevant first" item that leads to the same query by relevance', async () => {
    const r = await search(port, 'Wärmepumpe');
    expect(r.count).toBe('2 articles found for: Wärmepumpe');
    expect(r.hits).toEqual([hit('H8'), hit('H7')]);
    const more = item(r, '1Most relevant first');
    expect(more, r.raw).toBeDefined();
    expect(more!.slice(2)).toEqual(['127.0.0.1', String(port)]);
    const byRelevance = results(await ask(port, more![1]!));
    expect(byRelevance.count).toMatch(/^2 articles found for: /);
    expect(byRelevance.hits).toEqual([hit('H7'), hit('H8')]);
  });

  it('sort:relevance anywhere in the query orders by relevance (bm25)', async () => {
    const r = await search(port, 'Wärmepumpe sort:relevance');
    expect(r.count).toBe('2 articles found for: Wärmepumpe sort:relevance');
    expect(r.hits).toEqual([hit('H7'), hit('H8')]);
    expect(await hits('sort:relevance Waermepumpe')).toEqual([hit('H7'), hit('H8')]);
  });

  it('lynx shows the results and the Most relevant first item', async () => {
    const dump = await lynxDump(`gopher://127.0.0.1:${port}/7/search?Windkraft%20OR%20Satire`);
    const lines = dump.split('\n').map((l) => l.trimEnd());
    const at = (s: string): number => lines.indexOf(s);
    expect(at('       2 articles found for: Windkraft OR Satire'), dump).toBeGreaterThan(-1);
    expect(at(' (DIR) 05.11.2024 Trump trifft Donald Duck')).toBeGreaterThan(at('       2 articles found for: Windkraft OR Satire'));
    expect(at(' (DIR) 01.06.2024 Windkraft an der Küste')).toBe(at(' (DIR) 05.11.2024 Trump trifft Donald Duck') + 1);
    expect(at(' (DIR) Most relevant first')).toBeGreaterThan(-1);
  });

  it('counts exactly up to 10,000 and says "more than 10,000" beyond', async () => {
    const r = await search(port, 'Sammelwort');
    expect(r.count).toBe('more than 10,000 articles found for: Sammelwort');
    expect(r.hits).toHaveLength(200);
    expect(r.hits.slice(0, 3)).toEqual([noteHit(NOTES - 1), noteHit(NOTES - 2), noteHit(NOTES - 3)]);
    expect((await search(port, 'Sammelwort Seltenwort')).count).toBe('503 articles found for: Sammelwort Seltenwort');
  });

  it('pages 200 results a page, newest first across pages, the count on every page', async () => {
    const expected = Array.from({ length: 503 }, (_, k) => noteHit(10_040 - 20 * k));
    const p1 = await search(port, 'Seltenwort');
    expect(p1.count).toBe('503 articles found for: Seltenwort');
    expect(p1.hits).toEqual(expected.slice(0, 200));
    const next1 = p1.items.find((f) => f[0] === '1next page (2 of 3)');
    expect(next1?.[1], p1.raw).toMatch(/^\/search\/q\/[A-Za-z0-9_-]+\/p2$/);
    const p2 = results(await ask(port, next1![1]!));
    expect(p2.count).toBe('503 articles found for: Seltenwort');
    expect(p2.hits).toEqual(expected.slice(200, 400));
    const next2 = p2.items.find((f) => f[0] === '1next page (3 of 3)');
    expect(next2?.[1]).toMatch(/^\/search\/q\/[A-Za-z0-9_-]+\/p3$/);
    const p3 = results(await ask(port, next2![1]!));
    expect(p3.hits).toEqual(expected.slice(400));
    expect(p3.hits.at(-1)).toEqual(noteHit(0));
    expect(p3.items.find((f) => f[0]!.startsWith('1next page'))).toBeUndefined();
  });

  it('once full text is indexed, no results menu says how far indexing has come', async () => {
    for (const q of ['Sammelwort', 'Zoll', 'tag:Donald Trump']) expect((await search(port, q)).raw).not.toContain('Full text indexed so far');
  });
});
