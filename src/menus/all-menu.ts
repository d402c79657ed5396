import { info, type MenuItem } from '../protocol/menu-item.js';
import type { MenuContext } from './context.js';
import { articleItem } from './listing.js';
import { paginate } from './paging.js';

/** Every article once, newest first, paged: the crawler's way to reach the whole archive. */
export function allMenu(ctx: MenuContext, page: number): MenuItem[] | undefined {
  const a = ctx.archive;
  const body = paginate({ count: a.articleCount, slice: (offset, limit) => a.newest(offset, limit) }, page, '/all/', articleItem);
  return body && [info(`All articles -- ${a.articleCount}, newest first`), info(''), ...body];
}

/**
 * The machine-friendly list: `selector<TAB>date<TAB>title<TAB>version` a line, newest first. The version
 * (size and mtime) changes whenever the file does, so a mirror fetches only what changed.
 */
export function indexText(ctx: MenuContext): string {
  const a = ctx.archive;
  return a.derived('index.txt', () =>
    a.newest(0, a.articleCount).map((e) => `${e.selector}\t${e.date}\t${e.title.replace(/[\t\r\n]/g, ' ')}\t${versionOf(e.size, e.mtimeMs)}\n`).join(''),
  );
}

/** Size and mtime in base 36: changes whenever the file does, short enough for a list of 100,000. */
export function versionOf(size: number, mtimeMs: number): string {
  return `${size.toString(36)}-${Math.floor(mtimeMs).toString(36)}`;
}
