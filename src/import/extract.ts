import { isProbablyReaderable, Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import type { FeedItem } from './feed.js';
import { resolveUrl } from './links.js';
import { ruleFor, type SiteRule } from './site-rules.js';
import { collapseSpace } from './wrap.js';

/** Which extraction gave the article, in the order they are tried (issue 17): logged per item. */
export type Extraction = `rule ${string}` | 'readability' | 'content:encoded' | 'summary';

/** The article found in a page or a feed item: its DOM for blocks.ts, and what the page says about it. */
export interface Extracted {
  readonly via: Extraction;
  readonly rule?: SiteRule;
  readonly title?: string;
  readonly lead?: string;
  readonly root: Node;
  /** what relative links in `root` are resolved against */
  readonly base: string;
  /** the publication date as the page wrote it */
  readonly date?: string;
  readonly tags: readonly string[];
  /** the page's own address (`<link rel=canonical>`), for a page read from a file */
  readonly canonical?: string;
}

const HIDDEN = '.screen-reader-text, .sr-only, .visually-hidden, [aria-hidden="true"], [hidden]';

const text = (el: Element | null | undefined): string | undefined => {
  const t = collapseSpace(el?.textContent ?? '');
  return t === '' ? undefined : t;
};
const attr = (doc: ParentNode, selector: string, name: string): string | undefined => {
  const v = doc.querySelector(selector)?.getAttribute(name)?.trim();
  return v ? v : undefined;
};

export function parseDocument(html: string): Document {
  return parseHTML(html).document as unknown as Document;
}

/** A fragment of HTML (a feed's `content:encoded`) as a node to lay out. */
export function parseFragment(html: string): Node {
  return parseDocument(`<!DOCTYPE html><html><head></head><body>${html}</body></html>`).body;
}

/** The lead only when it is not the start of the body again (many descriptions are its first sentences). */
function distinctLead(lead: string | undefined, root: Node): string | undefined {
  if (!lead) return undefined;
  // WordPress ends an excerpt in `[…]`: the rest is the article itself.
  const text = collapseSpace(lead).replace(/\s*\[(?:…|\.\.\.)\]$/, '');
  const probe = text.replace(/\s*(?:…|\.\.\.)$/, '').slice(0, 80);
  if (probe === '') return undefined;
  return collapseSpace(root.textContent ?? '').includes(probe) ? undefined : text;
}

interface PageMeta {
  readonly base: string;
  /** the title the page gives itself without its site's name: og:title, else its one headline */
  readonly title?: string;
  readonly date?: string;
  readonly tags: string[];
  readonly description?: string;
  readonly canonical?: string;
}

function pageMeta(doc: Document, url: string): PageMeta {
  const date =
    attr(doc, 'meta[property="article:published_time"]', 'content') ??
    attr(doc, 'meta[itemprop="datePublished"]', 'content') ??
    attr(doc, 'meta[name="date"]', 'content') ??
    attr(doc, 'article time[datetime]', 'datetime') ??
    attr(doc, 'time[datetime]', 'datetime');
  const tags = [
    ...Array.from(doc.querySelectorAll('meta[property="article:tag"]')).map((m) => m.getAttribute('content') ?? ''),
    ...Array.from(doc.querySelectorAll('a[rel~="tag"]')).map((a) => a.textContent ?? ''),
  ].map(collapseSpace).filter((t) => t !== '');
  const description = attr(doc, 'meta[property="og:description"]', 'content') ?? attr(doc, 'meta[name="description"]', 'content');
  const canonical = resolveUrl(attr(doc, 'link[rel="canonical"]', 'href') ?? attr(doc, 'meta[property="og:url"]', 'content'), url);
  // A broken <base> is ignored, as browsers do; a page saved to a file links as it did on the web.
  const base = resolveUrl(attr(doc, 'base[href]', 'href'), url) ?? (url.startsWith('file:') && canonical ? canonical : url);
  const heads = doc.querySelectorAll('h1');
  const h1 = text(doc.querySelector('article h1') ?? (heads.length === 1 ? heads[0] : null));
  const docTitle = text(doc.querySelector('title'));
  const title = attr(doc, 'meta[property="og:title"]', 'content') ?? (h1 && docTitle?.startsWith(h1) ? h1 : undefined);
  return { base, title, date, tags, description, canonical };
}

function byRule(doc: Document, rule: SiteRule | undefined, meta: PageMeta): Extracted | undefined {
  const body = rule ? doc.querySelector(rule.body) : null;
  if (!rule || !body) return undefined;
  const headline = text(body.querySelector(rule.headline) ?? doc.querySelector(rule.headline));
  const kicker = rule.kicker ? text(body.querySelector(rule.kicker) ?? doc.querySelector(rule.kicker)) : undefined;
  const lead = rule.lead ? text(body.querySelector(rule.lead) ?? doc.querySelector(rule.lead)) : undefined;
  for (const sel of rule.drop) for (const el of Array.from(body.querySelectorAll(sel))) el.remove();
  if (collapseSpace(body.textContent ?? '') === '') return undefined;
  const title = headline && kicker ? `${kicker}: ${headline}` : headline ?? kicker;
  return { via: `rule ${rule.name}`, rule, title, lead, root: body, base: meta.base, date: meta.date, tags: meta.tags, canonical: meta.canonical };
}

function byReadability(html: string, meta: PageMeta, rule: SiteRule | undefined): Extracted | undefined {
  // Readability changes the document it reads: it gets a copy of its own.
  const doc = parseDocument(html);
  // What only a screen reader reads (a "Skip to content" link) is not the article's.
  for (const el of Array.from(doc.querySelectorAll(HIDDEN))) el.remove();
  // Firefox's test for "has an article", with lower thresholds than its own: a news item of three short
  // paragraphs is one; a page of links and one-line teasers is not.
  if (!isProbablyReaderable(doc, { minContentLength: 100, minScore: 10 })) return undefined;
  const r = new Readability<Node>(doc, { serializer: (n) => n }).parse();
  if (!r?.content || collapseSpace(r.textContent ?? '') === '') return undefined;
  const title = meta.title ?? (r.title ? collapseSpace(r.title) : undefined);
  return {
    via: 'readability', rule, title, lead: distinctLead(meta.description, r.content), root: r.content, base: meta.base,
    date: meta.date ?? r.publishedTime ?? undefined, tags: meta.tags, canonical: meta.canonical,
  };
}

/**
 * The article in a web page: the site's rule first (site-rules.ts), then Mozilla Readability over
 * linkedom. Undefined when the page has no article in it.
 */
export function extractFromPage(html: string, pageUrl: string): Extracted | undefined {
  const doc = parseDocument(html);
  const meta = pageMeta(doc, pageUrl);
  // A saved copy is known by its canonical address: taz.de's rule applies to taz.de's pages read from a file.
  const rule = ruleFor(new URL(pageUrl), doc) ?? (meta.canonical ? ruleFor(new URL(meta.canonical), doc) : undefined);
  return byRule(doc, rule, meta) ?? byReadability(html, meta, rule);
}

/** The article a feed item carries itself: its full content, else its summary. */
export function extractFromFeed(item: FeedItem): Extracted | undefined {
  const html = item.content ?? item.summary;
  if (html === undefined) return undefined;
  const root = parseFragment(html);
  if (collapseSpace(root.textContent ?? '') === '' && !(root as Element).querySelector?.('img')) return undefined;
  const lead = item.content !== undefined && item.summary !== undefined ? distinctLead(collapseSpace(parseFragment(item.summary).textContent ?? ''), root) : undefined;
  return { via: item.content !== undefined ? 'content:encoded' : 'summary', title: item.title, lead, root, base: item.base, date: item.date, tags: [] };
}
