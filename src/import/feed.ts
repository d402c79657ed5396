import { parseFeed, parseOpml, type AnyFeed } from 'feedsmith';
import { parseHTML } from 'linkedom';
import { resolveUrl } from './links.js';
import { collapseSpace } from './wrap.js';

/** One item of a feed, whatever its format, with its URLs resolved. */
export interface FeedItem {
  readonly title?: string;
  /** the article page */
  readonly link?: string;
  /** guid (RSS), id (Atom, JSON Feed): what the item stays known by when its link changes */
  readonly guid?: string;
  /** the date as the feed wrote it */
  readonly date?: string;
  readonly categories: readonly string[];
  /** the whole article, as HTML (`content:encoded`, Atom `content`, JSON Feed `content_html`) */
  readonly content?: string;
  /** the summary, as HTML */
  readonly summary?: string;
  /** what relative URLs in `content` and `summary` are resolved against */
  readonly base: string;
}

export type FeedDocument =
  | { readonly kind: 'feed'; readonly format: string; readonly title?: string; readonly items: readonly FeedItem[] }
  | { readonly kind: 'opml'; readonly feeds: readonly string[] };

export class FeedError extends Error {}

interface Outline {
  readonly xmlUrl?: string;
  readonly outlines?: readonly Outline[];
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Text that may hold markup (an Atom `type="html"` title, a title with `<b>`) → plain text. */
export function plainText(html: string | undefined): string | undefined {
  if (html === undefined) return undefined;
  const t = /[<&]/.test(html) ? parseHTML(`<!DOCTYPE html><html><body><div>${html}</div></body></html>`).document.querySelector('div')?.textContent ?? '' : html;
  const s = collapseSpace(t);
  return s === '' ? undefined : s;
}

const nonEmpty = (s: string | undefined): string | undefined => (s !== undefined && s.trim() !== '' ? s : undefined);
const names = (xs: readonly (string | undefined)[] | undefined): string[] => (xs ?? []).map((x) => collapseSpace(x ?? '')).filter((x) => x !== '');

/** Whether text looks like a feed or OPML rather than a web page: worth handing to the parser. */
export function looksLikeFeed(text: string): boolean {
  const head = text.trimStart().slice(0, 2048);
  if (head.startsWith('{')) return /"version"\s*:\s*"https?:\/\/jsonfeed\.org/.test(head);
  return /^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*|<\?xml-stylesheet[^>]*>\s*)*<(?:rss|feed|rdf:RDF|opml)\b/i.test(head);
}

/**
 * A feed (RSS 0.9x/1.0/2.0, Atom, JSON Feed) or an OPML list → items or feed URLs, every URL resolved
 * against `xml:base` and the address the document came from. Throws FeedError for what no parser reads.
 */
export function parseFeedDocument(text: string, url: string): FeedDocument {
  if (/^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<opml\b/i.test(text.trimStart())) {
    let opml: ReturnType<typeof parseOpml>;
    try {
      opml = parseOpml(text);
    } catch (err) {
      throw new FeedError(`not a readable OPML file (${(err as Error).message})`);
    }
    const feeds: string[] = [];
    const walk = (outlines: readonly Outline[] | undefined): void => {
      for (const o of outlines ?? []) {
        const u = resolveUrl(o.xmlUrl, url);
        if (u && !feeds.includes(u)) feeds.push(u);
        walk(o.outlines);
      }
    };
    walk(opml.body?.outlines);
    return { kind: 'opml', feeds };
  }
  let parsed: AnyFeed<string>;
  try {
    parsed = parseFeed<string>(text.trimStart().startsWith('{') ? JSON.parse(text) : text);
  } catch (err) {
    throw new FeedError(`not a readable feed (${(err as Error).message})`);
  }
  switch (parsed.format) {
    case 'rss':
      return { kind: 'feed', format: 'RSS', title: plainText(parsed.feed.title), items: (parsed.feed.items ?? []).map((i) => rssItem(i, url)) };
    case 'rdf':
      return { kind: 'feed', format: 'RDF', title: plainText(parsed.feed.title), items: (parsed.feed.items ?? []).map((i) => rssItem(i, url)) };
    case 'atom': {
      const f = parsed.feed;
      const feedBase = resolveUrl(f.xml?.base, url) ?? url;
      return {
        kind: 'feed', format: 'Atom', title: atomText(f.title),
        items: (f.entries ?? []).map((e) => {
          const base = resolveUrl(e.xml?.base, feedBase) ?? feedBase;
          const alternate = e.links?.find((l) => (l.rel ?? 'alternate') === 'alternate') ?? e.links?.[0];
          return {
            title: atomText(e.title), link: resolveUrl(alternate?.href, base), guid: nonEmpty(e.id),
            date: e.published ?? e.updated, categories: names(e.categories?.map((c) => c.label ?? c.term)),
            content: atomHtml(e.content), summary: atomHtml(e.summary), base,
          };
        }),
      };
    }
    case 'json': {
      const f = parsed.feed;
      return {
        kind: 'feed', format: 'JSON Feed', title: plainText(f.title),
        items: (f.items ?? []).map((i) => ({
          title: plainText(i.title), link: resolveUrl(i.url ?? i.external_url, url), guid: nonEmpty(String(i.id ?? '')),
          date: i.date_published ?? i.date_modified, categories: names(i.tags),
          content: nonEmpty(i.content_html) ?? textAsHtml(i.content_text), summary: textAsHtml(i.summary), base: resolveUrl(i.url, url) ?? url,
        })),
      };
    }
  }
}

/** An RSS 2.0 item or an RSS 1.0 (RDF) one: the same fields, RDF's id its `rdf:about`, its date and tags Dublin Core's. */
interface RssLikeItem {
  readonly title?: string;
  readonly link?: string;
  readonly description?: string;
  readonly guid?: { readonly value?: string };
  readonly rdf?: { readonly about?: string };
  readonly pubDate?: string;
  readonly categories?: readonly { readonly name?: string }[];
  readonly dc?: { readonly dates?: readonly string[]; readonly subjects?: readonly string[] };
  readonly content?: { readonly encoded?: string };
}

function rssItem(i: RssLikeItem, url: string): FeedItem {
  const link = resolveUrl(i.link, url);
  return {
    title: plainText(i.title), link, guid: nonEmpty(i.guid?.value ?? i.rdf?.about),
    date: i.pubDate ?? i.dc?.dates?.[0], categories: [...names(i.categories?.map((c) => c.name)), ...names(i.dc?.subjects)],
    content: nonEmpty(i.content?.encoded), summary: nonEmpty(i.description), base: link ?? url,
  };
}

/** Atom text constructs: `type="html"` and `xhtml` hold markup, `text` (the default) does not (RFC 4287 §3.1). */
function atomText(t: { value?: string; type?: string } | undefined): string | undefined {
  if (!t?.value) return undefined;
  return t.type === 'html' || t.type === 'xhtml' ? plainText(t.value) : plainText(escapeHtml(t.value));
}

function atomHtml(t: { value?: string; type?: string } | undefined): string | undefined {
  if (!t?.value?.trim()) return undefined;
  return t.type === 'html' || t.type === 'xhtml' ? t.value : textAsHtml(t.value);
}

function textAsHtml(text: string | undefined): string | undefined {
  if (!text?.trim()) return undefined;
  return text.split(/\n\s*\n/).map((p) => `<p>${escapeHtml(p)}</p>`).join('');
}
