import type { Charset } from './charset/charset.js';
import { encodeText } from './charset/encode.js';
import { renderError, renderMenu, renderPlusDirectory, type Origin } from './protocol/encode-menu.js';
import type { GopherRequest } from './protocol/request.js';
import type { Document } from './protocol/document.js';
import { route, type RouteContext } from './route.js';

/** What the server writes: bytes ready for the wire, or a file to stream. */
export type Answer =
  | { readonly kind: 'bytes'; readonly bytes: Buffer; readonly status: 'ok' | 'transient' | 'error'; readonly itemType?: string }
  | { readonly kind: 'file'; readonly path: string; readonly size: number; readonly mtimeMs?: number; readonly itemType?: string };

/** 32 MB holds ~6,000 rendered articles; with 100,000 in memory it keeps RSS under 400 MB (bench/RESULTS.md) */
export const ANSWER_CACHE_BYTES = 32 * 1024 * 1024;

/**
 * Request lines answered once, most recent last: an answer is remembered only when its line comes
 * again within this many others (as nginx's `proxy_cache_min_uses 2`), so one-off requests (a
 * crawler's walk, 3,000 different searches) neither fill the cache nor push the popular answers out.
 */
const SEEN_ONCE = 8192;

/** A remembered answer; `used` gives it a second chance when the cache is full (the CLOCK policy). */
interface Cached {
  readonly answer: Answer;
  readonly size: number;
  used: boolean;
}

/**
 * request → route → encode → charset, memoised per archive generation: a cached answer is dropped by
 * the first change to the archive, so nothing stale is served and nothing is rendered twice.
 * Answers are keyed by the raw request line, so a repeated request is answered before it is even parsed.
 */
export class Responder {
  private cache = new Map<string, Cached>();
  private cacheBytes = 0;
  private readonly seenOnce = new Set<string>();
  private cacheGeneration = -1;

  constructor(
    readonly ctx: RouteContext,
    readonly origin: Origin,
    readonly charset: Charset,
    private readonly maxCacheBytes = ANSWER_CACHE_BYTES,
  ) {}

  /** The answer already rendered for this request line (its bytes as latin1), if the archive has not changed since. */
  cached(key: string): Answer | undefined {
    const generation = this.ctx.archive.generation;
    if (generation !== this.cacheGeneration) {
      this.cache = new Map();
      this.cacheBytes = 0;
      this.cacheGeneration = generation;
      return undefined;
    }
    const hit = this.cache.get(key);
    if (hit === undefined) return undefined;
    hit.used = true;
    return hit.answer;
  }

  /** Answer a parsed request; `key` (the raw line as latin1) remembers the answer for `cached`. */
  async respond(req: GopherRequest, key?: string): Promise<Answer> {
    const generation = this.ctx.archive.generation;
    const res = await route(this.ctx, req);
    // Gopher+ `$` asks for a menu's attribute blocks (the UMN client's first request).
    const answer = req.gopherPlus?.startsWith('$') && res.kind === 'menu'
      ? { kind: 'bytes' as const, bytes: encodeText(renderPlusDirectory(res.items, this.origin), this.charset), status: res.transient ? 'transient' as const : 'ok' as const }
      : this.encode(res);
    // Only cache what was rendered from the generation it will be served for.
    if (key !== undefined && generation === this.cacheGeneration && this.ctx.archive.generation === generation && answer.kind === 'bytes' && answer.status === 'ok') {
      this.remember(key, answer, answer.bytes.length);
    }
    return answer;
  }

  encode(res: Document): Answer {
    switch (res.kind) {
      case 'menu':
        return { kind: 'bytes', bytes: encodeText(renderMenu(res.items, this.origin), this.charset), status: res.transient ? 'transient' : 'ok', itemType: '1' };
      case 'text':
        return { kind: 'bytes', bytes: encodeText(res.text, this.charset), status: 'ok', itemType: '0' };
      case 'bytes':
        return { kind: 'bytes', bytes: res.bytes, status: 'ok', itemType: res.type.itemType };
      case 'file':
        return { kind: 'file', path: res.path, size: res.size, mtimeMs: res.mtimeMs, itemType: res.type.itemType };
      case 'error':
        return { kind: 'bytes', bytes: encodeText(renderError(res.message, this.origin), this.charset), status: 'error', itemType: '3' };
    }
  }

  private remember(key: string, answer: Answer, size: number): void {
    if (size > this.maxCacheBytes / 16 || this.cache.has(key)) return;
    if (!this.seenOnce.delete(key)) {
      if (this.seenOnce.size === SEEN_ONCE) this.seenOnce.delete(this.seenOnce.values().next().value!);
      this.seenOnce.add(key);
      return;
    }
    this.cache.set(key, { answer, size, used: false });
    this.cacheBytes += size;
    // Oldest first; one used since its last chance moves to the back instead of going.
    for (const [k, v] of this.cache) {
      if (this.cacheBytes <= this.maxCacheBytes) break;
      this.cache.delete(k);
      if (v.used) {
        v.used = false;
        this.cache.set(k, v);
      } else this.cacheBytes -= v.size;
    }
  }
}
