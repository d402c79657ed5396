import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { decodePage } from './decode-page.js';
import { looksLikeFeed, parseFeedDocument, type FeedDocument } from './feed.js';
import { httpGet, HttpError, type HttpLimits, type HttpResult, type Validators } from './http.js';

/**
 * Fetch what `import` was given, over HTTP or from a local file, and tell what it is: a feed, an
 * OPML list of feeds, or a web page.
 */
export async function loadUrl(url: string, limits: HttpLimits, validators: Validators = {}, signal?: AbortSignal): Promise<HttpResult> {
  if (!url.startsWith('file:')) return httpGet(url, limits, validators, signal);
  const file = fileURLToPath(url);
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new HttpError(`not a file: ${file}`);
    if (s.size > limits.maxBytes) throw new HttpError(`larger than --max-bytes ${limits.maxBytes} (${s.size} bytes)`);
    return { kind: 'ok', url, bytes: await readFile(file), validators: {} };
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

const HTML_TYPES = /^(?:text\/html|application\/xhtml\+xml)$/;
const FEED_TYPES = /^(?:application|text)\/(?:[\w.+-]+\+)?(?:xml|json)$|^application\/(?:rss|atom|rdf)\+xml$|^application\/feed\+json$/;

export type Classified = FeedDocument | { readonly kind: 'page'; readonly html: string };

/**
 * What a fetched document is, by its type and its first bytes: a feed served as text/html is still a
 * feed, a page served as text/plain still a page; an image or a PDF is neither (HttpError).
 */
export function classify(bytes: Buffer, contentType: string | undefined, url: string): Classified {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const text = decodePage(bytes, contentType);
  if (looksLikeFeed(text) || FEED_TYPES.test(type)) return parseFeedDocument(text, url);
  const htmlLike = /^\s*(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b/i.test(text);
  if (HTML_TYPES.test(type) || ((type === '' || type === 'text/plain') && htmlLike)) return { kind: 'page', html: text };
  throw new HttpError(`not an HTML page or a feed (${type || 'unknown type'})`);
}
