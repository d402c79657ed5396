import { foldWord } from './fold.js';

/**
 * Raw spelling → term id for the indexer, as an open-addressing hash table over the UTF-16 units of
 * the text being indexed: a word already seen costs a probe and a compare of typed arrays, with no
 * string allocated. Each new spelling is folded once; spellings that fold alike share a term id.
 */
export class WordTable {
  /** folded terms by id */
  readonly terms: string[] = [];
  private readonly termIds = new Map<string, number>();
  /**
   * Eight Int32s a slot (32 bytes, within one cache line): hash, offset of the spelling in `arena` + 1
   * (0 = empty), its length, term id, and the last document the spelling was seen in (for `seenIn`).
   * The spellings sit side by side in one array rather than as strings scattered over the heap: a
   * lookup touches the slot and the spelling, two cache misses instead of five, which is what bounds
   * indexing once the vocabulary outgrows the CPU caches.
   */
  private slots = new Int32Array(8 << 16);
  private arena = new Uint16Array(1 << 18);
  private arenaLength = 0;
  private count = 0;

  /**
   * The term id of the word `units[start, end)` whose hash (FNV-1a of its units, as `scanWords`) is
   * `hash`, or -1 when this spelling was already seen in document `doc` (`doc` never decreases).
   */
  idIn(doc: number, units: Uint16Array, start: number, end: number, hash: number): number {
    const slots = this.slots;
    const mask = (slots.length >> 3) - 1;
    const len = end - start;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const at = i << 3;
      const off = slots[at + 1]!;
      if (off === 0) {
        slots[at + 4] = doc;
        return this.insert(at, units, start, end, hash);
      }
      if (slots[at] === hash && slots[at + 2] === len) {
        const arena = this.arena;
        let o = off - 1;
        let j = start;
        while (j < end && arena[o] === units[j]) {
          o++;
          j++;
        }
        if (j === end) {
          if (slots[at + 4] === doc) return -1;
          slots[at + 4] = doc;
          return slots[at + 3]!;
        }
      }
    }
  }

  private insert(at: number, units: Uint16Array, start: number, end: number, hash: number): number {
    const len = end - start;
    // A fresh flat string, not a view into the article's text.
    const raw = Buffer.from(units.buffer, units.byteOffset + start * 2, len * 2).toString('utf16le');
    const term = foldWord(raw);
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.terms.push(term);
      this.termIds.set(term, id);
    }
    if (this.arenaLength + len > this.arena.length) {
      const bigger = new Uint16Array(Math.max(this.arena.length * 2, this.arenaLength + len));
      bigger.set(this.arena.subarray(0, this.arenaLength));
      this.arena = bigger;
    }
    this.arena.set(units.subarray(start, end), this.arenaLength);
    this.slots[at] = hash;
    this.slots[at + 1] = this.arenaLength + 1;
    this.slots[at + 2] = len;
    this.slots[at + 3] = id;
    this.arenaLength += len;
    if (++this.count * 2 > this.slots.length >> 3) this.rehash();
    return id;
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    const mask = (this.slots.length >> 3) - 1;
    for (let from = 0; from < old.length; from += 8) {
      if (old[from + 1] === 0) continue;
      let i = old[from]! & mask;
      while (this.slots[(i << 3) + 1] !== 0) i = (i + 1) & mask;
      this.slots.set(old.subarray(from, from + 8), i << 3);
    }
  }
}
