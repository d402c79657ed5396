import { dirSelector, fileSelector } from '../archive/selectors.js';
import { fileTypeOf } from '../protocol/file-types.js';
import { info, link, type MenuItem } from '../protocol/menu-item.js';
import type { MenuContext } from './context.js';
import { articleItem } from './listing.js';
import { paginate } from './paging.js';

/** The automatic listing of a content/ folder: folders first, then articles and files, by name. */
export function dirListing(ctx: MenuContext, relDir: string): MenuItem[] {
  return ctx.archive.derived(`dir:${relDir}`, () => {
    const a = ctx.archive;
    const names = [...(a.dir(relDir) ?? [])].sort((x, y) => x.localeCompare(y, 'en'));
    const dirs: MenuItem[] = [];
    const rest: MenuItem[] = [];
    for (const name of names) {
      if (name === 'gophermap') continue;
      const rel = relDir === '' ? name : `${relDir}/${name}`;
      const article = a.byRelPath(rel);
      if (a.isDir(rel)) dirs.push(link('1', `${name}/`, dirSelector(rel)));
      else if (article) rest.push(...articleItem(article));
      else if (a.file(rel)) rest.push(link(fileTypeOf(name).itemType, name, fileSelector(rel)));
    }
    return [...dirs, ...rest];
  });
}

export function dirMenu(ctx: MenuContext, relDir: string, page: number, selectorBase: string): MenuItem[] | undefined {
  const listing = dirListing(ctx, relDir);
  const body = paginate(listing, page, selectorBase, (x) => [x]);
  return body && [info(`Folder /${relDir}`), info(''), ...body];
}
