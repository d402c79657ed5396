import { itemTypeForLabel, itemTypeInfo } from '../protocol/item-type.js';
import { formatGopherUrl, parseGopherUrl } from '../mirror/gopher-url.js';
import type { LinkLine } from './article-file.js';
import type { SiteRule } from './site-rules.js';

/** Schemes a web link may have: what the server's `URL:` redirect page sends a browser to (menus/url-redirect.ts). */
const WEB_SCHEMES = new Set(['http:', 'https:', 'ftp:', 'gemini:', 'mailto:']);
/** A link's line under `## LINKS` must stay far below lynx's ~1,000 bytes a menu line. */
const MAX_URL = 500;

export interface LinkContext {
  /** the URL relative links are resolved against (the page, or the feed) */
  readonly base: string;
  /** the site rule of the page, if one applies: its article links become archive links */
  readonly rule?: SiteRule;
  /** pages imported into the archive (this run's items and earlier runs'), by URL without its #fragment → selector */
  readonly known: ReadonlyMap<string, string>;
}

/** `href` resolved against `base`; undefined for what is no URL. */
export function resolveUrl(href: string | undefined, base: string): string | undefined {
  if (href === undefined || href.trim() === '') return undefined;
  try {
    return new URL(href.trim(), base).href;
  } catch {
    return undefined;
  }
}

/** A URL without its #fragment, as pages are known by. */
export function pageKey(url: URL | string): string {
  const u = new URL(url);
  u.hash = '';
  return u.href;
}

/**
 * Where a link in an article leads, as its `## LINKS` line (without the number): an article of the
 * archive as a (DIR) selector, a gopher URL as the item it names, a web address as an (HTML) item the
 * server answers with a `URL:` redirect. Undefined when it should not be a link at all: a jump within
 * the page, `javascript:`, a local file, an address too long for a menu line.
 */
export function linkTarget(href: string, ctx: LinkContext): Omit<LinkLine, 'n'> | undefined {
  const resolved = resolveUrl(href, ctx.base);
  if (resolved === undefined) return undefined;
  const url = new URL(resolved);
  if (url.href.length > MAX_URL || /[\s<>"]/.test(url.href)) return undefined;
  if (url.protocol === 'gopher:') {
    const g = parseGopherUrl(url.href);
    if (!g) return undefined;
    // The type whose lynx label reads back as itself (`g` prints as (IMG), which reads back as `I`).
    const itemType = itemTypeForLabel(itemTypeInfo(g.itemType).lynxLabel) ?? '1';
    return { itemType: itemType === 'i' || itemType === '3' ? '1' : itemType, target: formatGopherUrl(g) };
  }
  if (!WEB_SCHEMES.has(url.protocol)) return undefined;
  if (url.protocol.startsWith('http')) {
    const page = new URL(ctx.base);
    if (url.hash !== '' && pageKey(url) === pageKey(page)) return undefined;
    const known = ctx.known.get(pageKey(url));
    if (known !== undefined) return { itemType: '1', target: known };
    const sameSite = url.host === page.host || (ctx.rule?.hosts.includes(url.hostname) ?? false);
    const path = sameSite ? ctx.rule?.articlePath(url) : undefined;
    if (path !== undefined) return { itemType: '1', target: path };
  }
  return { itemType: 'h', target: url.href };
}

/** The links of one article, numbered in the order the text first cites them; one number per target. */
export class LinkTable {
  private readonly byTarget = new Map<string, LinkLine>();

  constructor(private readonly ctx: LinkContext) {}

  /** The reference number for a link, or undefined when it is not one. */
  cite(href: string): number | undefined {
    const t = linkTarget(href, this.ctx);
    if (!t) return undefined;
    const key = `${t.itemType}\t${t.target}`;
    let line = this.byTarget.get(key);
    if (!line) {
      line = { n: this.byTarget.size + 1, ...t };
      this.byTarget.set(key, line);
    }
    return line.n;
  }

  lines(): LinkLine[] {
    return [...this.byTarget.values()];
  }

  /** Resolve a URL (an image's) against the same base; undefined when it is none. */
  resolve(href: string): string | undefined {
    return resolveUrl(href, this.ctx.base);
  }
}
