import { queryOfSearchSelector } from '../archive/selectors.js';
import type { MenuContext } from '../menus/context.js';
import { splitPage } from '../menus/paging.js';
import type { GopherRequest } from '../protocol/request.js';
import { menu, notFound, type Document } from '../protocol/document.js';
import { parseQuery, wordsQuery } from './parse-query.js';
import { searchMenu } from './search-menu.js';

/**
 * `/search` + TAB + query, `/search/q/<b64>/p2` (a page of it), or `/search/<words-with-dashes>`
 * (all those words). `rest` is the selector after `/search/`.
 */
export function searchRequest(ctx: MenuContext, req: GopherRequest, rest: string): Document {
  const isTag = (name: string): boolean => ctx.archive.tag(name) !== undefined;
  let items;
  if (req.query !== undefined) items = searchMenu(ctx, req.query, parseQuery(req.query, isTag), 1);
  else {
    const encoded = queryOfSearchSelector(rest);
    if (encoded !== undefined) items = searchMenu(ctx, encoded, parseQuery(encoded, isTag), splitPage(rest).page);
    else {
      // Words only: a title searched for from a related-articles item may hold `2024` or `tag:`, still words.
      const input = rest.replace(/[-+_/]/g, ' ').trim();
      items = searchMenu(ctx, input, wordsQuery(input), 1);
    }
  }
  return items ? menu(items) : notFound('No such page of results');
}
