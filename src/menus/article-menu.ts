import { itemTypeInfo } from '../protocol/item-type.js';
import { parseGopherUrl } from '../mirror/gopher-url.js';
import type { Article, ItemLine } from '../article/article.js';
import type { ArticleEntry } from '../archive/entry.js';
import { placeholderSelector, searchSelector, tagSelector, fileSelector } from '../archive/selectors.js';
import { info, link, type MenuItem } from '../protocol/menu-item.js';
import type { MenuContext } from './context.js';
import { articleItem } from './listing.js';
import { PAGE_SIZE } from './paging.js';

const ARTICLE_PATH = /^\/\S*?(?:!([pt]?\d+))?$/;
const IMAGE_EXTS = ['jpg', 'jpeg', 'png', 'gif', 'webp'];

/** The image stored beside `dir/!123.txt` as `dir/!123.jpg` (first image) or `dir/!123-2.jpg` (second). */
function storedImage(ctx: MenuContext, entry: ArticleEntry | undefined, n: number): string | undefined {
  if (!entry) return undefined;
  const base = entry.relPath.replace(/\.txt$/, '');
  for (const ext of IMAGE_EXTS) {
    for (const name of n === 1 ? [`${base}.${ext}`, `${base}-1.${ext}`] : [`${base}-${n}.${ext}`]) {
      if (ctx.archive.file(name)) return fileSelector(name);
    }
  }
  return undefined;
}

/** A path from an article: to this server when the archive holds the article, else upstream. */
function resolvePath(ctx: MenuContext, itemType: string, display: string, path: string): MenuItem {
  const m = ARTICLE_PATH.exec(path);
  if (m?.[1] !== undefined && ctx.archive.byId(m[1])) return link(itemType, display, path);
  return link(itemType, display, path, ctx.upstream.host, ctx.upstream.port);
}

/**
 * A link written as a URL (`(HTML) [2] https://…`, ` (DIR) [3] gopher://host/1/sel`, as `import` writes
 * them): a web address becomes a `URL:` selector on this server (answered with a redirect page), a gopher
 * URL the item it names.
 */
function urlItem(itemType: string, display: string, path: string): MenuItem | undefined {
  const g = /^gopher:\/\//i.test(path) ? parseGopherUrl(path) : undefined;
  if (g) return link(itemType, display, g.selector, g.host, g.port);
  return itemType === 'h' && /^[a-z][a-z0-9+.-]*:/i.test(path) ? link('h', display, `URL:${path}`) : undefined;
}

function resolveItem(ctx: MenuContext, entry: ArticleEntry | undefined, line: ItemLine): MenuItem {
  const { itemType, display, role } = line;
  switch (role.kind) {
    case 'link':
      return urlItem(itemType, display, role.path) ?? resolvePath(ctx, itemType, display, role.path);
    case 'tag':
      return link(itemType, display, tagSelector(role.name));
    case 'related': {
      const found = ctx.archive.byTitle(role.title)[0];
      return link(itemType, display, found ? found.selector : searchSelector(role.title));
    }
    case 'image':
      return link(itemType, display, storedImage(ctx, entry, role.n) ?? placeholderSelector(itemType));
    case 'plain':
      break;
  }
  if (itemType === '1') {
    const path = display.trim();
    if (ARTICLE_PATH.test(path)) return resolvePath(ctx, itemType, display, path);
    // A section page lists articles by their titles: an archived article of that title is the link.
    const titled = ctx.archive.byTitle(path).find((e) => e.title === path);
    return link('1', display, titled ? titled.selector : searchSelector(display));
  }
  if (itemType === '7') return link('7', display, '/search');
  // Telnet-like items can't be answered by a gopher server; they keep pointing where they came from.
  if ('8T2+'.includes(itemType)) return link(itemType, display, '', ctx.upstream.host, ctx.upstream.port);
  return link(itemType, display, placeholderSelector(itemType));
}

/**
 * An article as a gopher menu: one menu line per file line, so lynx prints the file back.
 * Backlinks, when on, come after the last line so the round trip holds up to there.
 */
export function articleMenu(ctx: MenuContext, article: Article, entry?: ArticleEntry): MenuItem[] {
  const items = article.lines.map((l): MenuItem =>
    l.kind === 'info' ? info(l.text, l.flush) : { ...resolveItem(ctx, entry, l), label: itemTypeInfo(l.itemType).lynxLabel },
  );
  if (ctx.backlinks && entry?.id !== undefined) {
    // Bounded like every generated list: a much-cited article still answers in one small menu.
    const from = ctx.archive.linksTo(entry.id, PAGE_SIZE + 2).filter((e) => e.relPath !== entry.relPath);
    if (from.length > 0) {
      items.push(info(''), info('## BACKLINKS'), info(''));
      for (const e of from.slice(0, PAGE_SIZE)) items.push(...articleItem(e));
      if (from.length > PAGE_SIZE) items.push(info('... and older articles'));
    }
  }
  return items;
}
