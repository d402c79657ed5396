import { isWordPair, isWordUnit } from './fold.js';
import { ByteWriter, VarintReader, varintLength, writeVarint, type Segment } from './postings.js';
import { WordTable } from './word-table.js';

/**
 * Builds a segment from many documents at once (the start-up scan): each document's distinct term
 * ids are kept as sorted varint gaps, about two bytes a term, and turned into postings in two passes
 * at the end. Document numbers must be added in ascending order.
 */
export class SegmentBuilder {
  private readonly words = new WordTable();
  private readonly arena = new ByteWriter(); // per document: term count, then sorted id gaps
  private readonly docNums: number[] = [];
  /** this document's distinct term ids; a typed array sorts numerically without a comparator call */
  private current = new Uint32Array(4096);
  /** the UTF-16 units of the text being added, reused from one document to the next */
  private units = new Uint16Array(1 << 14);
  private unitBytes = Buffer.from(this.units.buffer);

  private unitsOf(text: string): Uint16Array {
    if (text.length > this.units.length) {
      this.units = new Uint16Array(Math.max(text.length, this.units.length * 2));
      this.unitBytes = Buffer.from(this.units.buffer);
    }
    this.unitBytes.write(text, 0, 'utf16le');
    return this.units;
  }

  get documents(): number {
    return this.docNums.length;
  }

  add(docNum: number, text: string): void {
    const doc = this.docNums.length;
    this.docNums.push(docNum);
    const units = this.unitsOf(text);
    const n = text.length;
    let count = 0;
    // The words of `scanWords` (runs of letters and digits, FNV-1a over their units), inlined over a
    // typed array: no callback and no string per word on the hottest loop of a cold start.
    let start = -1;
    let hash = 0;
    for (let i = 0; i <= n; i++) {
      let word = false;
      let width = 1;
      if (i < n) {
        const c = units[i]!;
        if (c < 0xd800 || c > 0xdfff) word = isWordUnit(c);
        else if (c <= 0xdbff && i + 1 < n && (units[i + 1]! & 0xfc00) === 0xdc00) {
          word = isWordPair(c, units[i + 1]!);
          width = 2;
        }
        if (word) {
          if (start < 0) {
            start = i;
            hash = 0x811c9dc5;
          }
          hash = Math.imul(hash ^ c, 16777619);
          if (width === 2) hash = Math.imul(hash ^ units[i + 1]!, 16777619);
          i += width - 1;
          continue;
        }
      }
      if (start < 0) {
        i += width - 1;
        continue;
      }
      // -1: this spelling was counted for this document already
      const id = this.words.idIn(doc, units, start, i, hash);
      start = -1;
      i += width - 1;
      if (id < 0) continue;
      if (count === this.current.length) {
        const bigger = new Uint32Array(count * 2);
        bigger.set(this.current);
        this.current = bigger;
      }
      this.current[count++] = id;
    }
    // Spellings that fold alike ("Krieg", "krieg") share a term: keep it once.
    const sorted = this.current.subarray(0, count).sort();
    let distinct = 0;
    for (let k = 0; k < count; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) sorted[distinct++] = sorted[k]!;
    count = distinct;
    const ids = sorted;
    this.arena.varint(count);
    let prev = -1;
    for (let i = 0; i < count; i++) {
      this.arena.varint(ids[i]! - prev);
      prev = ids[i]!;
    }
  }

  finish(): Segment {
    const n = this.words.terms.length;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (this.words.terms[a]! < this.words.terms[b]! ? -1 : 1));
    const rank = new Uint32Array(n);
    order.forEach((local, r) => (rank[local] = r));
    const sizes = new Float64Array(n);
    const last = new Float64Array(n).fill(-1);
    this.forEachPosting((t, docNum) => {
      sizes[t] += varintLength(docNum - last[t]!);
      last[t] = docNum;
    }, rank);
    const offsets = new Uint32Array(n + 1);
    for (let t = 0; t < n; t++) offsets[t + 1] = offsets[t]! + sizes[t]!;
    const postings = new Uint8Array(offsets[n]!);
    const at = offsets.slice(0, n);
    last.fill(-1);
    this.forEachPosting((t, docNum) => {
      const v = docNum - last[t]!;
      last[t] = docNum;
      at[t] = writeVarint(postings, at[t]!, v);
    }, rank);
    return { terms: order.map((i) => this.words.terms[i]!), offsets, postings };
  }

  private forEachPosting(fn: (term: number, docNum: number) => void, rank: Uint32Array): void {
    const bytes = this.arena.bytes;
    const end = this.arena.length;
    const r = new VarintReader(bytes, 0);
    for (let doc = 0; r.pos < end; doc++) {
      const docNum = this.docNums[doc]!;
      let id = -1;
      for (let k = r.next(); k > 0; k--) {
        id += r.next();
        fn(rank[id]!, docNum);
      }
    }
  }
}
