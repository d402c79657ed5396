import { dirSelector } from '../archive/selectors.js';
import type { LoadedLine } from '../gophermap/load-gophermap.js';
import type { MenuItem } from '../protocol/menu-item.js';
import type { MenuContext } from './context.js';
import { dirEntries } from './dir-menu.js';
import { arrayPages, paginate } from './paging.js';

/**
 * The automatic listing of `relDir` as a gophermap inserts it: without the hidden names, with the
 * map's `:ext=X` types, and only its first page (later pages are `/<folder>/p2`, the generated listing).
 */
function listing(ctx: MenuContext, relDir: string, hidden: ReadonlySet<string>, types: ReadonlyMap<string, string>): MenuItem[] {
  const entries = dirEntries(ctx, relDir).filter((e) => !hidden.has(e.name));
  const items = entries.map((e) => {
    const ext = e.name.includes('.') ? e.name.slice(e.name.lastIndexOf('.') + 1).toLowerCase() : '';
    const t = e.kind === 'file' ? types.get(ext) : undefined;
    return t === undefined ? e.item : { ...e.item, itemType: t };
  });
  return paginate(arrayPages(items), 1, dirSelector(relDir), (x) => [x]) ?? [];
}

/**
 * A folder's menu from its gophermap. `frontPage` is set for content/gophermap, whose lines are the
 * welcome text of the generated front page: there `*` ends the map, since the front page follows anyway.
 */
export function gophermapMenu(ctx: MenuContext, relDir: string, lines: readonly LoadedLine[], frontPage = false): MenuItem[] {
  const items: MenuItem[] = [];
  const hidden = new Set<string>();
  const types = new Map<string, string>();
  for (const line of lines) {
    switch (line.kind) {
      case 'item':
        items.push(line.item);
        break;
      case 'hide':
        hidden.add(line.name);
        break;
      case 'filetype':
        types.set(line.ext, line.itemType);
        break;
      case 'listing-of':
        items.push(...listing(ctx, line.relDir, hidden, types));
        break;
      case 'listing':
        if (!frontPage) items.push(...listing(ctx, relDir, hidden, types));
        return items;
    }
  }
  return items;
}
