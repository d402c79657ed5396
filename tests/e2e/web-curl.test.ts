import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { DEFAULTS } from '../../src/config.js';
import { changeForPath } from '../../src/archive/scan.js';
import type { AccessRecord } from '../../src/server/access-log.js';
import { REPO, SEED, curl, gopher, gopherRaw, runCli, startCli, startServer } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';

/** HTTP as curl sees it: the web view's status codes, headers and bytes, on its own port and on the gopher port. */
interface HttpReply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

async function http(url: string, extra: string[] = []): Promise<HttpReply> {
  const r = await curl(['-i', ...extra, url]);
  expect(r.code, r.stderr).toBe(0);
  const sep = r.stdout.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = r.stdout.slice(0, sep).split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines) headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
  return { status: Number(statusLine!.split(' ')[1]), headers, body: r.stdout.slice(sep + 4) };
}

/** The fixture archive plus the web view's Windows-1252 fixture (kept apart so other tests' counts stay put). */
const FIXTURES = tempDir('gopherpress-webcurl-', path.join(REPO, 'tests/fixtures/archive'));
cpSync(path.join(REPO, 'tests/fixtures/web'), FIXTURES, { recursive: true });
const seedText = readFileSync(SEED, 'utf8');

describe('the web view over curl', () => {
  let app: App;
  let web: string;
  const records: AccessRecord[] = [];

  beforeAll(async () => {
    app = await startApp(
      // A copy of content/: a server writes its start-up cache into the folder it serves.
      { ...DEFAULTS, content: tempDir('gopherpress-webcurl-content-', path.join(REPO, 'content')), port: 0, httpPort: 0, bind: '127.0.0.1', hostname: '127.0.0.1', watch: false, limits: { ...DEFAULTS.limits, requestTimeoutMs: 1500 } },
      { access: (r) => records.push(r), info: () => {}, error: () => {} },
    );
    await app.writer?.fullTextReady;
    web = `http://127.0.0.1:${app.httpPort}`;
  });
  afterAll(() => app.close());

  it('answers a menu with a UTF-8 HTML page and its validators', async () => {
    const r = await http(`${web}/`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(r.body));
    expect(r.headers['etag']).toMatch(/^"[\w-]+"$/);
    expect(new Date(r.headers['last-modified']!).getTime()).toBeLessThanOrEqual(Date.now());
    expect(r.headers['cache-control']).toBe('public, max-age=60');
    expect(r.body).toMatch(/^<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">/);
    expect(r.body).toContain(' (DIR) <a href="/1/Friedensverhandlungen-Ukraine/!6084887">26.04.2025 Friedensverhandlungen Ukraine');
  });

  it('takes gopher URL paths percent-encoded or not', async () => {
    const plain = await http(`${web}/1/!6084887`);
    const encoded = await http(`${web}/1/%216084887`);
    expect(plain.status).toBe(200);
    expect(encoded.body).toBe(plain.body);
    expect(encoded.headers['etag']).toBe(plain.headers['etag']);
    expect(plain.body).toContain('<title>Friedensverhandlungen Ukraine: Trump und Selenskyj treffen sich in Rom – taz.de</title>');
  });

  it('sends a text item as text/plain; charset=utf-8: the article file itself', async () => {
    const r = await http(`${web}/0/Friedensverhandlungen-Ukraine/!6084887.txt`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.body).toBe(seedText + '\n');
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const get = await http(`${web}/1/!6084887`);
    const head = await http(`${web}/1/!6084887`, ['-I']);
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(head.headers['etag']).toBe(get.headers['etag']);
    const raw = (await gopherRaw(app.httpPort!, 'HEAD /1/!6084887 HTTP/1.0\r\n\r\n')).toString('latin1');
    expect(raw.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(raw.endsWith('\r\n\r\n')).toBe(true);
  });

  it('revalidates: 304 for a matching ETag or an unchanged date, 200 otherwise', async () => {
    const first = await http(`${web}/1/tags/`);
    const etag = first.headers['etag']!;
    const byTag = await http(`${web}/1/tags/`, ['-H', `If-None-Match: ${etag}`]);
    expect(byTag.status).toBe(304);
    expect(byTag.body).toBe('');
    expect(byTag.headers['etag']).toBe(etag);
    expect((await http(`${web}/1/tags/`, ['-H', `If-None-Match: "other", W/${etag}`])).status).toBe(304);
    expect((await http(`${web}/1/tags/`, ['-H', 'If-None-Match: "other"'])).status).toBe(200);
    expect((await http(`${web}/1/tags/`, ['-H', `If-Modified-Since: ${first.headers['last-modified']}`])).status).toBe(304);
    expect((await http(`${web}/1/tags/`, ['-H', 'If-Modified-Since: Thu, 01 Jan 2015 00:00:00 GMT'])).status).toBe(200);
  });

  it('answers 404 with the gopher error text, 400 for what is no path, 405 with Allow for other methods', async () => {
    const missing = await http(`${web}/1/no/such/thing`);
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(missing.body).toContain('       # Resource not found\n');
    for (const bad of ['/1/%zz', '/1/a%0D%0Ab', '/1/a%09b%09c']) {
      const r = await http(web + bad);
      expect(r.status, bad).toBe(400);
      expect(r.body).toContain('Bad request');
    }
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const r = await http(`${web}/`, ['-X', method]);
      expect(r.status, method).toBe(405);
      expect(r.headers['allow']).toBe('GET, HEAD');
    }
    expect((await http(`${web}/1/${'x'.repeat(9000)}`)).status).toBe(414);
  });

  it('searches with ?q= and with the RFC 4266 %09', async () => {
    for (const url of [`${web}/7/search?q=Selenskyj+Rom`, `${web}/7/search%09Selenskyj%20Rom`]) {
      const r = await http(url);
      expect(r.status).toBe(200);
      expect(r.body).toContain('       1 article found for: Selenskyj Rom\n');
    }
  });

  it('serves the feed as Atom', async () => {
    const r = await http(`${web}/feed.xml`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(r.body).toContain(`<id>gopher://127.0.0.1:${app.port}/1/Friedensverhandlungen-Ukraine/!6084887</id>`);
  });

  it('serves the web view on the gopher port too, and gopher still works there', async () => {
    const onGopherPort = await http(`http://127.0.0.1:${app.port}/1/!6084887`);
    expect(onGopherPort.status).toBe(200);
    expect(onGopherPort.body).toBe((await http(`${web}/1/!6084887`)).body);
    // Keep-alive over the handed-over socket: two pages, one connection.
    const two = await curl(['-o', '/dev/null', '-o', '/dev/null', '-w', '%{http_code} %{num_connects}\n', `http://127.0.0.1:${app.port}/`, `http://127.0.0.1:${app.port}/1/tags/`]);
    expect(two.stdout).toBe('200 1\n200 0\n');
    const r = await curl([`gopher://127.0.0.1:${app.port}/0/!6084887.txt`]);
    expect(r.stdout).toBe(seedText + '\n');
  });

  it('drops a request that takes longer than the gopher side allows, on either port', async () => {
    for (const port of [app.httpPort!, app.port]) {
      const started = Date.now();
      const raw = (await gopherRaw(port, 'GET / HTTP/1.1\r\n', 10_000)).toString('latin1');
      expect(raw, `port ${port}`).toMatch(/^HTTP\/1\.1 408 /);
      expect(Date.now() - started).toBeLessThan(8000);
    }
  });

  it('logs one line per HTTP request, marked http', async () => {
    const before = records.length;
    await http(`${web}/1/!6084887`);
    await http(`${web}/1/no/such/thing`);
    const mine = records.slice(before);
    expect(mine.map((r) => [r.proto, r.selector, r.itemType, r.status])).toEqual([
      ['http', '/1/!6084887', '1', '200'],
      ['http', '/1/no/such/thing', '3', '404'],
    ]);
    expect(mine[0]!.bytes).toBeGreaterThan(10_000);
  });
});

describe('the web view of the fixtures', () => {
  let app: App;
  let web: string;
  beforeAll(async () => {
    app = await startServer(FIXTURES, { httpPort: 0, charset: 'iso-8859-1' });
    web = `http://127.0.0.1:${app.httpPort}`;
  });
  afterAll(() => app.close());

  it('streams a stored image with its type and length', async () => {
    const page = await http(`${web}/1/Energiewende-Kurz/!1000001`);
    const href = /\(IMG\) <a href="([^"]+)">Bild: Windr/.exec(page.body)![1]!;
    expect(href).toBe('/I/Energiewende-Kurz/!1000001.gif');
    const dir = tempDir();
    const out = path.join(dir, 'img');
    const r = await curl(['-D', path.join(dir, 'headers'), '-o', out, web + href]);
    expect(r.code).toBe(0);
    const headers = readFileSync(path.join(dir, 'headers'), 'latin1');
    expect(headers).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(headers).toContain('Content-Type: image/gif\r\n');
    const gif = readFileSync(path.join(FIXTURES, 'Energiewende-Kurz/!1000001.gif'));
    expect(headers).toContain(`Content-Length: ${gif.length}\r\n`);
    expect(readFileSync(out).equals(gif)).toBe(true);
  });

  it('writes UTF-8 whatever --charset the gopher side uses', async () => {
    const r = await curl([`${web}/1/2025/05/01/!1000002`]);
    expect(r.stdout).toContain('       Ökonominnen und Ökonomen sind überrascht – manche sagen „endlich“.');
    const latin1 = await gopherRaw(app.port, '/2025/05/01/!1000002\r\n');
    expect(latin1.includes(Buffer.from('Ökonominnen', 'latin1'))).toBe(true);
  });

  it('gives a Windows-1252 article back as UTF-8 text, bare blank lines and trailing blanks kept', async () => {
    const r = await curl([`${web}/0/cp1252/!1000003.txt`]);
    const file = readFileSync(path.join(FIXTURES, 'cp1252/!1000003.txt'), 'latin1');
    expect(r.stdout.split('\n').length).toBe(file.split('\r\n').length);
    expect(r.stdout).toContain('„Suedlink“ kostet mehr – 10 Mrd. €\n\n       > Der Netzbetreiber');
    expect(r.stdout).toContain('drei Leerzeichen.   \n   \n       Eine Zeile mit Tab\tund Ende.\n');
  });

  it('escapes HTML in article text', async () => {
    const r = await curl([`${web}/1/notes/notizen`]);
    expect(r.stdout).toContain('       &#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#60;/pre&#62; bleiben Text.\n');
    expect(r.stdout.match(/<\/pre>/g)).toHaveLength(1);
  });
});

describe('the web view after an article changes', () => {
  it('never revalidates a changed article as unchanged', async () => {
    const content = tempDir('gopherpress-change-', FIXTURES);
    const app = await startServer(content, { httpPort: 0 });
    try {
      const url = `http://127.0.0.1:${app.httpPort}/1/2025/05/01/!1000002`;
      const before = await http(url);
      const revalidate = (): Promise<HttpReply> => http(url, ['-H', `If-None-Match: ${before.headers['etag']}`]);
      expect((await revalidate()).status).toBe(304);
      const rel = '2025/05/01/!1000002.txt';
      writeFileSync(path.join(content, rel), readFileSync(path.join(content, rel), 'utf8').replace('gewinnt an Fahrt', 'gewinnt weiter an Fahrt'));
      // Until the archive has taken the change in, the file counts as being written: 503, not cached.
      const settling = await revalidate();
      expect(settling.status).toBe(503);
      expect(settling.headers['retry-after']).toBe('5');
      expect(settling.headers['cache-control']).toBe('no-store');
      // What the content watcher does on a change (this branch has no watcher of its own).
      app.archive.apply([await changeForPath(content, rel, [])]);
      const after = await revalidate();
      expect(after.status).toBe(200);
      expect(after.body).toContain('gewinnt weiter an Fahrt');
      expect(after.headers['etag']).not.toBe(before.headers['etag']);
    } finally {
      await app.close();
    }
  });
});

describe('the web view switches', () => {
  it('--no-http: the gopher port does not answer HTTP with the web view', async () => {
    const app = await startServer(FIXTURES, { http: false });
    try {
      const raw = (await gopherRaw(app.port, 'GET / HTTP/1.0\r\n\r\n')).toString('utf8');
      expect(raw).not.toContain('<pre>');
      expect(await gopher(app.port, '/tags/')).toContain('Tags -- ');
    } finally {
      await app.close();
    }
  });

  it('--http-port starts a web listener from the command line; a bad port is a usage error', async () => {
    const cli = await startCli(['serve', '--content', FIXTURES, '--port', '0', '--http-port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--no-watch']);
    try {
      let port: string | undefined;
      for (let i = 0; i < 100 && port === undefined; i++) {
        port = /web view on http:\/\/127\.0\.0\.1:(\d+)\//.exec(cli.output.join(''))?.[1];
        if (port === undefined) await new Promise((r) => setTimeout(r, 50));
      }
      expect(port).toBeDefined();
      const r = await http(`http://127.0.0.1:${port}/1/tags/`);
      expect(r.status).toBe(200);
      const logLine = / http "\/1\/tags\/" 1 \d+ [\d.]+ms 200\n/;
      for (let i = 0; i < 100 && !logLine.test(cli.output.join('')); i++) await new Promise((r) => setTimeout(r, 50));
      expect(cli.output.join('')).toMatch(logLine);
    } finally {
      await cli.stop();
    }
    const bad = await runCli(['serve', '--http-port', 'eighty']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--http-port');
  });
});

describe("the web view's access log", () => {
  const dir = tempDir('gopherpress-weblog-');

  it('names each request by the path the browser sent, one line per request, on the gopher port and its own', async () => {
    const logFile = path.join(dir, 'access.log');
    const cli = await startCli(['serve', '--content', path.join(REPO, 'content'), '--port', '0', '--http-port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--no-watch', '--workers', '1', '--log-file', logFile]);
    try {
      let webPort: string | undefined;
      for (let i = 0; i < 100 && webPort === undefined; i++) {
        webPort = /web view on http:\/\/127\.0\.0\.1:(\d+)\//.exec(cli.output.join(''))?.[1];
        if (webPort === undefined) await new Promise((r) => setTimeout(r, 50));
      }
      for (const port of [cli.port, Number(webPort)]) {
        await curl(['-o', '/dev/null', `http://127.0.0.1:${port}/Friedensverhandlungen-Ukraine/!6084887`]);
        await curl(['-o', '/dev/null', `http://127.0.0.1:${port}/favicon.ico`]);
        await curl(['-o', '/dev/null', `http://127.0.0.1:${port}/1/!6084887`]);
      }
      const read = (): string[] => readFileSync(logFile, 'utf8').split('\n').filter((l) => l !== '');
      // Written within a second (the buffered log); wait for six lines, then a moment for a stray seventh.
      for (let i = 0; i < 60 && read().length < 6; i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 1200));
      const lines = read();
      const fields = lines.map((l) => / 127\.0\.0\.1 http ("[^"]*") \S+ \d+ [\d.]+ms (\d{3})$/.exec(l)?.slice(1) ?? [l]);
      expect(fields.map((f) => f[0])).toEqual([
        '"/Friedensverhandlungen-Ukraine/!6084887"', '"/favicon.ico"', '"/1/!6084887"',
        '"/Friedensverhandlungen-Ukraine/!6084887"', '"/favicon.ico"', '"/1/!6084887"',
      ]);
      // A selector as a path is that article, not type F of `riedens…`.
      expect(fields.map((f) => f[1])).toEqual(['200', '404', '200', '200', '404', '200']);
    } finally {
      await cli.stop();
    }
  });
});
