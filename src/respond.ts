import { encodeText, type Charset } from './charset/encode.js';
import { renderError, renderMenu, renderPlusDirectory, type Origin } from './protocol/encode-menu.js';
import type { GopherRequest } from './protocol/request.js';
import type { Response } from './protocol/response.js';
import { route, type RouteContext } from './route.js';
import { fileTypeOf } from './protocol/file-types.js';

/** What the server writes: bytes ready for the wire, or a file to stream. */
export type Answer =
  | { readonly kind: 'bytes'; readonly bytes: Buffer; readonly status: 'ok' | 'transient' | 'error'; readonly itemType?: string }
  | { readonly kind: 'file'; readonly path: string; readonly size: number; readonly mtimeMs?: number; readonly itemType?: string };

/** The item type a body is, for the access log (a search result is a menu: `1`). */
function itemTypeOfMime(mime: string): string {
  if (mime === 'image/gif') return 'g';
  if (mime.startsWith('image/')) return 'I';
  if (mime === 'text/html') return 'h';
  return mime.startsWith('text/') ? '0' : '9';
}

/**
 * request → route → encode → charset, memoised per archive generation: a cached answer is dropped by
 * the first change to the archive, so nothing stale is served and nothing is rendered twice.
 */
export class Responder {
  private cache = new Map<string, Answer>();
  private cacheBytes = 0;
  private cacheGeneration = -1;

  constructor(
    readonly ctx: RouteContext,
    readonly origin: Origin,
    readonly charset: Charset,
    private readonly maxCacheBytes = 64 * 1024 * 1024,
  ) {}

  async respond(req: GopherRequest): Promise<Answer> {
    // Gopher+ directory requests are rare (the UMN client's first request): answered uncached.
    if (req.gopherPlus?.startsWith('$')) {
      const res = await route(this.ctx, req);
      if (res.kind !== 'menu') return this.encode(res);
      return { kind: 'bytes', bytes: encodeText(renderPlusDirectory(res.items, this.origin), this.charset), status: res.transient ? 'transient' : 'ok' };
    }
    const key = req.query === undefined ? req.selector : `${req.selector}\t${req.query}`;
    const generation = this.ctx.archive.generation;
    if (generation !== this.cacheGeneration) {
      this.cache = new Map();
      this.cacheBytes = 0;
      this.cacheGeneration = generation;
    }
    const hit = this.cache.get(key);
    if (hit) {
      // Map order is insertion order: re-inserting makes this the most recently used.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const answer = this.encode(await route(this.ctx, req));
    // Only cache what was rendered from the generation it will be served for.
    if (this.ctx.archive.generation === generation && answer.kind === 'bytes' && answer.status === 'ok') {
      this.remember(key, answer, answer.bytes.length);
    }
    return answer;
  }

  encode(res: Response): Answer {
    switch (res.kind) {
      case 'menu':
        return { kind: 'bytes', bytes: encodeText(renderMenu(res.items, this.origin), this.charset), status: res.transient ? 'transient' : 'ok', itemType: '1' };
      case 'text':
        return { kind: 'bytes', bytes: encodeText(res.text, this.charset), status: 'ok', itemType: '0' };
      case 'bytes':
        return { kind: 'bytes', bytes: res.bytes, status: 'ok', itemType: itemTypeOfMime(res.mime) };
      case 'file':
        return { kind: 'file', path: res.path, size: res.size, mtimeMs: res.mtimeMs, itemType: fileTypeOf(res.path).itemType };
      case 'error':
        return { kind: 'bytes', bytes: encodeText(renderError(res.message, this.origin), this.charset), status: 'error', itemType: '3' };
    }
  }

  private remember(key: string, answer: Answer, size: number): void {
    if (size > this.maxCacheBytes / 16) return;
    this.cache.set(key, answer);
    this.cacheBytes += size;
    for (const [k, v] of this.cache) {
      if (this.cacheBytes <= this.maxCacheBytes) break;
      this.cache.delete(k);
      this.cacheBytes -= v.kind === 'bytes' ? v.bytes.length : 0;
    }
  }
}
