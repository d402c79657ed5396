import { ownString } from '../own-string.js';
import { foldWord } from './fold.js';

/**
 * Raw spelling → term id for the indexer, as an open-addressing hash table keyed by the hash
 * `scanWords` computes on the fly: a word already seen costs a probe and a `startsWith`, with no
 * string allocated. Each new spelling is folded once; spellings that fold alike share a term id.
 */
export class WordTable {
  /** folded terms by id */
  readonly terms: string[] = [];
  private readonly termIds = new Map<string, number>();
  /**
   * Three Int32s a slot: hash, spelling index + 1 (0 = empty), term id. Keeping them side by side
   * makes a lookup touch one cache line of the table and the spelling itself, which is what bounds
   * indexing speed once the vocabulary outgrows the CPU caches.
   */
  private slots = new Int32Array(3 << 16);
  private readonly raws: string[] = [];

  /** The term id of the word `text[start, end)` whose `scanWords` hash is `hash`. */
  idOf(text: string, start: number, end: number, hash: number): number {
    const slots = this.slots;
    const mask = slots.length / 3 - 1;
    const len = end - start;
    const h = hash | 0;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const at = i * 3;
      const k = slots[at + 1]!;
      if (k === 0) return this.insert(at, text.slice(start, end), h);
      if (slots[at] === h) {
        const raw = this.raws[k - 1]!;
        if (raw.length === len && text.startsWith(raw, start)) return slots[at + 2]!;
      }
    }
  }

  private insert(at: number, sliced: string, hash: number): number {
    const raw = ownString(sliced);
    const term = foldWord(raw);
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      const owned = term === raw ? raw : ownString(term);
      this.terms.push(owned);
      this.termIds.set(owned, id);
    }
    this.raws.push(raw);
    this.slots[at] = hash;
    this.slots[at + 1] = this.raws.length;
    this.slots[at + 2] = id;
    if (this.raws.length * 2 > this.slots.length / 3) this.rehash();
    return id;
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    const mask = this.slots.length / 3 - 1;
    for (let from = 0; from < old.length; from += 3) {
      if (old[from + 1] === 0) continue;
      let i = (old[from]! >>> 0) & mask;
      while (this.slots[i * 3 + 1] !== 0) i = (i + 1) & mask;
      this.slots.set(old.subarray(from, from + 3), i * 3);
    }
  }
}
