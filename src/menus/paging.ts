import { info, link, type MenuItem } from '../protocol/menu-item.js';

export const PAGE_SIZE = 200;

/** `p2` as the last selector segment names page 2 of a generated menu. */
export function splitPage(selector: string): { base: string; page: number } {
  const m = /^(.*\/)p(\d{1,6})$/.exec(selector);
  if (m && Number(m[2]) >= 1) return { base: m[1]!, page: Number(m[2]) };
  return { base: selector, page: 1 };
}

export function pageSelector(base: string, page: number): string {
  const b = base.endsWith('/') ? base : base + '/';
  return page === 1 ? base : `${b}p${page}`;
}

export function pageCount(total: number, size = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / size));
}

/** A long list read a page at a time (an SQL query with LIMIT and OFFSET), or an array. */
export interface Pages<T> {
  readonly count: number;
  slice(offset: number, limit: number): readonly T[];
}

export function arrayPages<T>(all: readonly T[]): Pages<T> {
  return { count: all.length, slice: (offset, limit) => all.slice(offset, offset + limit) };
}

/**
 * One page of a long listing with previous/next items around it, so no menu grows to megabytes.
 * Returns undefined for a page past the end (the route answers that with an error).
 */
export function paginate<T>(
  list: Pages<T>,
  page: number,
  base: string,
  render: (x: T) => MenuItem[],
  size = PAGE_SIZE,
): MenuItem[] | undefined {
  const pages = pageCount(list.count, size);
  if (page > pages) return undefined;
  const out: MenuItem[] = [];
  for (const x of list.slice((page - 1) * size, size)) out.push(...render(x));
  if (pages > 1) {
    out.push(info(''));
    out.push(info(`Page ${page} of ${pages}`));
    if (page > 1) out.push(link('1', `previous page (${page - 1} of ${pages})`, pageSelector(base, page - 1)));
    if (page < pages) out.push(link('1', `next page (${page + 1} of ${pages})`, pageSelector(base, page + 1)));
  }
  return out;
}
