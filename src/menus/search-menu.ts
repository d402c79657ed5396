import { sortNewest, type ArticleEntry } from '../archive/entry.js';
import { searchQuerySelector, slugify } from '../archive/selectors.js';
import { isEmptyQuery, type SearchQuery } from '../search/parse-query.js';
import { info, link, type MenuItem } from '../protocol/menu-item.js';
import type { MenuContext } from './context.js';
import { articleItem } from './listing.js';
import { paginate } from './paging.js';
import { SEARCH_HELP } from './root-menu.js';

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
  return sortNewest(found);
}

export interface SearchResult {
  /** the query as the user typed it */
  readonly input: string;
  readonly query: SearchQuery;
  /** every hit, newest first */
  readonly hits: readonly ArticleEntry[];
  /** set when a phrase was checked only in the newest candidates */
  readonly checkedOnly?: number;
}

/**
 * Results newest first, the number of hits on top, paged like every long menu: page 2 is a type-1
 * item whose selector carries the whole query. Undefined for a page past the end.
 */
export function searchMenu(r: SearchResult, page = 1): MenuItem[] | undefined {
  if (isEmptyQuery(r.query)) {
    return [info('Nothing to search for.'), info(''), link('7', SEARCH_HELP, '/search')];
  }
  const n = r.hits.length;
  const items: MenuItem[] = [info(`${n} article${n === 1 ? '' : 's'} found for: ${r.input}`)];
  if (r.checkedOnly !== undefined) items.push(info(`(the phrase was looked for in the newest ${r.checkedOnly} articles with its words)`));
  items.push(info(''));
  if (n === 0) items.push(info('Fewer words, other spellings or no date find more.'));
  const body = paginate(r.hits, page, searchQuerySelector(r.input), articleItem);
  if (!body) return undefined;
  items.push(...body, info(''), link('7', SEARCH_HELP, '/search'));
  return items;
}
