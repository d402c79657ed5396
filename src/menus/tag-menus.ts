import { tagSelector } from '../archive/selectors.js';
import type { TagInfo } from '../archive/archive.js';
import { info, link, type MenuItem } from '../protocol/menu-item.js';
import type { MenuContext } from './context.js';
import { articleItem } from './listing.js';
import { arrayPages, paginate, PAGE_SIZE } from './paging.js';

/** `0-9` rather than `#` for tags that start with a digit or sign: `#` would end a gopher URL in lynx. */
const OTHER = '0-9';

function initial(slug: string): string {
  const c = slug.charAt(0).toUpperCase();
  return /[A-Z]/.test(c) ? c : OTHER;
}

const tagItem = (t: TagInfo): MenuItem[] => [link('1', `${t.name} (${t.count})`, tagSelector(t.name))];

/**
 * All tags with counts, sorted. Past one page (200 tags) the index becomes a short alphabet jump,
 * one menu per initial letter (`/tags/A`, paged if a letter alone has more than 200 tags).
 * `rest` is what follows `/tags/`.
 */
export function tagIndexMenu(ctx: MenuContext, rest: string, page: number): MenuItem[] | undefined {
  const all = ctx.archive.allTags();
  const head = [info(`Tags -- ${all.length} tags, sorted by name`), info('')];
  if (rest === '') {
    if (all.length <= PAGE_SIZE) return page === 1 ? [...head, ...all.flatMap(tagItem)] : undefined;
    if (page !== 1) return undefined;
    const counts = new Map<string, number>();
    for (const t of all) counts.set(initial(t.slug), (counts.get(initial(t.slug)) ?? 0) + 1);
    const items = [...head, info('Jump to a letter:')];
    for (const [l, n] of counts) items.push(link('1', `${l} (${n} tag${n === 1 ? '' : 's'})`, `/tags/${l}/`));
    return items;
  }
  const letter = rest.replace(/\/$/, '').toUpperCase();
  const inLetter = all.filter((t) => initial(t.slug) === letter);
  if (inLetter.length === 0) return undefined;
  const body = paginate(arrayPages(inLetter), page, `/tags/${letter}/`, tagItem);
  return body && [info(`Tags starting with ${letter} -- ${inLetter.length} of ${all.length} tags`), info(''), ...body, info(''), link('1', 'All letters', '/tags/')];
}

/** One tag's articles, newest first, paged. */
export function tagMenu(ctx: MenuContext, slug: string, page: number): MenuItem[] | undefined {
  const t = ctx.archive.tag(slug);
  if (!t) return undefined;
  const body = paginate({ count: t.count, slice: (offset, limit) => ctx.archive.tagged(t.slug, offset, limit) }, page, tagSelector(t.name), articleItem);
  if (!body) return undefined;
  const n = t.count;
  return [info(`Tag: ${t.name} -- ${n} article${n === 1 ? '' : 's'}, newest first`), info(''), ...body];
}
