import { ownString } from '../own-string.js';
import type { ArticleEntry } from './entry.js';

/** Per entry: where its record's parts start (relPath, title, link ids, tag numbers) and where it ends. */
export const BOUNDS = 5;

/**
 * The articles as an `EntryStore` holds them, in arrays: entry n is document n of the search index.
 * This is the start-up cache's entries section, and a warm start loads it into the store as it is,
 * with no object per entry: as JSON, parsing it and copying 100,000 entries into the store took
 * ~1.1 s of a 3.5 s warm start, and left their garbage for the collector.
 *
 * A record is the entry's relPath and title (UTF-8), its link ids (latin1, space-separated) and its
 * tag numbers (u32 LE); `bounds` holds 5 offsets per entry into `records`. Numbers index `names`.
 */
export interface EntryTables {
  readonly count: number;
  readonly records: Buffer;
  readonly bounds: Uint32Array;
  readonly siteNum: Uint32Array;
  readonly dateNum: Uint32Array;
  readonly size: Float64Array;
  readonly mtime: Float64Array;
  /** 0 for a number whose article is gone (or could not be parsed: the next start reads it again) */
  readonly alive: Uint8Array;
  readonly names: EntryNames;
}

export interface EntryNames {
  readonly sites: string[];
  readonly dates: string[];
  readonly tags: string[];
}

/** Values that repeat across articles (sites, tags, dates): each kept once as a string, entries hold its number. */
export class NameTable {
  readonly names: string[] = [];
  private readonly numbers = new Map<string, number>();

  number(name: string): number {
    let n = this.numbers.get(name);
    if (n === undefined) {
      n = this.names.length;
      const owned = ownString(name);
      this.names.push(owned);
      this.numbers.set(owned, n);
    }
    return n;
  }
}

/** Room to reserve for `e`'s record (UTF-8 takes at most 3 bytes per UTF-16 unit); `linkIds` joined by spaces. */
export function recordRoom(e: ArticleEntry, linkIds: string): number {
  return 3 * (e.relPath.length + e.title.length) + linkIds.length + 4 * e.tags.length;
}

/** Write `e`'s record into `bytes` at `p` and its 5 bounds into `bounds` at `at`; returns where it ends. */
export function writeRecord(bytes: Buffer, p: number, e: ArticleEntry, linkIds: string, tags: NameTable, bounds: Uint32Array, at: number): number {
  bounds[at] = p;
  p += bytes.write(e.relPath, p, 'utf8');
  bounds[at + 1] = p;
  p += bytes.write(e.title, p, 'utf8');
  bounds[at + 2] = p;
  p += bytes.write(linkIds, p, 'latin1');
  bounds[at + 3] = p;
  for (const t of e.tags) p = bytes.writeUInt32LE(tags.number(t), p);
  bounds[at + 4] = p;
  return p;
}

/** The tables of `docs` (document number → entry); broken entries are left out, as gone ones are. */
export function packEntries(docs: readonly (ArticleEntry | undefined)[]): EntryTables {
  const count = docs.length;
  const sites = new NameTable();
  const dates = new NameTable();
  const tags = new NameTable();
  const bounds = new Uint32Array(count * BOUNDS);
  const siteNum = new Uint32Array(count);
  const dateNum = new Uint32Array(count);
  const size = new Float64Array(count);
  const mtime = new Float64Array(count);
  const alive = new Uint8Array(count);
  let records = Buffer.allocUnsafe(1 << 20);
  let p = 0;
  docs.forEach((e, n) => {
    const at = n * BOUNDS;
    if (e === undefined || e.broken !== undefined) {
      bounds.fill(p, at, at + BOUNDS);
      return;
    }
    const linkIds = e.linkIds.join(' ');
    const need = recordRoom(e, linkIds);
    if (p + need > records.length) {
      const bigger = Buffer.allocUnsafe(Math.max(2 * records.length, p + need));
      records.copy(bigger, 0, 0, p);
      records = bigger;
    }
    p = writeRecord(records, p, e, linkIds, tags, bounds, at);
    siteNum[n] = sites.number(e.site);
    dateNum[n] = dates.number(e.date);
    size[n] = e.size;
    mtime[n] = e.mtimeMs;
    alive[n] = 1;
  });
  return {
    count, records: records.subarray(0, p), bounds, siteNum, dateNum, size, mtime, alive,
    names: { sites: sites.names, dates: dates.names, tags: tags.names },
  };
}

/** True when every offset and number points inside the tables (a damaged cache must not be loaded). */
export function tablesAreSound(t: EntryTables): boolean {
  const { count, bounds, records, names } = t;
  if (bounds.length !== count * BOUNDS || t.siteNum.length !== count || t.dateNum.length !== count) return false;
  if (t.size.length !== count || t.mtime.length !== count || t.alive.length !== count) return false;
  let prev = 0;
  for (let i = 0; i < bounds.length; i++) {
    if (bounds[i]! < prev) return false;
    prev = bounds[i]!;
  }
  if (prev !== records.length) return false;
  for (let n = 0; n < count; n++) {
    if (!t.alive[n]) continue;
    const at = n * BOUNDS;
    if (t.siteNum[n]! >= names.sites.length || t.dateNum[n]! >= names.dates.length) return false;
    if ((bounds[at + 4]! - bounds[at + 3]!) % 4 !== 0 || bounds[at + 1] === bounds[at]) return false;
    for (let q = bounds[at + 3]!; q < bounds[at + 4]!; q += 4) if (records.readUInt32LE(q) >= names.tags.length) return false;
  }
  return true;
}
