import type { PackedTerms } from './packed-terms.js';
import type { PostingsFile } from './postings-file.js';

export { findTerm } from './packed-terms.js';

/**
 * An immutable inverted index over document numbers, packed for 100,000 articles: the terms sorted,
 * as bytes (packed-terms.ts), and for each term its ascending document numbers as varint gaps in one
 * shared byte array. A common word costs about a byte per article instead of the 8–16 a JS array of
 * numbers takes.
 */
export interface Segment extends PackedTerms {
  /** term i's postings are bytes offsets[i] to offsets[i + 1] */
  readonly offsets: Uint32Array;
  readonly postings: Uint8Array;
}

/**
 * The segment a search index serves from: its postings in memory, or left in the start-up cache
 * file (postings-file.ts). Builders and merges work on in-memory `Segment`s only.
 */
export interface IndexSegment extends PackedTerms {
  readonly offsets: Uint32Array;
  readonly postings: Uint8Array | PostingsFile;
}

export const EMPTY_SEGMENT: Segment = { termBytes: new Uint8Array(0), termStarts: new Uint32Array(1), offsets: new Uint32Array(1), postings: new Uint8Array(0) };

/** The segment with its postings in memory: itself, or a copy read from its file (for a merge or a write). */
export function inMemory(seg: IndexSegment): Segment {
  const p = seg.postings;
  return p instanceof Uint8Array ? { ...seg, postings: p } : { ...seg, postings: p.read(0, p.length) };
}

/** The document numbers of term index `t`, ascending. */
export function decodePostings(seg: IndexSegment, t: number): Uint32Array {
  const p = seg.postings;
  let start = seg.offsets[t]!;
  let end = seg.offsets[t + 1]!;
  let bytes: Uint8Array;
  if (p instanceof Uint8Array) bytes = p;
  else {
    // One pread of just this term's list.
    bytes = p.read(start, end);
    end -= start;
    start = 0;
  }
  const r = new VarintReader(bytes, start);
  const out = new Uint32Array(end - r.pos);
  let n = 0;
  let prev = -1;
  while (r.pos < end) out[n++] = prev += r.next();
  return out.subarray(0, n);
}

/** Reads varints (7 bits a byte, low first, high bit = more) one after another; values may exceed 2^31. */
export class VarintReader {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
  ) {}

  next(): number {
    const bytes = this.bytes;
    let p = this.pos;
    let b = bytes[p++]!;
    let v = b & 0x7f;
    for (let scale = 128; b & 0x80; scale *= 128) {
      b = bytes[p++]!;
      v += (b & 0x7f) * scale;
    }
    this.pos = p;
    return v;
  }
}

/** Bytes of varint `v`, for 0 < v < 2^32 (0 gives 0), without a branch: ceil(bits / 7), bits from clz32. */
export function varintLength(v: number): number {
  return ((38 - Math.clz32(v)) * 37) >> 8;
}

/** Write varint `v` at `bytes[p]`; returns the position after it. */
export function writeVarint(bytes: Uint8Array, p: number, v: number): number {
  while (v >= 0x80) {
    bytes[p++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  bytes[p++] = v;
  return p;
}

/** A growable byte array for varints. */
export class ByteWriter {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity = 1 << 16) {
    this.bytes = new Uint8Array(capacity);
  }

  varint(v: number): void {
    if (this.length + 5 > this.bytes.length) this.reserve(5);
    this.length = writeVarint(this.bytes, this.length, v);
  }

  /** Append `src[from, to)` as it is. */
  bytesFrom(src: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (this.length + n > this.bytes.length) this.reserve(n);
    this.bytes.set(src.subarray(from, to), this.length);
    this.length += n;
  }

  /** The written bytes in an array of their own size, so the spare capacity is freed. */
  take(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  /** Room for `n` more bytes; returns `bytes`, which this may replace. */
  reserve(n: number): Uint8Array {
    if (this.length + n > this.bytes.length) {
      const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n + 5));
      bigger.set(this.bytes.subarray(0, this.length));
      this.bytes = bigger;
    }
    return this.bytes;
  }
}
