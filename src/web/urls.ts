import { decodeText } from '../charset/decode.js';
import { isKnownItemType } from '../protocol/item-type.js';
import type { MenuItem } from '../protocol/menu-item.js';

/**
 * The web view's URLs are the paths of gopher URLs (RFC 4266 §2.1): `/<type><selector>`, with an
 * optional `%09<query>`; a search form adds `?q=`. So any gopher URL becomes a web URL by changing
 * scheme, host and port, and `/1/%216084887` is the same page as `/1/!6084887`. A path that is not
 * one (`/Friedensverhandlungen-Ukraine/!6084887`, `/favicon.ico`) is a selector itself.
 */
export interface WebRequest {
  /** the type a gopher URL path names; absent where the path is a selector itself */
  readonly itemType?: string;
  readonly selector: string;
  readonly query?: string;
  /**
   * The path read as a selector, where it also is one (`/1/x` is folder `1` of content/ as well as
   * type 1 of `/x`): asked when the gopher URL's selector names nothing.
   */
  readonly asSelector?: string;
}

/** RFC 3986 pchar minus `%`: what may stay as it is in a path; everything else is percent-encoded. */
const PATH_SAFE = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/;

export function encodeSelector(selector: string): string {
  let out = '';
  for (const ch of selector) {
    if (PATH_SAFE.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/**
 * Percent-decode to bytes, then to text the way the gopher side reads a request (UTF-8, else
 * Windows-1252). Node hands over a raw (unencoded) byte of the request line as one latin1 character.
 */
function percentDecode(s: string): string | undefined {
  if (/%(?![0-9A-Fa-f]{2})/.test(s)) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x100) bytes.push(c);
    else bytes.push(...Buffer.from(String.fromCodePoint(s.codePointAt(i)!), 'utf8'));
    if (c >= 0xd800 && c < 0xdc00) i++;
  }
  return decodeText(Uint8Array.from(bytes));
}

/**
 * `/1/!6084887` → type `1`, selector `/!6084887`; `/` → the root menu; `/7/search%09Rom` and
 * `/7/search?q=Rom` → a search; `/Slug/!6084887` and `/about` → those selectors. A gopher URL path is
 * a known item type followed by nothing, `/`, a TAB or `URL:`: every selector of this server starts
 * with `/` or `URL:` (archive/selectors.ts), so `/Friedensverhandlungen-…` is no type `F`.
 * Undefined for what is no path at all (a 400).
 */
export function parseWebPath(pathname: string, q?: string): WebRequest | undefined {
  if (!pathname.startsWith('/')) return undefined;
  const decoded = percentDecode(pathname.slice(1));
  if (decoded === undefined) return undefined;
  if (decoded === '') return { itemType: '1', selector: '' };
  // CR, LF and NUL never belong in a selector (RFC 1436 §2).
  if (/[\r\n\0]/.test(decoded)) return undefined;
  const itemType = decoded.charAt(0);
  const afterType = decoded.slice(1);
  const typed = isKnownItemType(itemType) && /^(?:$|\/|\t|URL:)/.test(afterType);
  const [selector, query, ...rest] = (typed ? afterType : '/' + decoded).split('\t');
  if (rest.length > 0) return undefined;
  const wanted = q ?? query;
  const asSelector = typed && !afterType.startsWith('URL:') ? ('/' + decoded).split('\t')[0]! : undefined;
  return {
    ...(typed && { itemType }),
    selector: selector!,
    ...(wanted !== undefined && { query: wanted }),
    ...(asSelector !== undefined && { asSelector }),
  };
}

/** `[::1]` for an IPv6 literal, as URLs need it. */
function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Schemes an `h` item's `URL:` selector may lead to; anything else (javascript:, data:) is not linked. */
const SAFE_SCHEME = /^(?:https?|gopher|gophers|ftp|mailto|news|nntp|telnet|irc|ircs):/i;

/**
 * Where a menu item leads in a browser: this server's items to the web view's own URLs, `URL:`
 * items to the address itself, telnet items to `telnet://`, other hosts to `gopher://` URLs.
 * Undefined for lines that lead nowhere (info, error).
 */
export function itemHref(item: MenuItem): string | undefined {
  const t = item.itemType;
  if (t === 'i' || t === '3') return undefined;
  if (t === 'h' && item.selector.startsWith('URL:')) {
    const url = item.selector.slice(4);
    return SAFE_SCHEME.test(url) ? url : undefined;
  }
  if (item.host === undefined) return '/' + t + encodeSelector(item.selector);
  const port = item.port ?? 70;
  if (t === '8' || t === 'T') return `${t === 'T' ? 'tn3270' : 'telnet'}://${urlHost(item.host)}${port === 23 ? '' : ':' + port}/`;
  return `gopher://${urlHost(item.host)}${port === 70 ? '' : ':' + port}/${t}${encodeSelector(item.selector)}`;
}

/** The gopher URL of a selector on this server (the feed links to it beside the web view). */
export function gopherUrl(host: string, port: number, itemType: string, selector: string): string {
  return `gopher://${urlHost(host)}${port === 70 ? '' : ':' + port}/${itemType}${encodeSelector(selector)}`;
}
