import { VERSION } from '../version.js';

export interface HttpLimits {
  /** the whole exchange, redirects and body included: a server that trickles forever hits it */
  readonly timeoutMs: number;
  /** a body larger than this is refused, so no page can fill the memory or the disk */
  readonly maxBytes: number;
  readonly maxRedirects: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = { timeoutMs: 30_000, maxBytes: 10 * 1024 * 1024, maxRedirects: 5 };

/** What makes a second request conditional (RFC 9110 §13): the server answers 304 when nothing changed. */
export interface Validators {
  readonly etag?: string;
  readonly lastModified?: string;
}

export type HttpResult =
  | { readonly kind: 'ok'; readonly url: string; readonly bytes: Buffer; readonly contentType?: string; readonly validators: Validators }
  | { readonly kind: 'not-modified'; readonly url: string };

/** A failure told in one line: `HTTP 404 Not Found`, `redirect loop: a → b → a`, `no answer within 30000 ms`. */
export class HttpError extends Error {}

const ACCEPT = 'text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8';

function validatorsOf(h: Headers): Validators {
  const etag = h.get('etag') ?? undefined;
  const lastModified = h.get('last-modified') ?? undefined;
  return { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}

async function readCapped(res: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new HttpError(`larger than --max-bytes ${maxBytes} (${declared} bytes)`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  if (!res.body) return Buffer.alloc(0);
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new HttpError(`larger than --max-bytes ${maxBytes}`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks, size);
}

function networkMessage(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `cannot fetch: ${cause.code}`;
  return `cannot fetch: ${cause?.message ?? (err as Error).message}`;
}

/**
 * GET a page or feed: redirects followed up to a limit (a loop told as one), a conditional request when
 * validators are given, the body capped in size and the whole exchange in time. Resolves `not-modified`
 * for a 304; throws HttpError for anything that is not a page.
 */
export async function httpGet(url: string, limits: HttpLimits, validators: Validators = {}, signal?: AbortSignal): Promise<HttpResult> {
  const timer = new AbortController();
  const t = setTimeout(() => timer.abort(), limits.timeoutMs);
  const abort = signal ? AbortSignal.any([signal, timer.signal]) : timer.signal;
  const seen = [url];
  try {
    let current = url;
    for (;;) {
      const headers: Record<string, string> = { 'user-agent': `gopherpress/${VERSION} (import)`, accept: ACCEPT };
      if (validators.etag) headers['if-none-match'] = validators.etag;
      if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
      const res = await fetch(current, { headers, redirect: 'manual', signal: abort });
      if (res.status >= 300 && res.status < 400 && res.status !== 304) {
        await res.body?.cancel();
        const location = res.headers.get('location');
        if (!location) throw new HttpError(`HTTP ${res.status} without a Location`);
        const next = new URL(location, current).href;
        if (seen.includes(next)) throw new HttpError(`redirect loop: ${[...seen.slice(seen.indexOf(next)), next].join(' → ')}`);
        if (seen.length > limits.maxRedirects) throw new HttpError(`more than ${limits.maxRedirects} redirects (last to ${next})`);
        if (!/^https?:$/.test(new URL(next).protocol)) throw new HttpError(`redirect to ${next}, not a web address`);
        seen.push(next);
        current = next;
        continue;
      }
      if (res.status === 304) {
        await res.body?.cancel();
        return { kind: 'not-modified', url: current };
      }
      if (res.status >= 400 || res.status < 200) {
        await res.body?.cancel();
        throw new HttpError(`HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''}`);
      }
      const bytes = await readCapped(res, limits.maxBytes);
      return { kind: 'ok', url: current, bytes, contentType: res.headers.get('content-type') ?? undefined, validators: validatorsOf(res.headers) };
    }
  } catch (err) {
    if (err instanceof HttpError) throw err;
    if (timer.signal.aborted) throw new HttpError(`no complete answer within --timeout ${limits.timeoutMs} ms`);
    if (signal?.aborted) throw new HttpError('interrupted');
    throw new HttpError(networkMessage(err));
  } finally {
    clearTimeout(t);
  }
}
