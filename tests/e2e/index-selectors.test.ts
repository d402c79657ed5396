import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, dumpBody, lynxDump, trimTrailing } from '../helpers/gopher.js';
import { ask, articleText, fullTextIndexed, killAll, search, serveArgs, spawnServe, type Served } from '../helpers/index-server.js';
import { tempDir } from '../helpers/tmp.js';
import { sleep, within } from '../helpers/wait.js';

/**
 * Selectors and links of issue 15 (INDEX-SPEC "Selectors and links", "Watching"): ids as taz.de
 * writes them (`!p4611` a section page, `!t5008421` a tag page), an item whose text is exactly an
 * archived article's title linking to that article, and an article that looks cut off waiting
 * until it is complete. One server with its watcher on, over real sockets, lynx and curl.
 */
const KELLER = 'Klimaschutz: Die Wende beginnt im Keller';
const FILES: Record<string, string> = {
  'Klima/!6100001.txt': articleText({ title: KELLER, date: '2025-04-20', body: ['Eine neue Heizung im Keller spart viel.'], tags: ['Klima'] }),
  'Energie/!6100003.txt': articleText({ title: 'Windkraft', date: '2025-03-01', body: ['Windräder drehen sich an der Küste.'], tags: ['Energie'] }),
  'Politik/!6100002.txt': articleText({
    title: 'Der Bundestag streitet',
    date: '2025-04-22',
    body: ['Im Bundestag ging es um [1][Windräder].', ' (DIR) Windkraft', 'Mehr dazu später.'],
    links: [[1, '/Energie/!6100003']],
    tags: ['Windkraft'],
    related: [KELLER],
  }),
  // A section page: a list of titles, as taz.de writes one.
  'Oeko/!p4611.txt': articleText({
    title: 'Öko',
    date: '2025-04-26',
    body: [
      ` (DIR) ${KELLER}`,
      '',
      'Wie Hausbesitzer mit einer neuen Heizung sparen.',
      '',
      ' (DIR) Windkraft',
      '',
      ' (DIR) Ein Titel, den es hier nicht gibt',
      '',
      ' (DIR) klimaschutz: die wende beginnt im keller',
      '',
      ' (DIR) Nachzügler: Er kommt später',
    ],
  }),
  // A tag page: the titles again, and a tag named like an article (a tag stays a tag).
  'Schwerpunkt-Klimawandel/!t5008421.txt': articleText({
    title: 'Schwerpunkt Klimawandel',
    date: '2025-04-25',
    body: ['Alle Artikel zum Thema.', '', ` (DIR) ${KELLER}`, ' (DIR) Windkraft'],
    tags: ['Windkraft'],
  }),
};

describe('selectors as taz.de writes them, titles that link, cut-off articles', () => {
  const tmp = tempDir('gp-index-selectors-');
  const content = path.join(tmp, 'content');
  const state = path.join(tmp, 'state');
  let server: Served;
  let port: number;
  const line = (display: string, selector: string): string => `1${display}\t${selector}\t127.0.0.1\t${port}\r\n`;

  beforeAll(async () => {
    mkdirSync(state, { recursive: true });
    for (const [rel, text] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(content, rel)), { recursive: true });
      writeFileSync(path.join(content, rel), text);
    }
    server = spawnServe(serveArgs(content, state));
    port = await server.port();
    await fullTextIndexed(server);
  });
  afterAll(async () => {
    await server?.stop();
    await killAll();
  });

  it('serves !p4611.txt at /!p4611, /Oeko/!p4611 and any other slug, like a digit id; lynx prints the file back', async () => {
    const menu = await ask(port, '/Oeko/!p4611');
    expect(menu.startsWith('i# taz.de -- Öko\t')).toBe(true);
    expect(await ask(port, '/!p4611')).toBe(menu);
    expect(await ask(port, '/Anderer-Slug/!p4611')).toBe(menu);
    expect(await ask(port, '/!p4611.txt')).toBe(FILES['Oeko/!p4611.txt']);
    expect(trimTrailing(dumpBody(await lynxDump(`gopher://127.0.0.1:${port}/1/!p4611`)))).toBe(trimTrailing(FILES['Oeko/!p4611.txt']!));
    expect(await ask(port, '/all/')).toContain(line('26.04.2025 Öko', '/Oeko/!p4611'));
  });

  it('serves !t5008421.txt at /!t5008421, /Schwerpunkt-Klimawandel/!t5008421 and any other slug', async () => {
    const menu = await ask(port, '/Schwerpunkt-Klimawandel/!t5008421');
    expect(menu.startsWith('i# taz.de -- Schwerpunkt Klimawandel\t')).toBe(true);
    expect(await ask(port, '/!t5008421')).toBe(menu);
    expect(await ask(port, '/x/!t5008421')).toBe(menu);
    expect(trimTrailing(dumpBody(await lynxDump(`gopher://127.0.0.1:${port}/1/Schwerpunkt-Klimawandel/!t5008421`)))).toBe(trimTrailing(FILES['Schwerpunkt-Klimawandel/!t5008421.txt']!));
    expect(await ask(port, '/all/')).toContain(line('25.04.2025 Schwerpunkt Klimawandel', '/Schwerpunkt-Klimawandel/!t5008421'));
  });

  it('digit ids still work with and without a slug', async () => {
    const menu = await ask(port, '/Klima/!6100001');
    expect(menu.startsWith(`i# taz.de -- ${KELLER}\t`)).toBe(true);
    expect(await ask(port, '/!6100001')).toBe(menu);
    expect(await ask(port, '/Beliebig/!6100001')).toBe(menu);
  });

  it('in a section page, an item whose text is exactly an archived title links to that article (raw lines, and curl)', async () => {
    const menu = await ask(port, '/Oeko/!p4611');
    expect(menu).toContain(line(KELLER, '/Klima/!6100001'));
    expect(menu).toContain(line('Windkraft', '/Energie/!6100003'));
    // Not titles of this archive (not even one in another case): not article links.
    for (const display of ['Ein Titel, den es hier nicht gibt', 'klimaschutz: die wende beginnt im keller']) {
      const item = menu.split('\r\n').find((l) => l.startsWith(`1${display}\t`));
      expect(item, display).toBeDefined();
      expect(item!.split('\t')[1]).toMatch(/^\/search\//);
    }
    const r = await curl([`gopher://127.0.0.1:${port}/1/Oeko/!p4611`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(line(KELLER, '/Klima/!6100001'));
  });

  it('wherever the item stands: in an article body and a tag page, not in ## TAGS (a tag stays a tag)', async () => {
    const tagPage = await ask(port, '/!t5008421');
    expect(tagPage).toContain(line(KELLER, '/Klima/!6100001'));
    expect(tagPage).toContain(line('Windkraft', '/Energie/!6100003'));
    expect(tagPage).toContain(line('Windkraft', '/tag/Windkraft'));
    const article = await ask(port, '/Politik/!6100002');
    expect(article).toContain(line('Windkraft', '/Energie/!6100003'));
    expect(article).toContain(line('Windkraft', '/tag/Windkraft'));
    expect(article).toContain(line(KELLER, '/Klima/!6100001'));
  });

  it('an item turns into a link once an article with that title arrives', async () => {
    const before = (await ask(port, '/Oeko/!p4611')).split('\r\n').find((l) => l.startsWith('1Nachzügler: Er kommt später\t'));
    expect(before?.split('\t')[1]).toMatch(/^\/search\//);
    writeFileSync(path.join(content, 'Klima/!6100009.txt'), articleText({ title: 'Nachzügler: Er kommt später', date: '2025-04-27', body: ['Spät, aber da.'], tags: ['Klima'] }));
    await within(3000, 'the section page item linking to the new article', async () => (await ask(port, '/Oeko/!p4611')).includes(line('Nachzügler: Er kommt später', '/Klima/!6100009')), 50);
  });

  /**
   * Write the article up to `cutAt` (it looks cut off): for 2 s (well past the 200 ms settle time) it
   * is in no menu, search or selector. Then write the rest: it is listed within a few seconds, whole.
   */
  const cutOff = async (rel: string, title: string, word: string, whole: string, cutAt: number): Promise<void> => {
    expect(cutAt).toBeGreaterThan(0);
    const file = path.join(content, rel);
    const selector = `/${rel.replace(/\.txt$/, '')}`;
    writeFileSync(file, whole.slice(0, cutAt));
    const until = Date.now() + 2000;
    for (let i = 0; i < 100 && Date.now() < until; i++) {
      expect(await ask(port, '/'), `front page, ${i}`).not.toContain(title);
      expect(await ask(port, '/all/'), `all, ${i}`).not.toContain(title);
      expect((await search(port, word)).count).toBe(`0 articles found for: ${word}`);
      expect(await ask(port, selector)).toMatch(/^3/);
      await sleep(100);
    }
    appendFileSync(file, whole.slice(cutAt));
    await within(5000, `${title} listed once complete`, async () =>
      (await ask(port, '/all/')).includes(title) && (await search(port, word)).count === `1 article found for: ${word}`, 50);
    expect(await ask(port, '/')).toContain(title);
    expect(trimTrailing(dumpBody(await lynxDump(`gopher://127.0.0.1:${port}/1${selector}`)))).toBe(trimTrailing(readFileSync(file, 'utf8')));
  };

  it('an article whose body cites [3] with no ## LINKS entry 3 is not listed until the entry arrives', async () => {
    const title = 'Abgeschnitten: Drei Links, zwei geschrieben';
    const whole = articleText({
      title,
      date: '2025-04-23',
      body: ['Das Schnittwort steht hier, mit [1][einem Link],', '[2][einem zweiten] und [3][einem dritten].'],
      links: [[1, '/Klima/!6100001'], [2, '/Energie/!6100003'], [3, '/Politik/!6100002']],
      tags: ['Klima'],
    });
    await cutOff('Klima/!6100010.txt', title, 'Schnittwort', whole, whole.indexOf(' (DIR) [3] '));
  });

  it('an article without its closing date line is not listed until the date line arrives', async () => {
    const title = 'Ohne Datum: Der Rest folgt';
    const whole = articleText({ title, date: '2025-04-24', body: ['Das Datumwort steht im Text.', 'Der Schluss kommt gleich.'], tags: ['Klima'] });
    await cutOff('Klima/!6100011.txt', title, 'Datumwort', whole, whole.indexOf('       24 Apr 2025'));
  });
});
