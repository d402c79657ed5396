import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeText } from '../charset/decode.js';
import { encodeText } from '../charset/encode.js';
import type { Origin } from '../protocol/encode-menu.js';
import { itemTypeOf, type Document } from '../protocol/document.js';
import { FILE_UNAVAILABLE, openRecorded, readRecorded, stillRecorded, type Recorded } from '../respond/open-file.js';
import { route, type RouteContext } from '../route.js';
import { copyRange } from '../server/copy-range.js';
import type { AccessLogger } from '../server/access-log.js';
import { clientOf } from '../server/connection-table.js';
import { feedEntries, renderFeed } from './feed.js';
import { errorPage, FEED_PATH, renderPage } from './page.js';
import { parseWebPath } from './urls.js';

/**
 * The web view's node:http request handler: URL path → gopher request → the same `route` the gopher
 * side uses → one encoder (HTML page, plain text or the stored bytes) → HTTP with validators.
 * Output is UTF-8 whatever `--charset` the gopher side writes.
 */
export interface WebOptions {
  readonly ctx: RouteContext;
  /** this server's gopher host and port, for the feed's gopher:// links */
  readonly origin: Origin;
  readonly log: AccessLogger;
  /** longest request target accepted, as the gopher side's longest request line */
  readonly maxRequestBytes: number;
  readonly onError?: (message: string) => void;
}

/** Fresh for a minute, then revalidated with ETag: a proxy keeps a page until its article changes. */
const CACHE = 'public, max-age=60';
const NO_STORE = 'no-store';
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'";
/** A stored file is the operator's, not ours to vouch for: an .html or .svg in content/ runs no script. */
const FILE_CSP = `sandbox; ${PAGE_CSP}`;
const HTML = 'text/html; charset=utf-8';
/** Text files beyond this are streamed as stored rather than re-encoded to UTF-8 in memory. */
const MAX_TRANSCODE = 8 * 1024 * 1024;

interface WebAnswer {
  readonly status: number;
  readonly type: string;
  readonly body: Buffer | { readonly path: string; readonly recorded: Recorded };
  readonly etag?: string;
  /** ms since the epoch, whole seconds */
  readonly lastModified?: number;
  readonly headers?: Record<string, string>;
}

const etagOf = (body: Buffer): string => `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;

/**
 * Last-Modified of generated pages: the second the handler first saw the archive's generation, strictly
 * increasing per generation, so a client that revalidates by date alone never misses a change.
 */
class GenerationClock {
  private generation = -1;
  private ms = 0;

  at(generation: number, now: number): number {
    if (generation !== this.generation) {
      this.generation = generation;
      this.ms = Math.max(Math.floor(now / 1000) * 1000, this.ms + 1000);
    }
    return this.ms;
  }
}

function page(status: number, html: string, headers?: Record<string, string>): WebAnswer {
  return { status, type: HTML, body: encodeText(html, 'utf-8'), headers };
}

/** A file that is not the version the archive recorded (being written, replaced, gone): "try again", never cached. */
const fileUnavailable = (): WebAnswer => page(503, errorPage(FILE_UNAVAILABLE), { 'Retry-After': '5' });

/** RFC 9110 §13.1.2: weak comparison, a list or `*`. */
function etagMatches(header: string, etag: string): boolean {
  const bare = (t: string): string => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}

function notModified(req: IncomingMessage, r: WebAnswer, now: number): boolean {
  if (r.status !== 200) return false;
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) return r.etag !== undefined && etagMatches(inm, r.etag);
  const ims = Date.parse(req.headers['if-modified-since'] ?? '');
  return r.lastModified !== undefined && r.lastModified <= now && !Number.isNaN(ims) && r.lastModified <= ims;
}

export function createWebHandler(opts: WebOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { ctx } = opts;
  const clock = new GenerationClock();
  let feed: { generation: number; body: Buffer } | undefined;

  /**
   * A stored file, only as the version the archive recorded (as the gopher side): one being written
   * is a 503 to retry, never half a file or one longer than its Content-Length.
   */
  async function fromFile(doc: Extract<Document, { kind: 'file' }>): Promise<WebAnswer> {
    const recorded = { size: doc.size, mtimeMs: doc.mtimeMs };
    const mime = doc.type.mime;
    const lastModified = Math.floor(doc.mtimeMs / 1000) * 1000;
    const headers = { 'Content-Security-Policy': FILE_CSP };
    if (mime.startsWith('text/') && doc.size <= MAX_TRANSCODE) {
      const bytes = await readRecorded(doc.path, recorded);
      if (bytes === undefined) return fileUnavailable();
      const body = Buffer.from(decodeText(bytes), 'utf8');
      return { status: 200, type: `${mime}; charset=utf-8`, body, etag: etagOf(body), lastModified, headers };
    }
    // Checked now, before the headers go out; streamFile checks again as it opens and once it is done.
    const fh = await openRecorded(doc.path, recorded);
    if (fh === undefined) return fileUnavailable();
    await fh.close().catch(() => {});
    const etag = `"${doc.size.toString(16)}-${Math.floor(doc.mtimeMs).toString(16)}"`;
    return { status: 200, type: mime, body: { path: doc.path, recorded }, etag, lastModified, headers };
  }

  async function encode(doc: Document): Promise<WebAnswer> {
    switch (doc.kind) {
      case 'menu':
        // "Try again in a moment" (a file being written) is a 503, never cached.
        return doc.transient ? page(503, renderPage(doc.items), { 'Retry-After': '5' }) : page(200, renderPage(doc.items));
      case 'text':
        return { status: 200, type: 'text/plain; charset=utf-8', body: encodeText(doc.text, 'utf-8') };
      case 'bytes':
        return { status: 200, type: doc.type.mime.startsWith('text/') ? `${doc.type.mime}; charset=utf-8` : doc.type.mime, body: doc.bytes };
      case 'file':
        return fromFile(doc);
      case 'error':
        return page(404, errorPage(doc.message));
    }
  }

  async function feedAnswer(): Promise<WebAnswer> {
    const generation = ctx.archive.generation;
    if (feed?.generation !== generation) {
      const xml = renderFeed({ title: ctx.serverName, origin: opts.origin, version: ctx.version }, await feedEntries(ctx));
      feed = { generation, body: encodeText(xml, 'utf-8') };
    }
    return { status: 200, type: 'application/atom+xml; charset=utf-8', body: feed.body };
  }

  /** What to answer, and the item type of what it is, for the log line. */
  async function answerFor(req: IncomingMessage): Promise<{ answer: WebAnswer; itemType: string }> {
    const url = req.url ?? '';
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return { answer: page(405, errorPage(`Method ${req.method ?? ''} not allowed: this server only reads`), { Allow: 'GET, HEAD' }), itemType: '' };
    }
    if (url.length > opts.maxRequestBytes) return { answer: page(414, errorPage('Request too long')), itemType: '' };
    const qmark = url.indexOf('?');
    const pathname = qmark < 0 ? url : url.slice(0, qmark);
    if (pathname === FEED_PATH) return { answer: await feedAnswer(), itemType: '' };
    const q = qmark < 0 ? undefined : new URLSearchParams(url.slice(qmark + 1)).get('q') ?? undefined;
    const wr = parseWebPath(pathname, q);
    if (!wr) return { answer: page(400, errorPage('Bad request: not a selector or gopher URL path (/<type><selector>)')), itemType: '' };
    const ask = (selector: string): Promise<Document> => route(ctx, wr.query === undefined ? { selector } : { selector, query: wr.query });
    let doc = await ask(wr.selector);
    if (doc.kind === 'error' && wr.asSelector !== undefined) {
      const plain = await ask(wr.asSelector);
      if (plain.kind !== 'error') doc = plain;
    }
    return { answer: await encode(doc), itemType: itemTypeOf(doc) };
  }

  function send(req: IncomingMessage, res: ServerResponse, r: WebAnswer, done: (bytes: number) => void): void {
    const now = Date.now();
    const generated = r.lastModified === undefined && r.status === 200;
    const answer: WebAnswer = generated ? { ...r, etag: r.etag ?? (Buffer.isBuffer(r.body) ? etagOf(r.body) : undefined), lastModified: clock.at(ctx.archive.generation, now) } : r;
    const headers: Record<string, string | number> = {
      'Cache-Control': answer.status === 200 || answer.status === 404 ? CACHE : NO_STORE,
      'X-Content-Type-Options': 'nosniff',
      ...(answer.type === HTML ? { 'Content-Security-Policy': PAGE_CSP } : {}),
      ...answer.headers,
    };
    if (answer.status === 200) {
      if (answer.etag) headers['ETag'] = answer.etag;
      // Never later than the Date header (RFC 9110 §8.8.2.1); the ETag alone validates meanwhile.
      if (answer.lastModified !== undefined && answer.lastModified <= now) headers['Last-Modified'] = new Date(answer.lastModified).toUTCString();
    }
    if (notModified(req, answer, now)) {
      delete headers['Content-Security-Policy'];
      res.writeHead(304, headers).end();
      return done(0);
    }
    const body = answer.body;
    const size = Buffer.isBuffer(body) ? body.length : body.recorded.size;
    res.writeHead(answer.status, { ...headers, 'Content-Type': answer.type, 'Content-Length': size });
    if (req.method === 'HEAD') {
      res.end();
      return done(0);
    }
    if (Buffer.isBuffer(body)) {
      res.end(body);
      return done(size);
    }
    void streamFile(res, body.path, body.recorded).then(done);
  }

  return (req, res) => {
    const started = performance.now();
    // Behind a trusted proxy on the gopher port, the client its PROXY header named.
    const client = clientOf(req.socket) ?? req.socket.remoteAddress ?? '?';
    // The request target as the client sent it (nginx's $request_uri): the path is a gopher URL's only
    // where it starts with an item type, so a selector cut from it would misname the rest.
    const target = req.url ?? '';
    let logged = false;
    const log = (itemType: string, bytes: number): void => {
      if (logged) return;
      logged = true;
      const status = res.writableFinished ? String(res.statusCode) : 'reset';
      opts.log({ client, proto: 'http', selector: target, itemType, bytes, ms: performance.now() - started, status });
    };
    answerFor(req)
      .then(({ answer, itemType }) => {
        const done = (bytes: number): void => {
          if (res.writableFinished) return log(itemType, bytes);
          res.once('finish', () => log(itemType, bytes));
          res.once('close', () => log(itemType, bytes));
        };
        send(req, res, answer, done);
      })
      .catch((err: unknown) => {
        // One catch per request, as on the gopher side: a bug is a 500 and a line on stderr, never a crash.
        opts.onError?.(`internal error (http ${target}): ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        if (res.headersSent) return void res.destroy();
        const body = Buffer.from(errorPage('Internal server error'), 'utf8');
        res.writeHead(500, { 'Content-Type': HTML, 'Content-Length': body.length, 'Cache-Control': NO_STORE }).end(body);
        res.once('finish', () => log('3', body.length));
      });
  };
}

/**
 * Stream a stored file with backpressure. One no longer the recorded version as it is opened, or that
 * comes up short, is cut before its Content-Length; one changed during the copy is only seen after it.
 */
async function streamFile(res: ServerResponse, path: string, recorded: Recorded): Promise<number> {
  let sent = -1; // not opened
  let whole = false;
  const fh = await openRecorded(path, recorded);
  if (fh !== undefined) {
    try {
      sent = await copyRange(fh, res, recorded.size);
      whole = sent === recorded.size && (await stillRecorded(fh, recorded));
    } finally {
      await fh.close().catch(() => {});
    }
  }
  if (whole) res.end();
  else res.destroy();
  return Math.max(0, sent);
}
