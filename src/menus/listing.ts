import type { ArticleEntry } from '../archive/entry.js';
import { link, type MenuItem } from '../protocol/menu-item.js';

/** `1 article`, `2 articles`. */
export function plural(n: number): string {
  return `${n} article${n === 1 ? '' : 's'}`;
}

/** `26.04.2025` for listings; undated articles show dashes so columns stay aligned. */
export function displayDate(iso: string): string {
  if (!iso) return '--.--.----';
  return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
}

/** How an article appears in every generated listing: its date, then its title. */
export function articleItem(e: ArticleEntry): MenuItem[] {
  return [link('1', `${displayDate(e.date)} ${e.title}${e.broken ? ' (unavailable)' : ''}`, e.selector)];
}
