import type { ArticleEntry } from '../archive/entry.js';
import { searchQuerySelector } from '../archive/selectors.js';
import { info, link, type MenuItem } from '../protocol/menu-item.js';
import type { MenuContext } from '../menus/context.js';
import { articleItem } from '../menus/listing.js';
import { paginate, PAGE_SIZE } from '../menus/paging.js';
import { SEARCH_HELP } from '../menus/root-menu.js';
import { isEmptyQuery, type SearchQuery } from './parse-query.js';
import { COUNT_LIMIT, search } from './search.js';

/** `12 articles found`, `more than 10,000 articles found`. */
function found(count: number | undefined): string {
  if (count === undefined) return `more than ${COUNT_LIMIT.toLocaleString('en')} articles found`;
  return `${count} article${count === 1 ? '' : 's'} found`;
}

/**
 * Results newest first (or most relevant first), the number of hits on top, paged like every long
 * menu: page 2 is a type-1 item whose selector carries the whole query. Undefined for a page past the end.
 */
export function searchMenu(ctx: MenuContext, input: string, q: SearchQuery, page = 1): MenuItem[] | undefined {
  if (isEmptyQuery(q)) {
    return [info('Nothing to search for.'), info(''), link('7', SEARCH_HELP, '/search')];
  }
  const a = ctx.archive;
  const first = search(a, q, (page - 1) * PAGE_SIZE, PAGE_SIZE);
  const items: MenuItem[] = [info(`${found(first.count)} for: ${input}`)];
  const unindexed = a.unindexedCount;
  if (unindexed > 0) items.push(info(`Full text indexed so far: ${a.articleCount - unindexed} of ${a.articleCount} articles.`));
  items.push(info(''));
  if (first.count === 0) items.push(info('Fewer words, other spellings or no date find more.'));
  // Past COUNT_LIMIT the pages go on as long as there are hits: one more than a page tells.
  const count = first.count ?? (page - 1) * PAGE_SIZE + first.hits.length + (first.hits.length === PAGE_SIZE ? 1 : 0);
  const pages = { count, slice: (offset: number, limit: number): readonly ArticleEntry[] => (offset === (page - 1) * PAGE_SIZE ? first.hits : search(a, q, offset, limit).hits) };
  const body = paginate(pages, page, searchQuerySelector(input), articleItem);
  if (!body) return undefined;
  items.push(...body, info(''));
  if (!q.relevance && q.groups.length > 0 && first.hits.length > 1) items.push(link('1', 'Most relevant first', searchQuerySelector(`${input} sort:relevance`)));
  items.push(link('7', SEARCH_HELP, '/search'));
  return items;
}
