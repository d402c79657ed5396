import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { CLI, dumpBody, gopher, gopherRaw, lynxDump, menuLines, runCli, startServer, trimTrailing } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import { within } from '../helpers/wait.js';
import { IMPORT_FIXTURES, fixture, startWebFixtures, type WebFixtures } from '../helpers/web-fixtures.js';

/**
 * `gopherpress import` as a user runs it (the built CLI) against a local web server of realistic feeds
 * and pages, into a content/ folder a running server watches: what it writes, what it says, what lynx
 * then prints, and what a second run does (nothing).
 */
const TAZ = '/taz/Windenergie-auf-See/!6090001/';
const read = (name: string): string => readFileSync(path.join(IMPORT_FIXTURES, name), 'utf8');
const SUMMARY = /^imported: (\d+) new, (\d+) changed, (\d+) unchanged, (\d+) failed \(\d+ in [\d.]+ s\)$/m;
const counts = (stdout: string): number[] => SUMMARY.exec(stdout)?.slice(1).map(Number) ?? [];

/** Every article file under `dir` (relative paths, sorted), hidden files left out. */
const articles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.txt') && !f.split('/').some((s) => s.startsWith('.'))).sort();

describe('gopherpress import', () => {
  let web: WebFixtures;
  let app: App;
  const content = tempDir('gp-import-');
  const opml = path.join(tempDir('gp-import-opml-'), 'feeds.opml');
  const imp = (args: string[], dir = content) => runCli(['import', ...args, '--content', dir, '--delay', '0'], 25_000);
  const served = async (selector: string): Promise<string> => trimTrailing(dumpBody(await lynxDump(`gopher://127.0.0.1:${app.port}/1${selector}`)));

  beforeAll(async () => {
    web = await startWebFixtures();
    writeFileSync(opml, fixture('opml.xml', web.base));
    app = await startServer(content, { watch: true });
  });
  afterAll(async () => {
    await app.close();
    await web.close();
  });

  it('imports a taz-like page by its rule into the seed layout, served within a second and printed back by lynx', async () => {
    const r = await imp([web.base + TAZ]);
    const done = performance.now();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('extracted: 1 by rule taz.de\n');
    expect(counts(r.stdout)).toEqual([1, 0, 0, 0]);
    const file = readFileSync(path.join(content, 'taz.de', '!6090001.txt'), 'utf8');
    expect(file).toBe(read('taz-article.txt'));
    await within(1000, 'the article on the front page', async () => (await gopher(app.port, '/')).includes('Windenergie auf See: Netzbetreiber bremsen den Ausbau'));
    expect(performance.now() - done).toBeLessThan(1000);
    expect(await served('/taz.de/!6090001')).toBe(trimTrailing(file));
    const menu = menuLines(await gopher(app.port, '/taz.de/!6090001'));
    const url = 'https://www.bundesnetzagentur.de/DE/Fachthemen/ElektrizitaetundGas/Offshore/start.html';
    expect(menu).toContainEqual([`h[2] ${url}`, `URL:${url}`, '127.0.0.1', String(app.port)]);
    expect(menu).toContainEqual(['1[1] /Offshore-Ausbau-in-der-Nordsee/!6080807', '/Offshore-Ausbau-in-der-Nordsee/!6080807', 'taz.de', '70']);
    expect((await gopher(app.port, `URL:${url}`))).toContain(`<a href="${url}">`);
  });

  it('imports the feeds of an OPML list (WordPress RSS, Atom, JSON Feed): every article round-trips through lynx', async () => {
    const r = await imp(['--opml', opml, '--verbose']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(counts(r.stdout)).toEqual([6, 0, 0, 0]);
    expect(r.stdout).toMatch(/^extracted: .*\b1 by readability\b/m);
    expect(r.stdout).toMatch(/^extracted: .*\b5 by content:encoded\b/m);
    // The post whose page is gone comes from the feed's content:encoded, and says so.
    expect(r.stdout).toMatch(/^new {7}127\.0\.0\.1_\d+\/!\d{15}\.txt http:\/\/127\.0\.0\.1:\d+\/blog\/2025\/03\/meter-reading\/ \(content:encoded\): page: HTTP 404 Not Found$/m);
    const folder = `127.0.0.1_${new URL(web.base).port}`;
    const files = articles(content).filter((f) => f.startsWith(folder));
    expect(files).toHaveLength(6);
    for (const f of files) {
      const text = readFileSync(path.join(content, f), 'utf8');
      await within(1000, `${f} served`, async () => !(await gopher(app.port, '/' + f.replace(/\.txt$/, ''))).startsWith('3'));
      expect(await served('/' + f.replace(/\.txt$/, '')), f).toBe(trimTrailing(text));
    }
  });

  it('links imported articles to each other, resolves relative links, keeps each source day and shares tags', async () => {
    const folder = `127.0.0.1_${new URL(web.base).port}`;
    const byTitle = new Map(articles(content).filter((f) => f.startsWith(folder)).map((f) => {
      const text = readFileSync(path.join(content, f), 'utf8');
      return [text.split('\n')[0]!.replace(/^# [^ ]+ -- /, ''), { sel: '/' + f.replace(/\.txt$/, ''), text }];
    }));
    const solar = byTitle.get('Balcony solar, one year on')!;
    const meter = byTitle.get('Reading the meter')!;
    const beans = byTitle.get('Beans & peas in April')!;
    // The blog post links to the meter post, which the same run imported: a local item.
    expect(solar.text).toContain(`\n (DIR) [3] ${meter.sel}\n`);
    expect(menuLines(await gopher(app.port, solar.sel))).toContainEqual(['1[3] ' + meter.sel, meter.sel, '127.0.0.1', String(app.port)]);
    expect(meter.text).toContain(`\n (DIR) [2] ${solar.sel}\n`);
    expect(meter.text).toContain('\n       1. An optical read head with a USB cable\n       2. A small computer that is always on\n');
    // 23:30 at -0200 is the 29th where it was written (the 30th in UTC).
    expect(meter.text).toContain('\n       29 Mar 2025\n');
    expect(beans.text).toContain(`\n(HTML) [1] ${web.base}/plans/2025.html\n(HTML) [2] ${web.base}/atom/posts/last-year.html#sowing\n`);
    expect(beans.text).toContain('\n       30 Apr 2025\n');
    expect(await gopher(app.port, '/tag/Solar')).toContain('Tag: Solar -- 2 articles');
    expect(await gopher(app.port, '/tag/Radio')).toContain('Tag: Radio -- 2 articles');
  });

  it('changes nothing on a second run: every request conditional, answered 304, no file written', async () => {
    const before = new Map(readdirSync(content, { recursive: true, encoding: 'utf8' }).map((f) => [f, statSync(path.join(content, f)).mtimeMs]));
    const from = web.hits.length;
    const r = await imp(['--opml', opml, web.base + TAZ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(counts(r.stdout)).toEqual([0, 0, 7, 0]);
    const hits = web.hits.slice(from);
    expect(hits.map((h) => h.path).sort()).toEqual(['/atom/feed.xml', '/blog/feed/', '/json/feed.json', TAZ]);
    expect(hits.every((h) => h.conditional && h.status === 304)).toBe(true);
    const after = new Map(readdirSync(content, { recursive: true, encoding: 'utf8' }).map((f) => [f, statSync(path.join(content, f)).mtimeMs]));
    expect(after).toEqual(before);
  });

  it('replaces an edited article, and the server shows the new text within a second', async () => {
    web.set(TAZ, { status: 200, type: 'text/html; charset=utf-8', body: Buffer.from(read('taz-article.html').replace('bis zu sechs Jahre', 'bis zu sieben Jahre')) });
    const r = await imp([web.base + TAZ]);
    expect(counts(r.stdout)).toEqual([0, 1, 0, 0]);
    await within(1000, 'the new text served', async () => (await gopher(app.port, '/taz.de/!6090001.txt')).includes('bis zu sieben Jahre'));
    expect(await served('/taz.de/!6090001')).toBe(trimTrailing(readFileSync(path.join(content, 'taz.de', '!6090001.txt'), 'utf8')));
  });

  it('tells each bad input in one line and imports the rest; a Windows-1252 page comes out in UTF-8 with „ “ – € right', async () => {
    const bad: [string, string][] = [
      ['/missing', 'HTTP 404 Not Found'],
      ['/server-error', 'HTTP 500 Internal Server Error'],
      ['/slow.html', 'no complete answer within --timeout 1500 ms'],
      ['/loop/a', `redirect loop: ${web.base}/loop/a → ${web.base}/loop/b → ${web.base}/loop/a`],
      ['/logo.png', 'not an HTML page or a feed (image/png)'],
      ['/empty.html', 'no article found in the page'],
    ];
    const r = await imp([...bad.map(([p]) => web.base + p), `${web.base}/broken/feed.xml`, `${web.base}/cp1252/strompreise.html`, '--timeout', '1500']);
    expect(r.code).toBe(0);
    expect(counts(r.stdout)).toEqual([1, 0, 0, 7]);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(7);
    for (const [p, message] of bad) expect(lines).toContain(`failed    ${web.base}${p}: ${message}`);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^failed {4}${web.base}/broken/feed\\.xml: not a readable feed \\(.+\\)$`)));
    const [file] = articles(content).filter((f) => readFileSync(path.join(content, f), 'utf8').includes('Strom wird billiger'));
    const text = readFileSync(path.join(content, file!), 'utf8');
    expect(text).toContain('       „Das ist ein Anfang – mehr nicht“, sagt eine Sprecherin.');
    expect(text).toContain('rund 125 € weniger');
    expect(text).toContain('\n       14 May 2025\n');
    await within(1000, 'the cp1252 article served', async () => (await gopher(app.port, '/')).includes('Preise: Strom wird billiger'));
    expect(await served('/' + file!.replace(/\.txt$/, ''))).toBe(trimTrailing(text));
    // No temporary file left behind by any of it.
    expect(readdirSync(content, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('exits 1 when every item failed and 2 on a usage error, with one line and no stack trace', async () => {
    const all = await imp([`${web.base}/missing`]);
    expect(all.code).toBe(1);
    expect(counts(all.stdout)).toEqual([0, 0, 0, 1]);
    const big = await imp([`${web.base}/empty.html`, '--max-bytes', '100']);
    expect(big.code).toBe(1);
    expect(big.stderr).toMatch(new RegExp(`^failed {4}${web.base}/empty\\.html: larger than --max-bytes 100( \\(\\d+ bytes\\))?\n$`));
    for (const [args, message] of [
      [[], 'give at least one feed, page or file'],
      [['gopher://example.org/'], 'gopherpress mirror'],
      [['/no/such/feed.xml'], 'no such file, and not an http(s) URL: /no/such/feed.xml'],
      [[web.base + TAZ, '--every', '5x'], 'expected a duration'],
      [[web.base + TAZ, '--concurrency', '0'], 'expected a positive whole number'],
    ] as [string[], string][]) {
      const r = await imp(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });
});

describe('gopherpress import of local files, with --images, --delay and --every, on a terminal', () => {
  let web: WebFixtures;
  const dirs = Object.fromEntries(['file', 'redirect', 'dup', 'images', 'delay', 'tty', 'every'].map((k) => [k, tempDir(`gp-import-${k}-`)]));
  beforeAll(async () => {
    web = await startWebFixtures();
  });
  afterAll(() => web.close());

  it('imports a saved taz.de page from a file as from the web', async () => {
    const content = dirs['file']!;
    const r = await runCli(['import', path.join(IMPORT_FIXTURES, 'taz-article.html'), '--content', content]);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(content, 'taz.de', '!6090001.txt'), 'utf8')).toBe(read('taz-article.txt'));
  });

  it('follows a redirect to the article page', async () => {
    const content = dirs['redirect']!;
    const r = await runCli(['import', `${web.base}/moved`, '--content', content, '--delay', '0']);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(content, 'taz.de', '!6090001.txt'), 'utf8')).toBe(read('taz-article.txt'));
  });

  it('writes no second file for an id already in content/ (a lynx dump of the same article)', async () => {
    const content = dirs['dup']!;
    mkdirSync(path.join(content, 'Windenergie-auf-See'));
    writeFileSync(path.join(content, 'Windenergie-auf-See', '!6090001.txt'), read('taz-article.txt'));
    const r = await runCli(['import', path.join(IMPORT_FIXTURES, 'taz-article.html'), '--content', content, '--verbose']);
    expect(r.code).toBe(0);
    expect(counts(r.stdout)).toEqual([0, 0, 1, 0]);
    expect(r.stdout).toContain('!6090001 is already in the archive as Windenergie-auf-See/!6090001.txt');
    expect(articles(content)).toEqual(['Windenergie-auf-See/!6090001.txt']);
  });

  it('saves a figure beside its article with --images, and the server serves it as the article image', async () => {
    const content = dirs['images']!;
    const r = await runCli(['import', `${web.base}/atom/feed.xml`, '--content', content, '--delay', '0', '--images']);
    expect(r.code).toBe(0);
    const jpg = articles(content).map((f) => path.join(content, f.replace(/\.txt$/, '.jpg'))).filter((f) => existsSync(f));
    expect(jpg).toHaveLength(1);
    const app = await startServer(content);
    try {
      const sel = '/' + path.relative(content, jpg[0]!).replace(/\.jpg$/, '');
      expect(menuLines(await gopher(app.port, sel))).toContainEqual(['ISeedlings after ten days', `${sel}.jpg`, '127.0.0.1', String(app.port)]);
      expect((await gopherRaw(app.port, `${sel}.jpg\r\n`)).equals(readFileSync(jpg[0]!))).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('asks one host one thing at a time, --delay apart', async () => {
    const content = dirs['delay']!;
    const from = web.hits.length;
    const r = await runCli(['import', `${web.base}/json/feed.json`, '--content', content, '--delay', '300', '--concurrency', '4']);
    expect(r.code).toBe(0);
    const at = web.hits.slice(from).map((h) => h.at);
    expect(at).toHaveLength(3); // the feed, then its two items' pages
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(290);
  });

  it('draws a progress bar on a terminal and clears it before the summary line', async () => {
    const content = dirs['tty']!;
    const cmd = `'${process.execPath}' '${CLI}' import '${web.base}/json/feed.json' --content '${content}' --delay 0`;
    const out = await new Promise<string>((resolve, reject) => {
      execFile('script', ['-qec', cmd, '/dev/null'], { timeout: 20_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
    });
    expect(out).toMatch(/\r\x1b\[K\[#{10}-{10}\] 1\/2: 1 new, 0 changed, 0 unchanged, 0 failed/);
    expect(out).toMatch(/\r\x1b\[Kextracted: 2 by content:encoded\r?\nimported: 2 new, 0 changed, 0 unchanged, 0 failed \(2 in [\d.]+ s\)\r?\n$/);
  });

  it('runs again every --every until stopped, the second run finding nothing new; SIGTERM ends it with 0', async () => {
    const content = dirs['every']!;
    const proc = spawn(process.execPath, [CLI, 'import', `${web.base}/json/feed.json`, '--content', content, '--delay', '0', '--every', '1s'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    try {
      await within(15_000, 'two runs', async () => (out.match(/^imported: /gm) ?? []).length >= 2, 100);
      const runs = out.split('\n').filter((l) => l.startsWith('imported: '));
      expect(runs[0]).toMatch(/^imported: 2 new, 0 changed, 0 unchanged, 0 failed/);
      expect(runs[1]).toMatch(/^imported: 0 new, 0 changed, 2 unchanged, 0 failed/);
      proc.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      proc.kill('SIGKILL');
    }
  });
});
