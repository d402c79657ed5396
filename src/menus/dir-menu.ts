import { dirSelector, fileSelector } from '../archive/selectors.js';
import { fileTypeOf } from '../protocol/file-types.js';
import { info, link, type MenuItem } from '../protocol/menu-item.js';
import type { MenuContext } from './context.js';
import { articleItem } from './listing.js';
import { arrayPages, paginate } from './paging.js';

/** One entry of a folder's automatic listing, with the file name a gophermap's `-name` hides it by. */
export interface ListingEntry {
  readonly name: string;
  readonly kind: 'dir' | 'article' | 'file';
  readonly item: MenuItem;
}

/**
 * The automatic listing of a content/ folder: folders first, then articles and files, by name.
 * Folders and files show their names as Gophernicus does; articles their date and title.
 */
export function dirEntries(ctx: MenuContext, relDir: string): readonly ListingEntry[] {
  return ctx.archive.derived(`dir:${relDir}`, () => {
    const a = ctx.archive;
    const names = [...(a.dir(relDir) ?? [])].sort((x, y) => x.localeCompare(y, 'en'));
    const dirs: ListingEntry[] = [];
    const rest: ListingEntry[] = [];
    for (const name of names) {
      if (name === 'gophermap') continue;
      const rel = relDir === '' ? name : `${relDir}/${name}`;
      const article = a.byRelPath(rel);
      if (a.isDir(rel)) dirs.push({ name, kind: 'dir', item: link('1', name, dirSelector(rel)) });
      else if (article) rest.push({ name, kind: 'article', item: articleItem(article)[0]! });
      else if (a.file(rel)) rest.push({ name, kind: 'file', item: link(fileTypeOf(name).itemType, name, fileSelector(rel)) });
    }
    return [...dirs, ...rest];
  });
}

export function dirListing(ctx: MenuContext, relDir: string): MenuItem[] {
  return dirEntries(ctx, relDir).map((e) => e.item);
}

export function dirMenu(ctx: MenuContext, relDir: string, page: number, selectorBase: string): MenuItem[] | undefined {
  const listing = dirListing(ctx, relDir);
  const body = paginate(arrayPages(listing), page, selectorBase, (x) => [x]);
  return body && [info(`Folder /${relDir}`), info(''), ...body];
}
