import { compareNewest, type ArticleEntry } from '../archive/entry.js';
import { slugify } from '../archive/selectors.js';
import { parseQuery, isEmptyQuery, type SearchQuery } from '../search/parse-query.js';
import { info, link, type MenuItem } from '../protocol/menu-item.js';
import type { MenuContext } from './context.js';
import { articleItem } from './listing.js';
import { SEARCH_HELP } from './root-menu.js';

export const MAX_RESULTS = 200;

/**
 * Candidates for a query: the index narrows by words (phrase words count as words), tags and dates
 * filter. Phrases are checked against the article text by the caller, which reads files.
 */
export function searchCandidates(ctx: MenuContext, q: SearchQuery): ArticleEntry[] {
  const a = ctx.archive;
  const words = [...q.words, ...q.phrases.flat()];
  let found: ArticleEntry[];
  if (words.length > 0) found = a.search.matchAll(words);
  else if (q.tags.length > 0) found = [...(a.tag(slugify(q.tags[0]!))?.entries ?? [])];
  else found = [...a.newest()];
  for (const t of q.tags) {
    const tag = a.tag(slugify(t));
    found = tag ? found.filter((e) => tag.entries.has(e)) : [];
  }
  if (q.from !== undefined) found = found.filter((e) => e.date >= q.from! && e.date <= q.to!);
  return found.sort(compareNewest);
}

export function searchMenu(query: string, results: readonly ArticleEntry[]): MenuItem[] {
  const q = parseQuery(query);
  if (isEmptyQuery(q)) {
    return [info('Nothing to search for.'), info(''), link('7', SEARCH_HELP, '/search')];
  }
  const items: MenuItem[] = [
    info(`${results.length} article${results.length === 1 ? '' : 's'} found for: ${query}`),
    info(''),
  ];
  for (const e of results.slice(0, MAX_RESULTS)) items.push(...articleItem(e));
  if (results.length > MAX_RESULTS) items.push(info(''), info(`Showing the newest ${MAX_RESULTS}; add words or a date to narrow the search.`));
  items.push(info(''), link('7', 'Search again', '/search'));
  return items;
}

