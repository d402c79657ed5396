import { info, link, type MenuItem } from '../protocol/menu-item.js';
import type { MenuContext } from './context.js';
import { articleItem, plural } from './listing.js';

export const NEWEST_ON_ROOT = 20;
export const SEARCH_HELP = 'Search the archive (words, "a phrase", tag:Name, 2025-04)';

/** The generated front page: newest articles first, then the ways into the rest of the archive. */
export function rootMenu(ctx: MenuContext, welcome: readonly MenuItem[] = []): MenuItem[] {
  const a = ctx.archive;
  const items: MenuItem[] = [];
  if (welcome.length > 0) items.push(...welcome, info(''));
  else items.push(info(`${ctx.serverName} -- ${plural(a.articleCount)}`), info(''));
  items.push(info('## NEWEST ARTICLES'), info(''));
  for (const e of a.newest(0, NEWEST_ON_ROOT)) items.push(...articleItem(e));
  items.push(
    info(''),
    info('## THE ARCHIVE'),
    info(''),
    link('1', 'Archive by date', '/date/'),
    link('1', `Tags (${a.tagCount})`, '/tags/'),
    link('7', SEARCH_HELP, '/search'),
    link('1', `All articles (${a.articleCount})`, '/all/'),
    link('0', 'All articles as a list (selector, date, title; for mirrors)', '/index.txt'),
    link('1', 'Folders of content/', '/browse/'),
    link('1', 'About this server', '/about'),
  );
  return items;
}
