/**
 * An article's key in the index: larger is newer. Its day (from the date line) times 2^31, plus a
 * number from its path that orders the articles of one day, so "newest first" is "largest key first"
 * everywhere, in menus and in the full-text index, whose rowid is this key. Undated articles are day
 * 0: last. The largest key (year 9999) stays below 2^53, so JavaScript numbers hold it exactly.
 */
const DAY = 2 ** 31;

/** `2025-04-26` → the number of its day, counted so that later dates are larger (0: no date). */
export function dayNumber(isoDate: string): number {
  if (isoDate === '') return 0;
  const y = Number(isoDate.slice(0, 4));
  const m = Number(isoDate.slice(5, 7));
  const d = Number(isoDate.slice(8, 10));
  return y * 372 + (m - 1) * 31 + d;
}

/** FNV-1a of the path: the same path gets the same place in its day on every machine. */
function pathHash(relPath: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < relPath.length; i++) h = Math.imul(h ^ relPath.charCodeAt(i), 16777619);
  return (h >>> 0) % DAY;
}

/** The key for an article; `taken` says whether another article has a key already (then the next one is tried). */
export function articleKey(isoDate: string, relPath: string, taken: (key: number) => boolean): number {
  const base = dayNumber(isoDate) * DAY;
  let offset = pathHash(relPath);
  while (taken(base + offset)) offset = (offset + 1) % DAY;
  return base + offset;
}

/** Keys of the articles dated from `from` to `to` (ISO dates, inclusive). */
export function keyRange(from: string, to: string): { low: number; high: number } {
  return { low: dayNumber(from) * DAY, high: (dayNumber(to) + 1) * DAY - 1 };
}
