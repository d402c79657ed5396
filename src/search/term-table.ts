/**
 * Folded word → slot, for the indexer of a cold start: an open-addressing hash table whose slots hold
 * the key itself, so a lookup reads one 32-byte slot (half a cache line) and compares the key there,
 * with no string and no second memory access for words up to 16 bytes (97 % of a German text's
 * words). What bounds indexing 700 MB is the cache miss per word once the vocabulary (350,000 terms
 * at 100k articles) outgrows the CPU caches; `touch` starts a document's misses all at once.
 *
 * Keys are UTF-8 bytes as Int32 words, zero-padded to four words at least (see FoldedWords), and
 * never empty (no letter or digit folds to nothing). Slot: eight Int32s. 0: key length in bytes (0 =
 * empty slot), 1: term id, 2 and 3: the caller's (the indexer keeps a term's last document and
 * postings size there), 4–7: the key's first four words; a key over 16 bytes keeps three there and all
 * its words in `overflow`, at the offset in 7.
 */
export class TermTable {
  /** folded terms by id */
  readonly terms: string[] = [];
  slots = new Int32Array(8 << 16);
  private overflow = new Int32Array(1 << 14);
  private overflowLength = 0;
  private touched = 0;

  /**
   * The slot (index of its first Int32 in `slots`, which this call may replace) of the key of `len`
   * bytes at `keys[at]` (four words at least, zero-padded), with hash `hashKey(keys, at, len)`; a new key
   * gets the next term id, and fields 2 and 3 set to 0.
   */
  slotOf(keys: Int32Array, at: number, len: number, hash: number): number {
    const slots = this.slots;
    const mask = (slots.length >> 3) - 1;
    const k0 = keys[at]!;
    const k1 = keys[at + 1]!;
    const k2 = keys[at + 2]!;
    const k3 = keys[at + 3]!;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const s = i << 3;
      const l = slots[s]!;
      if (l === 0) return this.insert(s, keys, at, len);
      // One test for a whole short key: a word's length decides nothing the CPU could predict.
      if (((l ^ len) | (slots[s + 4]! ^ k0) | (slots[s + 5]! ^ k1) | (slots[s + 6]! ^ k2)) !== 0) continue;
      if (len <= 16 ? slots[s + 7] === k3 : this.sameOverflow(slots[s + 7]!, keys, at, len)) return s;
    }
  }

  /** Read the slots of these hashes, so that their cache misses overlap instead of queueing one by one. */
  touch(hashes: Int32Array, count: number): void {
    const slots = this.slots;
    const mask = (slots.length >> 3) - 1;
    let sum = 0;
    for (let w = 0; w < count; w++) sum += slots[(hashes[w]! & mask) << 3]!;
    this.touched = sum; // kept, so that the loads are not optimised away
  }

  private sameOverflow(off: number, keys: Int32Array, at: number, len: number): boolean {
    const o = this.overflow;
    for (let j = 3, n = (len + 3) >> 2; j < n; j++) if (o[off + j] !== keys[at + j]) return false;
    return true;
  }

  private insert(s: number, keys: Int32Array, at: number, len: number): number {
    const slots = this.slots;
    const words = (len + 3) >> 2;
    slots[s] = len;
    slots[s + 1] = this.terms.length;
    slots[s + 2] = 0;
    slots[s + 3] = 0;
    for (let j = 0; j < 4; j++) slots[s + 4 + j] = j < words ? keys[at + j]! : 0;
    if (len > 16) {
      if (this.overflowLength + words > this.overflow.length) {
        const bigger = new Int32Array(Math.max(this.overflow.length * 2, this.overflowLength + words));
        bigger.set(this.overflow.subarray(0, this.overflowLength));
        this.overflow = bigger;
      }
      this.overflow.set(keys.subarray(at, at + words), this.overflowLength);
      slots[s + 7] = this.overflowLength;
      this.overflowLength += words;
    }
    // A fresh flat string per term, not a view into anything kept.
    this.terms.push(Buffer.from(keys.buffer, keys.byteOffset + at * 4, len).toString('utf8'));
    if (this.terms.length * 3 > (slots.length >> 3) * 2) return this.rehash(s);
    return s;
  }

  /** Double the table; returns where the slot that was at `s` went. */
  private rehash(s: number): number {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = (slots.length >> 3) - 1;
    let moved = -1;
    for (let from = 0; from < old.length; from += 8) {
      const len = old[from]!;
      if (len === 0) continue;
      let i = (len > 16 ? hashKey(this.overflow, old[from + 7]!, len) : hashKey(old, from + 4, len)) & mask;
      while (slots[i << 3] !== 0) i = (i + 1) & mask;
      slots.set(old.subarray(from, from + 8), i << 3);
      if (from === s) moved = i << 3;
    }
    this.slots = slots;
    return moved;
  }
}

/**
 * The hash of a key of `len` bytes as zero-padded Int32 words from `keys[at]` (four at least): its
 * first four words, its last and its length, each multiplied by its own odd constant (independent
 * multiplications, not a chain through every byte), then mixed. Long keys that share 16 bytes and a
 * length just probe a little further: the table compares whole keys.
 */
export function hashKey(keys: Int32Array, at: number, len: number): number {
  let h =
    Math.imul(keys[at]!, 0x9e3779b1) ^
    Math.imul(keys[at + 1]!, 0x85ebca77) ^
    Math.imul(keys[at + 2]!, 0xc2b2ae3d) ^
    Math.imul(keys[at + 3]!, 0x27d4eb2f) ^
    Math.imul(keys[at + ((len - 1) >> 2)]! ^ len, 0x165667b1);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return h ^ (h >>> 15);
}
