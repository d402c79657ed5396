import { keyRange } from '../archive/article-key.js';
import { info, link, type MenuItem } from '../protocol/menu-item.js';
import type { MenuContext } from './context.js';
import { articleItem, plural } from './listing.js';
import { paginate } from './paging.js';

const MONTH_NAMES = ['', 'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * year → month → day → articles, with counts. `parts` are the selector segments after `/date/`.
 * Returns undefined for a date the archive has no articles for.
 */
export function dateMenu(ctx: MenuContext, parts: readonly string[], page: number): MenuItem[] | undefined {
  const a = ctx.archive;
  if (parts.length === 0) {
    const items: MenuItem[] = [info('Archive by date'), info('')];
    for (const { prefix: y, count } of a.dateGroups(4, '')) items.push(link('1', `${y} (${plural(count)})`, `/date/${y}/`));
    const undated = a.undatedCount;
    if (undated > 0) items.push(info(''), info(`${plural(undated)} without a date line are listed under All articles.`));
    return items;
  }
  if (!parts.every((p) => /^\d+$/.test(p)) || parts.length > 3) return undefined;
  const prefix = parts.join('-');
  const [y, m] = parts;
  if (parts.length < 3) {
    const groups = a.dateGroups(parts.length === 1 ? 7 : 10, prefix + '-');
    const total = groups.reduce((n, g) => n + g.count, 0);
    if (total === 0) return undefined;
    if (parts.length === 1) {
      const items: MenuItem[] = [info(`${y} -- ${plural(total)}`), info('')];
      for (const g of groups) items.push(link('1', `${MONTH_NAMES[Number(g.prefix.slice(5))]} ${y} (${plural(g.count)})`, `/date/${y}/${g.prefix.slice(5)}/`));
      return items;
    }
    const items: MenuItem[] = [info(`${MONTH_NAMES[Number(m)]} ${y} -- ${plural(total)}`), info('')];
    for (const g of groups) items.push(link('1', `${g.prefix} (${plural(g.count)})`, `/date/${y}/${m}/${g.prefix.slice(8)}/`));
    return items;
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(prefix)) return undefined;
  const { low, high } = keyRange(prefix, prefix);
  const count = a.countInKeyRange(low, high);
  if (count === 0) return undefined;
  const body = paginate({ count, slice: (offset, limit) => a.inKeyRange(low, high, offset, limit) }, page, `/date/${parts.join('/')}/`, articleItem);
  return body && [info(`${prefix} -- ${plural(count)}`), info(''), ...body];
}
