import { info, type MenuItem } from '../protocol/menu-item.js';
import type { MenuContext } from './context.js';
import { articleItem } from './listing.js';
import { paginate } from './paging.js';

/** Every article once, newest first, paged: the crawler's way to reach the whole archive. */
export function allMenu(ctx: MenuContext, page: number): MenuItem[] | undefined {
  const all = ctx.archive.newest();
  const body = paginate(all, page, '/all/', articleItem);
  return body && [info(`All articles -- ${all.length}, newest first`), info(''), ...body];
}

/**
 * The machine-friendly list: `selector<TAB>date<TAB>title<TAB>version` a line, newest first. The version
 * (size and mtime) changes whenever the file does, so a mirror fetches only what changed.
 */
export function indexText(ctx: MenuContext): string {
  return ctx.archive.derived('index.txt', () =>
    ctx.archive.newest().map((e) => `${e.selector}\t${e.date}\t${e.title.replace(/[\t\r\n]/g, ' ')}\t${versionOf(e.size, e.mtimeMs)}\n`).join(''),
  );
}

/** Size and mtime in base 36: changes whenever the file does, short enough for a list of 100,000. */
export function versionOf(size: number, mtimeMs: number): string {
  return `${size.toString(36)}-${Math.floor(mtimeMs).toString(36)}`;
}
