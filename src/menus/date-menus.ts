import type { ArticleEntry } from '../archive/entry.js';
import { info, link, type MenuItem } from '../protocol/menu-item.js';
import type { MenuContext } from './context.js';
import { articleItem, plural } from './listing.js';
import { paginate } from './paging.js';

const MONTH_NAMES = ['', 'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Group the dated articles (newest first) by a prefix of their ISO date, keeping the order. */
function groupBy(entries: readonly ArticleEntry[], len: number): Map<string, ArticleEntry[]> {
  const out = new Map<string, ArticleEntry[]>();
  for (const e of entries) {
    if (!e.date) continue;
    const k = e.date.slice(0, len);
    let g = out.get(k);
    if (!g) out.set(k, (g = []));
    g.push(e);
  }
  return out;
}

/**
 * year → month → day → articles, with counts. `parts` are the selector segments after `/date/`.
 * Returns undefined for a date the archive has no articles for.
 */
export function dateMenu(ctx: MenuContext, parts: readonly string[], page: number): MenuItem[] | undefined {
  const all = ctx.archive.newest();
  if (parts.length === 0) {
    const years = ctx.archive.derived('years', () => groupBy(all, 4));
    const items: MenuItem[] = [info('Archive by date'), info('')];
    for (const [y, es] of years) items.push(link('1', `${y} (${plural(es.length)})`, `/date/${y}/`));
    const undated = all.filter((e) => !e.date).length;
    if (undated > 0) items.push(info(''), info(`${plural(undated)} without a date line are listed under All articles.`));
    return items;
  }
  if (!parts.every((p) => /^\d+$/.test(p)) || parts.length > 3) return undefined;
  const prefix = parts.join('-');
  const inRange = ctx.archive.derived(`date:${prefix}`, () => all.filter((e) => e.date.startsWith(prefix + (parts.length < 3 ? '-' : ''))));
  if (inRange.length === 0) return undefined;
  const [y, m] = parts;
  if (parts.length === 1) {
    const items: MenuItem[] = [info(`${y} -- ${plural(inRange.length)}`), info('')];
    for (const [k, es] of groupBy(inRange, 7)) items.push(link('1', `${MONTH_NAMES[Number(k.slice(5))]} ${y} (${plural(es.length)})`, `/date/${y}/${k.slice(5)}/`));
    return items;
  }
  if (parts.length === 2) {
    const items: MenuItem[] = [info(`${MONTH_NAMES[Number(m)]} ${y} -- ${plural(inRange.length)}`), info('')];
    for (const [k, es] of groupBy(inRange, 10)) items.push(link('1', `${k} (${plural(es.length)})`, `/date/${y}/${m}/${k.slice(8)}/`));
    return items;
  }
  const body = paginate(inRange, page, `/date/${parts.join('/')}/`, articleItem);
  return body && [info(`${prefix} -- ${plural(inRange.length)}`), info(''), ...body];
}
