import { cpSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { launchChromium } from '../helpers/browser.js';
import { REPO, startServer } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The web view's acceptance test, in Debian's real Chromium: the text of an article page's <pre>,
 * as the browser shows it (innerText), stripped at both ends, is the article file byte for byte
 * (decoded; line ends as LF). Then a reader's clicks: root → article, tag page, search form.
 */
const FIXTURES = path.join(REPO, 'tests/fixtures/archive');
const content = tempDir('gopherpress-web-', FIXTURES);
cpSync(path.join(REPO, 'tests/fixtures/web'), content, { recursive: true });
cpSync(path.join(REPO, 'content/Friedensverhandlungen-Ukraine'), path.join(content, 'Friedensverhandlungen-Ukraine'), { recursive: true });

/** The file as a reader expects to see it: Windows-1252 fixtures (named so) decoded as such, CRLF as LF. */
function expectedText(file: string): string {
  const bytes = readFileSync(file);
  const text = file.includes('cp1252') ? iconv.decode(bytes, 'windows-1252') : bytes.toString('utf8');
  return text.replace(/\r\n/g, '\n').replace(/\n$/, '');
}

const shots = tempDir('gopherpress-shot-');

const articles = readdirSync(content, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.txt') && statSync(path.join(content, f)).isFile())
  .map((f) => ({ rel: f.split(path.sep).join('/'), file: path.join(content, f) }));

describe('the web view in Chromium', () => {
  let app: App;
  let browser: BrowserContext;
  let page: Page;
  let base: string;
  const dialogs: string[] = [];

  beforeAll(async () => {
    app = await startServer(content, { httpPort: 0 });
    base = `http://127.0.0.1:${app.httpPort}`;
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const preText = async (): Promise<string> => (await page.locator('pre').innerText()).trim();

  it('has the fixtures it is meant to check', () => {
    expect(articles.map((a) => a.rel).sort()).toEqual([
      '2025/05/01/!1000002.txt',
      'Energiewende-Kurz/!1000001.txt',
      'Friedensverhandlungen-Ukraine/!6084887.txt',
      'cp1252/!1000003.txt',
      'notes/notizen.txt',
    ]);
    const cp = readFileSync(path.join(content, 'cp1252/!1000003.txt'));
    expect(cp.includes('\r\n'), 'CRLF line ends').toBe(true);
    expect(cp.includes(Buffer.from([0x84])), 'a Windows-1252 „').toBe(true);
    // The cases an exact page must keep: bare empty lines, a short blank line, trailing blanks.
    expect(cp.includes(Buffer.from('\r\n\r\n')) && cp.includes(Buffer.from('\r\n   \r\n')) && cp.includes(Buffer.from('   \r\n'))).toBe(true);
  });

  for (const a of articles) {
    it(`shows ${a.rel} as the file, byte for byte`, async () => {
      const res = await page.goto(`${base}/1/${a.rel.replace(/\.txt$/, '')}`);
      expect(res?.status()).toBe(200);
      expect(await page.locator('pre').count()).toBe(1);
      expect(await preText()).toBe(expectedText(a.file));
    });
  }

  it('serves the same page for a percent-encoded and a plain selector', async () => {
    const seed = expectedText(path.join(content, 'Friedensverhandlungen-Ukraine/!6084887.txt'));
    for (const url of ['/1/%216084887', '/1/!6084887', '/1/Any-Slug/%216084887']) {
      await page.goto(base + url);
      expect(await preText(), url).toBe(seed);
    }
    expect(await page.title()).toBe('Friedensverhandlungen Ukraine: Trump und Selenskyj treffen sich in Rom – taz.de');
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
  });

  it('shows <script> and </pre> in an article as text and runs nothing', async () => {
    await page.goto(`${base}/1/notes/notizen`);
    expect(await preText()).toContain('<script>alert("x")</script> & </pre> bleiben Text.');
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('pre').count()).toBe(1);
    expect(dialogs).toEqual([]);
  });

  it('goes from the front page to an article by a click', async () => {
    await page.goto(base + '/');
    await page.getByRole('link', { name: /Friedensverhandlungen Ukraine: Trump und Selenskyj/ }).click();
    await page.waitForURL(`${base}/1/Friedensverhandlungen-Ukraine/!6084887`);
    expect((await preText()).split('\n')[0]).toBe('# taz.de -- Friedensverhandlungen Ukraine: Trump und Selenskyj treffen sich in Rom');
    // The image item leads to a real image.
    const img = await page.request.get(base + (await page.getByRole('link', { name: /^Bild: Bei ihrem letzten Treffen/ }).getAttribute('href'))!);
    expect(img.headers()['content-type']).toMatch(/^image\//);
  });

  it('goes from the front page through the tag index to a tag page, and on to its articles', async () => {
    await page.goto(base + '/');
    await page.getByRole('link', { name: /^Tags \(\d+\)$/ }).click();
    await page.waitForURL(`${base}/1/tags/`);
    await page.getByRole('link', { name: 'Energiewende (3)' }).click();
    await page.waitForURL(`${base}/1/tag/Energiewende`);
    const lines = (await preText()).split('\n');
    expect(lines[0]).toBe('Tag: Energiewende -- 3 articles, newest first');
    expect(lines.filter((l) => l.startsWith(' (DIR) ')).map((l) => l.slice(7))).toEqual([
      '03.05.2025 Energiewende: Wind, Sonne und Streit um Netze',
      '01.05.2025 Windkraft an Land: Mehr Anlagen, weniger Streit',
      '12.03.2025 Stromtrassen: „Suedlink“ kostet mehr – 10 Mrd. €',
    ]);
    await page.getByRole('link', { name: /Stromtrassen/ }).click();
    await page.waitForURL(`${base}/1/cp1252/!1000003`);
    expect(await preText()).toBe(expectedText(path.join(content, 'cp1252/!1000003.txt')));
  });

  it('searches through the form on the front page', async () => {
    await page.goto(base + '/');
    await page.getByRole('searchbox').fill('Selenskyj Rom');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(`${base}/7/search?q=Selenskyj+Rom`);
    const text = await preText();
    expect(text.split('\n')[0]).toBe('1 article found for: Selenskyj Rom');
    await page.getByRole('link', { name: /26\.04\.2025 Friedensverhandlungen/ }).click();
    await page.waitForURL(`${base}/1/Friedensverhandlungen-Ukraine/!6084887`);
    // Enter in the field submits as well, with umlauts sent as UTF-8.
    await page.goto(base + '/');
    await page.getByRole('searchbox').fill('Würzburg');
    await page.getByRole('searchbox').press('Enter');
    await page.waitForURL(/\/7\/search\?q=W%C3%BCrzburg$/);
    expect((await preText()).split('\n')[0]).toBe('1 article found for: Würzburg');
  });

  it('links every page to the Atom feed, which parses as XML and lists the newest article first', async () => {
    await page.goto(base + '/1/tags/');
    expect(await page.locator('link[rel=alternate][type="application/atom+xml"]').getAttribute('href')).toBe('/feed.xml');
    // The pages' CSP forbids scripts to fetch, so the browser's HTTP client fetches and its XML parser parses.
    const res = await page.request.get(base + '/feed.xml');
    expect(res.headers()['content-type']).toBe('application/atom+xml; charset=utf-8');
    const feed = await page.evaluate((xml) => {
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      const ns = 'http://www.w3.org/2005/Atom';
      return {
        error: doc.getElementsByTagName('parsererror').length,
        root: `${doc.documentElement.namespaceURI} ${doc.documentElement.localName}`,
        entries: [...doc.getElementsByTagNameNS(ns, 'entry')].map((e) => ({
          id: e.getElementsByTagNameNS(ns, 'id')[0]?.textContent,
          title: e.getElementsByTagNameNS(ns, 'title')[0]?.textContent,
          updated: e.getElementsByTagNameNS(ns, 'updated')[0]?.textContent,
          summary: e.getElementsByTagNameNS(ns, 'summary')[0]?.textContent,
          links: [...e.getElementsByTagNameNS(ns, 'link')].map((l) => l.getAttribute('href')),
        })),
      };
    }, await res.text());
    expect(feed.error).toBe(0);
    expect(feed.root).toBe('http://www.w3.org/2005/Atom feed');
    expect(feed.entries.map((e) => e.title?.slice(0, 26))).toEqual([
      'Energiewende: Wind, Sonne ',
      'Windkraft an Land: Mehr An',
      'Friedensverhandlungen Ukra',
      'Stromtrassen: „Suedlink“ k',
      'Notizen ohne Nummer',
    ]);
    const first = feed.entries[0]!;
    expect(first.updated).toBe('2025-05-03T00:00:00Z');
    expect(first.summary).toBe('Die Bundesnetzagentur legt Zahlen vor. Über 60 Prozent des Stroms kamen 2024 aus erneuerbaren Quellen – ein Rekord.');
    expect(first.links).toEqual(['/1/Energiewende-Kurz/!1000001', `gopher://127.0.0.1:${app.port}/1/Energiewende-Kurz/!1000001`]);
    expect(first.id).toBe(`gopher://127.0.0.1:${app.port}/1/Energiewende-Kurz/!1000001`);
    // The web link of each entry is a page of the web view.
    expect((await page.goto(base + first.links[0]!))?.status()).toBe(200);
  });

  it('keeps long lines readable on a phone: the <pre> scrolls sideways, the page does not reflow', async () => {
    await page.setViewportSize({ width: 390, height: 760 });
    await page.goto(base + '/1/Friedensverhandlungen-Ukraine/!6084887');
    const m = await page.evaluate(() => {
      const pre = document.querySelector('pre')!;
      return { page: document.documentElement.scrollWidth, view: window.innerWidth, pre: pre.scrollWidth, preBox: pre.clientWidth };
    });
    expect(m.page).toBeLessThanOrEqual(m.view);
    expect(m.pre).toBeGreaterThan(m.preBox);
  });

  it('takes a screenshot of an article page (docs/web-view.png with UPDATE_SCREENSHOT=1)', async () => {
    await page.setViewportSize({ width: 1000, height: 760 });
    await page.goto(base + '/1/Friedensverhandlungen-Ukraine/!6084887');
    const out = process.env.UPDATE_SCREENSHOT === '1' ? path.join(REPO, 'docs/web-view.png') : path.join(shots, 'web-view.png');
    mkdirSync(path.dirname(out), { recursive: true });
    const png = await page.screenshot({ path: out });
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);
  });
});
