import path from 'node:path';
import type { ArticleEntry } from '../archive/entry.js';
import { insideRoot } from '../archive/content-path.js';
import { readArticle } from '../archive/read-article.js';
import type { Origin } from '../protocol/encode-menu.js';
import type { RouteContext } from '../route.js';
import { escapeHtml } from './escape-html.js';
import { encodeSelector, gopherUrl } from './urls.js';

/** An Atom feed (RFC 4287) of the newest articles, at /feed.xml; every page links to it. */

export const FEED_SIZE = 20;

export interface FeedEntry {
  readonly selector: string;
  readonly title: string;
  /** RFC 3339 */
  readonly updated: string;
  readonly teaser: string;
}

export interface FeedMeta {
  readonly title: string;
  readonly origin: Origin;
  readonly version: string;
}

/** XML 1.0 forbids most C0 controls even as references; they are dropped, the rest escaped. */
export function escapeXml(s: string): string {
  return escapeHtml(s.replace(/[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g, ''));
}

/** The date line's day at midnight UTC; an undated article counts from its file's mtime. */
export function entryUpdated(e: ArticleEntry): string {
  return e.date ? `${e.date}T00:00:00Z` : new Date(e.mtimeMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Links are relative to the feed's own URL (RFC 4287 §4.2.7 allows IRI references), so the feed is
 * right behind any proxy, host name or scheme; ids are the gopher URLs, which never move.
 */
export function renderFeed(meta: FeedMeta, entries: readonly FeedEntry[]): string {
  const { host, port } = meta.origin;
  const updated = entries.reduce((max, e) => (e.updated > max ? e.updated : max), '1970-01-01T00:00:00Z');
  const out = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${escapeXml(gopherUrl(host, port, '1', '/'))}</id>`,
    `  <title>${escapeXml(meta.title)}</title>`,
    `  <updated>${updated}</updated>`,
    `  <author><name>${escapeXml(host)}</name></author>`,
    `  <generator version="${escapeXml(meta.version)}">gopherpress</generator>`,
    '  <link rel="self" type="application/atom+xml" href="/feed.xml"/>',
    '  <link rel="alternate" type="text/html" href="/"/>',
  ];
  for (const e of entries) {
    const gopher = gopherUrl(host, port, '1', e.selector);
    out.push(
      '  <entry>',
      `    <id>${escapeXml(gopher)}</id>`,
      `    <title>${escapeXml(e.title)}</title>`,
      `    <updated>${e.updated}</updated>`,
      `    <summary>${escapeXml(e.teaser || e.title)}</summary>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml('/1' + encodeSelector(e.selector))}"/>`,
      `    <link rel="alternate" href="${escapeXml(gopher)}"/>`,
      '  </entry>',
    );
  }
  out.push('</feed>', '');
  return out.join('\n');
}

/** The newest articles with their teasers, read from the files; one that cannot be read is left out. */
export async function feedEntries(ctx: RouteContext, n = FEED_SIZE): Promise<FeedEntry[]> {
  const out: FeedEntry[] = [];
  // Twice as many as needed: a broken or vanished article's place is taken by the next.
  for (const e of ctx.archive.newest(0, 2 * n)) {
    if (out.length >= n) break;
    if (e.broken) continue;
    const abs = path.join(ctx.root, e.relPath);
    if (!insideRoot(ctx.rootReal, abs)) continue;
    try {
      const r = await readArticle(abs, e.relPath);
      out.push({ selector: e.selector, title: e.title, updated: entryUpdated(e), teaser: r.article.teaser });
    } catch {
      // gone or unreadable meanwhile: the next article takes its place
    }
  }
  return out;
}
