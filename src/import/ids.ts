import { createHash } from 'node:crypto';
import type { SiteRule } from './site-rules.js';

/**
 * Where an imported article lives: `content/<site folder>/!<id>.txt`, served as `/<site folder>/!<id>`.
 * Ids are digits, as the archive's selectors want (archive/selectors.ts), and never change for an item.
 */

/** The site an article is from, as its heading names it: the rule's name, else the host (`www.` dropped, a port kept). */
export function siteName(url: URL, rule?: SiteRule): string {
  if (rule) return rule.name;
  if (url.protocol === 'file:') return 'local';
  return url.host.replace(/^www\./, '');
}

/** The site's folder in content/: its name, ASCII and safe as one path segment (`127.0.0.1:8080` → `127.0.0.1_8080`). */
export function siteFolder(site: string): string {
  const f = site.toLowerCase().replace(/[^a-z0-9.-]+/g, '_').replace(/^[._-]+/, '');
  return f === '' ? 'site' : f;
}

/** Digits from a key: 15 of them, so that ids of one archive of a million items practically never meet. */
export function hashId(key: string): string {
  const n = createHash('sha256').update(key).digest().readUIntBE(0, 6);
  return String(n % 1e15).padStart(15, '1');
}

/**
 * The id of an article: the site's own (taz.de's `!6084887`) where its URL has one, else a hash of the
 * site and the item's guid (a JSON Feed's `"id": "1"` is only unique in its feed), else of its link.
 */
export function articleId(opts: { site: string; url?: string; guid?: string; rule?: SiteRule }): string {
  if (opts.url && opts.rule) {
    const own = opts.rule.id(new URL(opts.url));
    if (own !== undefined) return own;
  }
  return hashId(`${opts.site}\n${opts.guid ?? opts.url ?? ''}`);
}
