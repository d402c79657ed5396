import { tokenize } from './fold.js';

/**
 * A small inverted index: folded word → ascending document numbers. Adding a document appends
 * (numbers only grow), removing one marks it dead; dead numbers are dropped when they pile up.
 * That keeps a single add or remove cheap while the archive changes under a running server.
 */
export class SearchIndex<K> {
  private readonly postings = new Map<string, number[]>();
  private readonly keyOf = new Map<number, K>();
  private readonly numOf = new Map<K, number>();
  private next = 0;
  private dead = 0;

  get size(): number {
    return this.keyOf.size;
  }

  add(key: K, text: string): void {
    this.remove(key);
    const num = this.next++;
    this.keyOf.set(num, key);
    this.numOf.set(key, num);
    for (const term of new Set(tokenize(text))) {
      const list = this.postings.get(term);
      if (list) list.push(num);
      else this.postings.set(term, [num]);
    }
  }

  remove(key: K): void {
    const num = this.numOf.get(key);
    if (num === undefined) return;
    this.numOf.delete(key);
    this.keyOf.delete(num);
    if (++this.dead > 1000 && this.dead > this.keyOf.size / 4) this.compact();
  }

  /** Keys of the live documents that contain every folded term. */
  matchAll(terms: readonly string[]): K[] {
    if (terms.length === 0) return [];
    const lists: number[][] = [];
    for (const t of new Set(terms)) {
      const l = this.postings.get(t);
      if (!l) return [];
      lists.push(l);
    }
    lists.sort((a, b) => a.length - b.length);
    let acc = lists[0]!;
    for (let i = 1; i < lists.length && acc.length > 0; i++) acc = intersect(acc, lists[i]!);
    const out: K[] = [];
    for (const n of acc) {
      const k = this.keyOf.get(n);
      if (k !== undefined) out.push(k);
    }
    return out;
  }

  private compact(): void {
    for (const [term, list] of this.postings) {
      const live = list.filter((n) => this.keyOf.has(n));
      if (live.length === 0) this.postings.delete(term);
      else this.postings.set(term, live);
    }
    this.dead = 0;
  }
}

function intersect(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! === b[j]!) {
      out.push(a[i]!);
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return out;
}
