const EMPTY = -1;
const DELETED = -2;

/** FNV-1a over UTF-16 code units: the key is hashed as the string it is, with no encoding. */
function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * A string → ref map in typed arrays (open addressing, linear probing): 100,000 keys without a JS
 * string or hash-table slot each for the garbage collector to mark. Keys are not stored: `keyOf(ref)`
 * rebuilds the key of a ref whose hash matches, so a ref must stay resolvable until it is deleted here.
 */
export class KeyIndex {
  private refs = new Int32Array(1024).fill(EMPTY);
  private hashes = new Uint32Array(1024);
  /** live keys, and slots in use (live or deleted) */
  private count = 0;
  private taken = 0;

  constructor(private readonly keyOf: (ref: number) => string) {}

  get size(): number {
    return this.count;
  }

  /** The ref stored for `key`, or -1. */
  get(key: string): number {
    const slot = this.find(key, hashOf(key));
    return slot < 0 ? -1 : this.refs[slot]!;
  }

  set(key: string, ref: number): void {
    const h = hashOf(key);
    const slot = this.find(key, h);
    if (slot >= 0) {
      this.refs[slot] = ref;
      return;
    }
    if ((this.taken + 1) * 10 > this.refs.length * 7) this.resize();
    const mask = this.refs.length - 1;
    let i = h & mask;
    while (this.refs[i]! >= 0) i = (i + 1) & mask;
    if (this.refs[i] === EMPTY) this.taken++;
    this.refs[i] = ref;
    this.hashes[i] = h;
    this.count++;
  }

  delete(key: string): void {
    const slot = this.find(key, hashOf(key));
    if (slot < 0) return;
    this.refs[slot] = DELETED;
    this.count--;
  }

  private find(key: string, h: number): number {
    const mask = this.refs.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const r = this.refs[i]!;
      if (r === EMPTY) return -1;
      if (r >= 0 && this.hashes[i] === h && this.keyOf(r) === key) return i;
    }
  }

  /** Twice the size when live keys fill over a third of it, else the same size without the deleted slots. */
  private resize(): void {
    const old = this.refs;
    const oldHashes = this.hashes;
    const size = this.count * 3 > old.length ? old.length * 2 : old.length;
    this.refs = new Int32Array(size).fill(EMPTY);
    this.hashes = new Uint32Array(size);
    const mask = size - 1;
    for (let j = 0; j < old.length; j++) {
      if (old[j]! < 0) continue;
      let i = oldHashes[j]! & mask;
      while (this.refs[i] !== EMPTY) i = (i + 1) & mask;
      this.refs[i] = old[j]!;
      this.hashes[i] = oldHashes[j]!;
    }
    this.taken = this.count;
  }
}

/** key → refs in the order they were added: a KeyIndex to the first, a chain (by ref) through the rest. */
export class KeyLists {
  private readonly first: KeyIndex;
  private next = new Int32Array(1024).fill(EMPTY);

  constructor(keyOf: (ref: number) => string) {
    this.first = new KeyIndex(keyOf);
  }

  add(key: string, ref: number): void {
    if (ref >= this.next.length) {
      const wider = new Int32Array(Math.max(ref + 1, this.next.length * 2)).fill(EMPTY);
      wider.set(this.next);
      this.next = wider;
    }
    this.next[ref] = EMPTY;
    const head = this.first.get(key);
    if (head < 0) return this.first.set(key, ref);
    let r = head;
    while (this.next[r]! >= 0) r = this.next[r]!;
    this.next[r] = ref;
  }

  /** Call while `keyOf(ref)` still answers `key`. */
  remove(key: string, ref: number): void {
    const head = this.first.get(key);
    if (head < 0) return;
    const after = this.next[ref]!;
    this.next[ref] = EMPTY;
    if (head === ref) {
      if (after < 0) this.first.delete(key);
      else this.first.set(key, after);
      return;
    }
    for (let r = head; r >= 0; r = this.next[r]!) {
      if (this.next[r] === ref) {
        this.next[r] = after;
        return;
      }
    }
  }

  get(key: string): number[] {
    const out: number[] = [];
    for (let r = this.first.get(key); r >= 0; r = this.next[r]!) out.push(r);
    return out;
  }
}
