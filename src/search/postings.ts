import { isWordPair, isWordUnit } from './fold.js';
import { WordTable } from './word-table.js';

/**
 * An immutable inverted index over document numbers, packed for 100,000 articles: the terms sorted,
 * and for each term its ascending document numbers as varint gaps in one shared byte array. A common
 * word costs about a byte per article instead of the 8–16 a JS array of numbers takes.
 */
export interface Segment {
  /** sorted in JS string order, for binary search and merging */
  readonly terms: readonly string[];
  /** term i's postings are bytes offsets[i] to offsets[i + 1] */
  readonly offsets: Uint32Array;
  readonly postings: Uint8Array;
}

export const EMPTY_SEGMENT: Segment = { terms: [], offsets: new Uint32Array(1), postings: new Uint8Array(0) };

/** Index of `term` in the segment, or -1. */
export function findTerm(seg: Segment, term: string): number {
  let lo = 0;
  let hi = seg.terms.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const t = seg.terms[mid]!;
    if (t === term) return mid;
    if (t < term) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The document numbers of term index `t`, ascending. */
export function decodePostings(seg: Segment, t: number): Uint32Array {
  const bytes = seg.postings;
  const end = seg.offsets[t + 1]!;
  let p = seg.offsets[t]!;
  const out = new Uint32Array(end - p);
  let n = 0;
  let prev = -1;
  while (p < end) {
    let v = 0;
    let shift = 0;
    let b: number;
    do {
      b = bytes[p++]!;
      v += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    prev += v;
    out[n++] = prev;
  }
  return out.subarray(0, n);
}

function varintLength(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

/** A growable byte array for varints. */
class ByteWriter {
  bytes = new Uint8Array(1 << 16);
  length = 0;

  varint(v: number): void {
    if (this.length + 5 > this.bytes.length) {
      const bigger = new Uint8Array(this.bytes.length * 2);
      bigger.set(this.bytes.subarray(0, this.length));
      this.bytes = bigger;
    }
    while (v >= 0x80) {
      this.bytes[this.length++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.bytes[this.length++] = v;
  }

  /** Append `src[from, to)` as it is. */
  bytesFrom(src: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (this.length + n > this.bytes.length) {
      const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n + 5));
      bigger.set(this.bytes.subarray(0, this.length));
      this.bytes = bigger;
    }
    this.bytes.set(src.subarray(from, to), this.length);
    this.length += n;
  }

  /** The written bytes in an array of their own size, so the spare capacity is freed. */
  take(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

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
      let v = docNum - last[t]!;
      last[t] = docNum;
      let p = at[t]!;
      while (v >= 0x80) {
        postings[p++] = (v & 0x7f) | 0x80;
        v = Math.floor(v / 128);
      }
      postings[p++] = v;
      at[t] = p;
    }, rank);
    return { terms: order.map((i) => this.words.terms[i]!), offsets, postings };
  }

  private forEachPosting(fn: (term: number, docNum: number) => void, rank: Uint32Array): void {
    const bytes = this.arena.bytes;
    const end = this.arena.length;
    let p = 0;
    const read = (): number => {
      let v = 0;
      let shift = 0;
      let b: number;
      do {
        b = bytes[p++]!;
        v += (b & 0x7f) * 2 ** shift;
        shift += 7;
      } while (b & 0x80);
      return v;
    };
    for (let doc = 0; p < end; doc++) {
      const docNum = this.docNums[doc]!;
      let id = -1;
      for (let k = read(); k > 0; k--) {
        id += read();
        fn(rank[id]!, docNum);
      }
    }
  }
}

/** A segment of a few live additions kept as plain arrays (term → ascending document numbers). */
export function segmentFromMap(map: ReadonlyMap<string, readonly number[]>): Segment {
  const terms = [...map.keys()].sort((a, b) => (a < b ? -1 : 1));
  const offsets = new Uint32Array(terms.length + 1);
  const w = new ByteWriter();
  terms.forEach((t, i) => {
    let prev = -1;
    for (const d of map.get(t)!) {
      w.varint(d - prev);
      prev = d;
    }
    offsets[i + 1] = w.length;
  });
  return { terms, offsets, postings: w.take() };
}

/**
 * One segment from several whose document numbers don't overlap and ascend from one to the next,
 * keeping only the documents `live` accepts (removed articles are dropped here, not on removal).
 */
export function mergeSegments(segments: readonly Segment[], live: (docNum: number) => boolean): Segment {
  const terms: string[] = [];
  const offsets: number[] = [0];
  const w = new ByteWriter();
  const pos = segments.map(() => 0);
  for (;;) {
    let term: string | undefined;
    segments.forEach((s, i) => {
      const t = s.terms[pos[i]!];
      if (t !== undefined && (term === undefined || t < term)) term = t;
    });
    if (term === undefined) break;
    let prev = -1;
    segments.forEach((s, i) => {
      if (s.terms[pos[i]!] !== term) return;
      for (const d of decodePostings(s, pos[i]!)) {
        if (!live(d)) continue;
        w.varint(d - prev);
        prev = d;
      }
      pos[i]!++;
    });
    if (prev >= 0) {
      terms.push(term);
      offsets.push(w.length);
    }
  }
  return { terms, offsets: Uint32Array.from(offsets), postings: w.take() };
}

/**
 * `mergeSegments` when every document is live: a term's lists are joined by re-encoding only each
 * list's first gap and copying the rest of its bytes, with no array per term (the cold start joins its
 * threads' segments, 700,000 lists at 100k articles, this way).
 */
export function concatSegments(segments: readonly Segment[]): Segment {
  const terms: string[] = [];
  const offsets: number[] = [0];
  const w = new ByteWriter();
  const pos = segments.map(() => 0);
  for (;;) {
    let term: string | undefined;
    for (let i = 0; i < segments.length; i++) {
      const t = segments[i]!.terms[pos[i]!];
      if (t !== undefined && (term === undefined || t < term)) term = t;
    }
    if (term === undefined) break;
    let prev = -1;
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i]!;
      if (s.terms[pos[i]!] !== term) continue;
      const bytes = s.postings;
      let p = s.offsets[pos[i]!]!;
      const end = s.offsets[pos[i]! + 1]!;
      pos[i]!++;
      // Every gap of the list, summed, gives its documents; the first is re-encoded against `prev`.
      let doc = -1;
      let first = true;
      while (p < end) {
        let v = 0;
        let shift = 0;
        let b: number;
        do {
          b = bytes[p++]!;
          v += (b & 0x7f) * 2 ** shift;
          shift += 7;
        } while (b & 0x80);
        doc += v;
        if (first) {
          w.varint(doc - prev);
          w.bytesFrom(bytes, p, end);
          first = false;
        }
      }
      prev = doc;
    }
    terms.push(term);
    offsets.push(w.length);
  }
  return { terms, offsets: Uint32Array.from(offsets), postings: w.take() };
}
