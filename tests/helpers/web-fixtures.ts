import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { REPO } from './gopher.js';

export const IMPORT_FIXTURES = path.join(REPO, 'tests/fixtures/import');

/** A fixture file with `{{BASE}}` replaced by the server's address (the port is ephemeral). */
export function fixture(name: string, base: string): Buffer {
  const bytes = readFileSync(path.join(IMPORT_FIXTURES, name));
  return name.endsWith('.html') && name.startsWith('cp1252') ? bytes : Buffer.from(bytes.toString('utf8').replaceAll('{{BASE}}', base), 'utf8');
}

interface Route {
  status: number;
  type?: string;
  body?: Buffer;
  location?: string;
  /** send the headers and a first chunk, then nothing more until the client gives up */
  stall?: boolean;
}

/** One request as the server saw it: what a test checks politeness and conditional GETs against. */
export interface Hit {
  readonly path: string;
  readonly status: number;
  readonly conditional: boolean;
  readonly at: number;
}

export interface WebFixtures {
  readonly base: string;
  readonly hits: Hit[];
  /** put or replace a page, as a site editing an article */
  set(p: string, route: Route): void;
  close(): Promise<void>;
}

/**
 * The web as the importer meets it, on 127.0.0.1 and an ephemeral port: feeds and pages shaped like
 * the real ones, with ETag and Last-Modified, and the ways they fail (404, a stalled answer, a broken
 * feed, a redirect loop, an image where a page was expected).
 */
export async function startWebFixtures(): Promise<WebFixtures> {
  const routes = new Map<string, Route>();
  const hits: Hit[] = [];
  const stalled = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const r = routes.get(p) ?? { status: 404, type: 'text/html; charset=utf-8', body: Buffer.from('<!DOCTYPE html><title>Not Found</title><h1>Not Found</h1>') };
    const etag = r.body ? `"${createHash('sha1').update(r.body).digest('hex').slice(0, 16)}"` : undefined;
    const conditional = req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined;
    if (r.status === 200 && etag && req.headers['if-none-match'] === etag) {
      hits.push({ path: p, status: 304, conditional, at: Date.now() });
      res.writeHead(304, { etag }).end();
      return;
    }
    hits.push({ path: p, status: r.status, conditional, at: Date.now() });
    const headers: http.OutgoingHttpHeaders = {};
    if (r.type) headers['content-type'] = r.type;
    if (r.location) headers['location'] = r.location;
    if (etag && r.status === 200) {
      headers['etag'] = etag;
      headers['last-modified'] = 'Fri, 02 May 2025 08:00:00 GMT';
    }
    if (r.stall) {
      res.writeHead(200, headers);
      res.write('<!DOCTYPE html><html><head><title>Slow</title></head><body><p>Loading');
      stalled.add(res);
      // Bounded even if no client ever gives up.
      setTimeout(() => res.end(), 10_000).unref();
      return;
    }
    res.writeHead(r.status, headers).end(r.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const html = 'text/html; charset=utf-8';
  const page = (name: string, type = html): Route => ({ status: 200, type, body: fixture(name, base) });
  routes.set('/taz/Windenergie-auf-See/!6090001/', page('taz-article.html'));
  routes.set('/blog/2025/04/balcony-solar/', page('blog-post.html'));
  routes.set('/blog/feed/', page('wordpress.rss', 'application/rss+xml; charset=UTF-8'));
  routes.set('/atom/feed.xml', page('atom.xml', 'application/atom+xml'));
  routes.set('/json/feed.json', page('feed.json', 'application/feed+json'));
  // Windows-1252 bytes; the charset only in the page's <meta> (iso-8859-1, which means Windows-1252).
  routes.set('/cp1252/strompreise.html', page('cp1252-article.html', 'text/html'));
  routes.set('/feeds.opml', page('opml.xml', 'text/x-opml'));
  routes.set('/empty.html', page('no-article.html'));
  routes.set('/broken/feed.xml', { status: 200, type: 'application/rss+xml', body: Buffer.from('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Broken</title><item><title>Cut off') });
  routes.set('/slow.html', { status: 200, type: html, stall: true });
  routes.set('/moved', { status: 301, location: '/taz/Windenergie-auf-See/!6090001/' });
  routes.set('/loop/a', { status: 302, location: '/loop/b' });
  routes.set('/loop/b', { status: 302, location: '/loop/a' });
  routes.set('/server-error', { status: 500, type: 'text/plain', body: Buffer.from('oops') });
  routes.set('/logo.png', { status: 200, type: 'image/png', body: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex') });
  routes.set('/atom/img/beans.jpg', { status: 200, type: 'image/jpeg', body: Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex') });
  return {
    base,
    hits,
    set: (p, route) => routes.set(p, route),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of stalled) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
