import { compareNewest } from '../archive/entry.js';
import { tagSelector } from '../archive/selectors.js';
import { info, link, type MenuItem } from '../protocol/menu-item.js';
import type { MenuContext } from './context.js';
import { articleItem } from './listing.js';
import { paginate } from './paging.js';

function initial(slug: string): string {
  const c = slug.charAt(0).toUpperCase();
  return /[A-Z]/.test(c) ? c : '#';
}

/**
 * All tags with counts, sorted. Past one page, the index is split by initial letter with a short
 * alphabet jump on top, as a veteran would lay out a long directory.
 */
export function tagIndexMenu(ctx: MenuContext, letter?: string): MenuItem[] | undefined {
  const all = ctx.archive.allTags();
  const items: MenuItem[] = [info(`Tags -- ${all.length} tags`), info('')];
  const render = (t: (typeof all)[number]): MenuItem => link('1', `${t.name} (${t.entries.size})`, tagSelector(t.name));
  if (all.length <= 200 && letter === undefined) {
    for (const t of all) items.push(render(t));
    return items;
  }
  const letters = [...new Set(all.map((t) => initial(t.slug)))];
  if (letter === undefined) {
    items.push(info('Jump to a letter:'));
    for (const l of letters) items.push(link('1', `${l} (${all.filter((t) => initial(t.slug) === l).length} tags)`, `/tags/${l}`));
    return items;
  }
  if (!letters.includes(letter)) return undefined;
  for (const t of all) if (initial(t.slug) === letter) items.push(render(t));
  return items;
}

export function tagMenu(ctx: MenuContext, slug: string, page: number): MenuItem[] | undefined {
  const t = ctx.archive.tag(slug);
  if (!t) return undefined;
  const entries = ctx.archive.derived(`tag:${slug}`, () => [...t.entries].sort(compareNewest));
  const body = paginate(entries, page, `/tag/${slug}`, articleItem);
  if (!body) return undefined;
  return [info(`Tag: ${t.name} -- ${entries.length} articles, newest first`), info(''), ...body];
}
