import type { ArticleEntry } from './entry.js';
import { BOUNDS, NameTable, recordRoom, writeRecord, type EntryTables } from './entry-tables.js';
import { articleSelector, idOfFile } from './selectors.js';

const MIN_BYTES = 1 << 16;

/**
 * What the archive keeps of every article, packed outside the collected heap. Under load every full
 * garbage collection marks the whole heap; as 100,000 objects with their strings and arrays the
 * entries were ~1.9 million heap objects (120 MB) to mark each time, a fifth of the server's CPU.
 * Here an entry is a number (`ref`): its strings are one UTF-8 record in a byte buffer, its numbers
 * sit in typed arrays. Refs of removed entries are reused; the buffer is compacted when half of it is dead.
 */
export class EntryStore {
  private bytes: Buffer = Buffer.allocUnsafe(MIN_BYTES);
  private used = 0;
  private liveBytes = 0;
  private capacity = 0;
  private bounds: Uint32Array = new Uint32Array(0);
  private siteNum: Uint32Array = new Uint32Array(0);
  private dateNum: Uint32Array = new Uint32Array(0);
  private size: Float64Array = new Float64Array(0);
  private mtime: Float64Array = new Float64Array(0);
  private alive: Uint8Array = new Uint8Array(0);
  private next = 0;
  private readonly free: number[] = [];
  /** parse failures are rare: kept as strings */
  private readonly broken = new Map<number, string>();
  private readonly sites = new NameTable();
  private readonly tagNames = new NameTable();
  private readonly dates = new NameTable();

  /**
   * Load the tables of the start-up cache into this empty store, as they are: ref n is entry n.
   * False (and the store unusable) if their name tables repeat a name.
   */
  restore(t: EntryTables): boolean {
    if (this.next !== 0) throw new Error('EntryStore.restore: the store is not empty');
    for (const s of t.names.sites) this.sites.number(s);
    for (const d of t.names.dates) this.dates.number(d);
    for (const g of t.names.tags) this.tagNames.number(g);
    if (this.sites.names.length !== t.names.sites.length || this.dates.names.length !== t.names.dates.length || this.tagNames.names.length !== t.names.tags.length) return false;
    this.bytes = t.records.length > 0 ? t.records : Buffer.allocUnsafe(MIN_BYTES);
    this.used = t.records.length;
    this.bounds = t.bounds;
    this.siteNum = t.siteNum;
    this.dateNum = t.dateNum;
    this.size = t.size;
    this.mtime = t.mtime;
    this.alive = t.alive;
    this.capacity = t.count;
    this.next = t.count;
    this.liveBytes = 0;
    for (let ref = t.count - 1; ref >= 0; ref--) {
      if (t.alive[ref]) this.liveBytes += t.bounds[ref * BOUNDS + 4]! - t.bounds[ref * BOUNDS]!;
      else this.free.push(ref);
    }
    return true;
  }

  add(e: ArticleEntry): number {
    const ref = this.free.pop() ?? this.next++;
    if (ref >= this.capacity) this.grow();
    const linkIds = e.linkIds.join(' ');
    const need = recordRoom(e, linkIds);
    if (this.used + need > this.bytes.length) this.makeRoom(need);
    const p = writeRecord(this.bytes, this.used, e, linkIds, this.tagNames, this.bounds, ref * BOUNDS);
    this.liveBytes += p - this.used;
    this.used = p;
    this.siteNum[ref] = this.sites.number(e.site);
    this.dateNum[ref] = this.dates.number(e.date);
    this.size[ref] = e.size;
    this.mtime[ref] = e.mtimeMs;
    this.alive[ref] = 1;
    if (e.broken !== undefined) this.broken.set(ref, e.broken);
    return ref;
  }

  remove(ref: number): void {
    if (!this.alive[ref]) return;
    this.alive[ref] = 0;
    this.liveBytes -= this.bounds[ref * BOUNDS + 4]! - this.bounds[ref * BOUNDS]!;
    this.broken.delete(ref);
    this.free.push(ref);
  }

  relPath(ref: number): string {
    const at = ref * BOUNDS;
    return this.bytes.toString('utf8', this.bounds[at], this.bounds[at + 1]);
  }

  title(ref: number): string {
    const at = ref * BOUNDS;
    return this.bytes.toString('utf8', this.bounds[at + 1], this.bounds[at + 2]);
  }

  linkIds(ref: number): string[] {
    const at = ref * BOUNDS;
    const s = this.bounds[at + 2]!;
    const e = this.bounds[at + 3]!;
    return s === e ? [] : this.bytes.toString('latin1', s, e).split(' ');
  }

  tags(ref: number): string[] {
    const at = ref * BOUNDS;
    const out: string[] = [];
    for (let p = this.bounds[at + 3]!; p < this.bounds[at + 4]!; p += 4) out.push(this.tagNames.names[this.bytes.readUInt32LE(p)]!);
    return out;
  }

  siteOf(ref: number): string {
    return this.sites.names[this.siteNum[ref]!]!;
  }

  dateOf(ref: number): string {
    return this.dates.names[this.dateNum[ref]!]!;
  }

  sizeOf(ref: number): number {
    return this.size[ref]!;
  }

  mtimeOf(ref: number): number {
    return this.mtime[ref]!;
  }

  brokenOf(ref: number): string | undefined {
    return this.broken.get(ref);
  }

  private grow(): void {
    const cap = Math.max(1024, this.capacity * 2);
    const widen = <T extends Uint32Array | Float64Array | Uint8Array>(old: T, make: (n: number) => T, per = 1): T => {
      const a = make(cap * per);
      a.set(old);
      return a;
    };
    this.bounds = widen(this.bounds, (n) => new Uint32Array(n), BOUNDS);
    this.siteNum = widen(this.siteNum, (n) => new Uint32Array(n));
    this.dateNum = widen(this.dateNum, (n) => new Uint32Array(n));
    this.size = widen(this.size, (n) => new Float64Array(n));
    this.mtime = widen(this.mtime, (n) => new Float64Array(n));
    this.alive = widen(this.alive, (n) => new Uint8Array(n));
    this.capacity = cap;
  }

  /** Room for `need` more bytes: drop the dead records if half the buffer is dead, grow it if not. */
  private makeRoom(need: number): void {
    const size = Math.max(MIN_BYTES, 2 * (this.liveBytes + need));
    const fresh = Buffer.allocUnsafe(size);
    let p = 0;
    for (let ref = 0; ref < this.next; ref++) {
      if (!this.alive[ref]) continue;
      const at = ref * BOUNDS;
      const start = this.bounds[at]!;
      const shift = p - start;
      p += this.bytes.copy(fresh, p, start, this.bounds[at + 4]);
      for (let i = 0; i < BOUNDS; i++) this.bounds[at + i] += shift;
    }
    this.bytes = fresh;
    this.used = p;
  }
}

/**
 * An archive entry as a handle on the store: the same object for as long as the article stays, so
 * entries can be compared and kept in Sets. Removed from the archive, it keeps a copy of its values
 * (a request still rendering it must not see whatever reuses its ref).
 */
export class StoredEntry implements ArticleEntry {
  private copy: ArticleEntry | undefined;

  constructor(
    private readonly store: EntryStore,
    readonly ref: number,
  ) {}

  get relPath(): string {
    return this.copy ? this.copy.relPath : this.store.relPath(this.ref);
  }

  get id(): string | undefined {
    return idOfFile(this.relPath);
  }

  get selector(): string {
    return articleSelector(this.relPath);
  }

  get site(): string {
    return this.copy ? this.copy.site : this.store.siteOf(this.ref);
  }

  get title(): string {
    return this.copy ? this.copy.title : this.store.title(this.ref);
  }

  get date(): string {
    return this.copy ? this.copy.date : this.store.dateOf(this.ref);
  }

  get tags(): readonly string[] {
    return this.copy ? this.copy.tags : this.store.tags(this.ref);
  }

  get linkIds(): readonly string[] {
    return this.copy ? this.copy.linkIds : this.store.linkIds(this.ref);
  }

  get size(): number {
    return this.copy ? this.copy.size : this.store.sizeOf(this.ref);
  }

  get mtimeMs(): number {
    return this.copy ? this.copy.mtimeMs : this.store.mtimeOf(this.ref);
  }

  get broken(): string | undefined {
    return this.copy ? this.copy.broken : this.store.brokenOf(this.ref);
  }

  /** Keep the values, then free the ref. */
  detach(): void {
    if (this.copy) return;
    const { relPath, site, title, date, tags, linkIds, size, mtimeMs, broken } = this;
    this.copy = { relPath, selector: '', site, title, date, tags, linkIds, size, mtimeMs, broken };
    this.store.remove(this.ref);
  }
}
