import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { DEFAULTS } from '../../src/config.js';
import type { AccessRecord } from '../../src/server/access-log.js';
import { REPO, curl, startServer, tempStateDir } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Which page a web path is, over real sockets: a gopher URL's path (`/1/!6084887`, what the web view
 * links) or a selector itself (`/Friedensverhandlungen-Ukraine/!6084887`, what a reader types or
 * copies from gopher), never the first letter of a selector read as an item type.
 */
const content = tempDir('gopherpress-webpaths-', path.join(REPO, 'content'));
// A folder whose name is an item type: `/1/notiz` is both type 1 of `/notiz` and the article `/1/notiz`.
mkdirSync(path.join(content, '1'));
writeFileSync(
  path.join(content, '1/notiz.txt'),
  readFileSync(path.join(content, 'gopherpress/!1.txt'), 'utf8').replace(/^# .*\n/, '# gopherpress -- A folder named 1: Read by its selector\n'),
);

/** Every article of the copy and its selector, written out by hand. */
const ARTICLES: Array<{ selector: string; file: string }> = [
  { selector: '/Friedensverhandlungen-Ukraine/!6084887', file: 'Friedensverhandlungen-Ukraine/!6084887.txt' },
  ...[1, 2, 3, 4, 5, 6, 7].map((n) => ({ selector: `/gopherpress/!${n}`, file: `gopherpress/!${n}.txt` })),
  { selector: '/1/notiz', file: '1/notiz.txt' },
];

function titleOf(file: string): string {
  const [, site, title] = /^# (\S+) -- (.*)\n/.exec(readFileSync(path.join(content, file), 'utf8'))!;
  return `<title>${title} – ${site}</title>`;
}

interface Reply {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

async function get(url: string): Promise<Reply> {
  const r = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: r.status, type: r.headers.get('content-type') ?? '', body: await r.text() };
}

/** Local links and form targets of a page, as a browser resolves them (`&#38;` is `&`); a form gets a query. */
function localLinks(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/ (href|action)="(\/[^"]*)"/g)) {
    const target = m[2]!.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
    out.push(m[1] === 'action' ? `${target}?q=Rom` : target);
  }
  return out;
}

describe('web paths: a selector, or a gopher URL path as the web view links it', () => {
  let app: App;
  let web: string;
  const state = tempStateDir();
  const records: AccessRecord[] = [];
  /** The access log's records for `path`, as the web view wrote them. */
  const logged = (p: string): Array<[string, string, string]> => records.filter((r) => r.selector === p).map((r) => [r.proto, r.itemType, r.status]);

  beforeAll(async () => {
    app = await startApp(
      { ...DEFAULTS, content, port: 0, httpPort: 0, bind: '127.0.0.1', hostname: '127.0.0.1', watch: false, stateDir: state.dir },
      { access: (r) => records.push(r), info: () => {}, error: () => {} },
    );
    await app.writer?.fullTextReady;
    web = `http://127.0.0.1:${app.httpPort}`;
  });
  afterAll(async () => {
    await app.close();
    state.remove();
  });

  it('shows an article at its selector as a path, the same page as its link, logged by the path sent', async () => {
    for (const { selector, file } of ARTICLES) {
      const plain = await get(web + selector);
      expect(plain.status, selector).toBe(200);
      expect(plain.type).toBe('text/html; charset=utf-8');
      expect(plain.body, selector).toContain(titleOf(file));
      expect((await get(`${web}/1${selector}`)).body, selector).toBe(plain.body);
    }
    // The bug this replaces: `/Friedens…` read as type F, selector `riedens…`, found only because any slug will do.
    const r = await curl(['-s', '-o', '/dev/null', '-w', '%{http_code}', `http://127.0.0.1:${app.port}/Friedensverhandlungen-Ukraine/!6084887`]);
    expect(r.stdout).toBe('200');
    expect(logged('/Friedensverhandlungen-Ukraine/!6084887')).toEqual([['http', '1', '200'], ['http', '1', '200']]);
    expect(logged('/gopherpress/!3')).toEqual([['http', '1', '200']]);
    expect(logged('/1/notiz')).toEqual([['http', '1', '200']]);
  });

  it('reads the server\'s own selectors as paths too: about, tags, dates, every article, a search', async () => {
    for (const [plain, linked] of [
      ['/about', '/1/about'],
      ['/tags/', '/1/tags/'],
      ['/date/', '/1/date/'],
      ['/all/', '/1/all/'],
      ['/gopherpress/!1.txt', '/0/gopherpress/!1.txt'],
      ['/search?q=Selenskyj+Rom', '/7/search?q=Selenskyj+Rom'],
    ] as const) {
      const a = await get(web + plain);
      expect(a.status, plain).toBe(200);
      expect(a.body, plain).toBe((await get(web + linked)).body);
    }
    expect((await get(`${web}/gopherpress/!1.txt`)).body).toBe(readFileSync(path.join(content, 'gopherpress/!1.txt'), 'utf8'));
  });

  it('answers /favicon.ico and a path that names nothing with a 404 page', async () => {
    const paths = ['/favicon.ico', '/xyz', '/x', '/no/such/thing', '/1/no/such/thing', '/gopherpress/!999', '/Friedensverhandlungen-Ukraine/!6084887/more'];
    for (const p of paths) {
      const r = await curl(['-s', '-i', `${web}${p}`]);
      const [head, body] = r.stdout.split('\r\n\r\n');
      expect(head, p).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
      expect(head).toContain('Content-Type: text/html; charset=utf-8\r\n');
      expect(head).toContain(`Content-Length: ${Buffer.byteLength(body!)}\r\n`);
      expect(body, p).toContain('<title>Resource not found</title>');
      expect(body).toContain('       # Resource not found\n');
      expect(logged(p), p).toEqual([['http', '3', '404']]);
    }
  });

  it('resolves every link the web view emits, two clicks deep from the front page', async () => {
    const seen = new Map<string, number>();
    let frontier = ['/'];
    for (let depth = 0; depth <= 2 && frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const link of frontier) {
        if (seen.has(link) || seen.size >= 200) continue;
        const r = await get(web + link);
        seen.set(link, r.status);
        if (r.type.startsWith('text/html')) next.push(...localLinks(r.body));
      }
      frontier = next;
    }
    const failed = [...seen].filter(([, status]) => status !== 200);
    expect(failed).toEqual([]);
    // The walk reached articles, tags, the search form and the feed, not only the front page.
    expect(seen.size).toBeGreaterThan(40);
    for (const must of ['/1/Friedensverhandlungen-Ukraine/!6084887', '/1/1/notiz', '/1/tag/Donald-Trump', '/7/search?q=Rom', '/feed.xml', '/0/index.txt']) {
      expect(seen.get(must), must).toBe(200);
    }
  });
});

describe('the page a browser gets on the gopher port without the web view', () => {
  let app: App;
  beforeAll(async () => {
    app = await startServer(content, { http: false });
  });
  afterAll(() => app.close());

  it('links the gopher URL of the path, whether the path is a gopher URL\'s or a selector', async () => {
    const gopherUrl = async (p: string): Promise<string> => {
      const r = await curl(['-s', `http://127.0.0.1:${app.port}${p}`]);
      return /<code>lynx (\S+)<\/code>/.exec(r.stdout)?.[1] ?? r.stdout;
    };
    const base = `gopher://127.0.0.1:${app.port}`;
    expect(await gopherUrl('/1/!6084887')).toBe(`${base}/1/!6084887`);
    expect(await gopherUrl('/0/gopherpress/!1.txt')).toBe(`${base}/0/gopherpress/!1.txt`);
    expect(await gopherUrl('/Friedensverhandlungen-Ukraine/!6084887')).toBe(`${base}/1/Friedensverhandlungen-Ukraine/!6084887`);
    expect(await gopherUrl('/')).toBe(`${base}/1`);
  });
});
