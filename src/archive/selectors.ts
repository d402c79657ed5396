import { toAscii } from '../charset/encode.js';

/**
 * The selector scheme in one place. Selectors stay ASCII because lynx garbles others.
 *
 *   /                         root menu
 *   /!<id>, /<Slug>/!<id>     an article stored as `!<id>.txt` anywhere in content/ (any slug is accepted, as on taz.de);
 *                             ids as taz.de writes them: `!6084887`, `!p4611` (section), `!t5008421` (tag page)
 *   /<path>                   any other article: its path inside content/ without `.txt`
 *   <article selector>.txt    the article as plain text (type 0)
 *   /<dir>/                   a folder of content/ as a menu
 *   /<path.ext>               any other file, as stored
 *   /tags/, /tag/<slug>       tag index and tag menus
 *   /date/, /date/YYYY/MM/DD  archive by date
 *   /search  (TAB query)      full-text search; /search/<words> is the same without a TAB
 *   /search/q/<b64>/p2        page 2 of a search, the query as base64url (the one form every client sends unchanged)
 *   /all/                     every article
 *   /about, /caps.txt         server info
 *   /index.txt, /files.txt    plain lists for mirrors: articles newest first; every file of content/
 *   /placeholder/<type>       something valid of that type for items that point nowhere
 */
export const RESERVED_TOP = new Set(['tags', 'tag', 'date', 'search', 'all', 'about', 'caps.txt', 'placeholder', 'index.txt', 'files.txt', 'browse']);

/** `Podcast „Bundestalk“` → `Podcast-Bundestalk`; ASCII letters, digits and single dashes. */
export function slugify(text: string): string {
  return toAscii(text).replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/** A tag as the index keys it: its slug in lower case, so `/tag/energiewende` finds `Energiewende`. */
export function tagSlug(name: string): string {
  return slugify(name).toLowerCase();
}

/** taz.de's ids: digits for an article, `p` + digits for a section page, `t` + digits for a tag page. */
const ID = '[pt]?\\d+';
const ID_SELECTOR = new RegExp(`(?:^|/)!(${ID})(\\.txt)?$`);
const ID_FILE = new RegExp(`(?:^|/)!(${ID})\\.txt$`);

/** The id in `/!123`, `/Slug/!123`, `/a/b/!123.txt`; undefined for other selectors. */
export function idOfSelector(selector: string): { id: string; text: boolean } | undefined {
  const m = ID_SELECTOR.exec(selector);
  return m ? { id: m[1]!, text: m[2] !== undefined } : undefined;
}

/** `Slug/!6084887.txt` → id `6084887`; other names → undefined. */
export function idOfFile(relPath: string): string | undefined {
  const m = ID_FILE.exec(relPath);
  return m ? m[1] : undefined;
}

/**
 * The canonical selector of an article file. An id file in a folder directly under content/ keeps
 * that folder as its slug (taz.de's `/Slug/!id`); deeper (date folders) or at the top it is `/!id`.
 */
export function articleSelector(relPath: string): string {
  const id = idOfFile(relPath);
  if (id !== undefined) {
    const parts = relPath.split('/');
    return parts.length === 2 ? `/${parts[0]}/!${id}` : `/!${id}`;
  }
  return '/' + relPath.replace(/\.txt$/, '');
}

export function textSelector(articleSel: string): string {
  return articleSel + '.txt';
}

export function tagSelector(tag: string): string {
  return `/tag/${slugify(tag) || '-'}`;
}

/** A search as a plain type-1 selector: the words joined by dashes, folded to ASCII. */
export function searchSelector(words: string): string {
  return `/search/${slugify(words)}`;
}

/**
 * A whole query (quotes, `tag:`, dates) inside a type-1 selector, for the pages of a search. base64url
 * because lynx and curl decode `%xx` before sending and other clients don't: only [A-Za-z0-9_-] survives both.
 */
export function searchQuerySelector(query: string): string {
  return `/search/q/${Buffer.from(query, 'utf8').toString('base64url')}/`;
}

/** `q/<b64>/` or `q/<b64>/p3` (the part after `/search/`) → the query; undefined for other forms. */
export function queryOfSearchSelector(rest: string): string | undefined {
  const m = /^q\/([A-Za-z0-9_-]*)\/(?:p\d+)?$/.exec(rest);
  return m ? Buffer.from(m[1]!, 'base64url').toString('utf8') : undefined;
}

export function dirSelector(relDir: string): string {
  return relDir === '' ? '/' : `/${relDir}/`;
}

export function fileSelector(relPath: string): string {
  return '/' + relPath;
}

export function placeholderSelector(itemType: string): string {
  return `/placeholder/${itemType.charCodeAt(0).toString(16)}`;
}
