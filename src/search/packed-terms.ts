/**
 * A sorted list of folded terms kept as bytes, not strings: at 100,000 articles 140,000 JS strings
 * were 140,000 objects every full garbage collection had to mark; two typed arrays are two. The bytes
 * are the terms in UTF-8 joined by LF, exactly the cache file's terms section (src/archive/cache.ts),
 * so a warm start keeps what it read and only finds the line starts.
 *
 * Order stays JS string order (UTF-16 code units), the order the terms have always been sorted and
 * cached in: it differs from UTF-8 byte order only between U+E000–U+FFFF and U+10000 and above,
 * which `compareTermBytes` puts right.
 */
export interface PackedTerms {
  /** UTF-8, sorted in JS string order, LF after each term but the last */
  readonly termBytes: Uint8Array;
  /** term i is `termBytes[termStarts[i], termStarts[i + 1] - 1)`; one more entry than terms */
  readonly termStarts: Uint32Array;
}

const LF = 0x0a;
const utf8 = new TextEncoder();

export function termCount(t: PackedTerms): number {
  return t.termStarts.length - 1;
}

/** Term `i` as a string (for messages and tests; lookups and merges compare bytes). */
export function termAt(t: PackedTerms, i: number): string {
  const from = t.termStarts[i]!;
  return Buffer.from(t.termBytes.buffer, t.termBytes.byteOffset + from, t.termStarts[i + 1]! - 1 - from).toString('utf8');
}

/**
 * Compare UTF-8 `a[aFrom, aTo)` with `b[bFrom, bTo)` as JS compares the strings they encode. Byte
 * order is code point order, which is UTF-16 order except that a character U+E000–U+FFFF (lead byte
 * EE or EF) comes after one above U+FFFF (lead F0–F4, a surrogate pair in UTF-16). Before the first
 * difference the bytes are equal, so both sit at the same point of a character: two different lead
 * bytes there are where the two orders can disagree.
 */
export function compareTermBytes(a: Uint8Array, aFrom: number, aTo: number, b: Uint8Array, bFrom: number, bTo: number): number {
  const n = Math.min(aTo - aFrom, bTo - bFrom);
  for (let k = 0; k < n; k++) {
    const x = a[aFrom + k]!;
    const y = b[bFrom + k]!;
    if (x === y) continue;
    if (x >= 0xee && y >= 0xee && x >= 0xf0 !== y >= 0xf0) return x >= 0xf0 ? -1 : 1;
    return x - y;
  }
  return aTo - aFrom - (bTo - bFrom);
}

/** Term `i` of `a` against term `j` of `b`, in JS string order. */
export function compareTerms(a: PackedTerms, i: number, b: PackedTerms, j: number): number {
  return compareTermBytes(a.termBytes, a.termStarts[i]!, a.termStarts[i + 1]! - 1, b.termBytes, b.termStarts[j]!, b.termStarts[j + 1]! - 1);
}

/** Index of `term` in `t`, or -1: a binary search over the bytes. */
export function findTerm(t: PackedTerms, term: string): number {
  const key = utf8.encode(term);
  const { termBytes, termStarts } = t;
  let lo = 0;
  let hi = termStarts.length - 2;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareTermBytes(termBytes, termStarts[mid]!, termStarts[mid + 1]! - 1, key, 0, key.length);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Terms already sorted in JS string order (and free of LF, as folded words are), packed. */
export function packTerms(sorted: readonly string[]): PackedTerms {
  // TextEncoder gives an array of its own, not a slice of Buffer's shared pool.
  const termBytes = utf8.encode(sorted.join('\n'));
  const termStarts = new Uint32Array(sorted.length + 1);
  for (let i = 1, at = 0; i <= sorted.length; i++) {
    while (at < termBytes.length && termBytes[at] !== LF) at++;
    termStarts[i] = ++at;
  }
  return { termBytes, termStarts };
}

/**
 * Where each of the `count` LF-separated terms in `bytes` starts, or undefined if `bytes` holds
 * another number of them or an empty one (no word folds to nothing: such bytes are damaged).
 */
export function termStartsOf(bytes: Uint8Array, count: number): Uint32Array | undefined {
  const starts = new Uint32Array(count + 1);
  if (count === 0) return bytes.length === 0 ? starts : undefined;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  for (let i = 1; i < count; i++) {
    const lf = buf.indexOf(LF, at);
    if (lf <= at) return undefined;
    starts[i] = at = lf + 1;
  }
  if (at === bytes.length || buf.indexOf(LF, at) >= 0) return undefined;
  starts[count] = bytes.length + 1;
  return starts;
}

/** Packs terms one after another, in order, copying their bytes from other packed lists. */
export class TermsWriter {
  private bytes: Uint8Array;
  private length = 0;
  private starts: Uint32Array;
  private count = 0;

  constructor(byteCapacity = 1 << 12, termCapacity = 1 << 10) {
    this.bytes = new Uint8Array(byteCapacity);
    this.starts = new Uint32Array(termCapacity + 1);
  }

  /** Append term `i` of `from`. */
  add(from: PackedTerms, i: number): void {
    const start = from.termStarts[i]!;
    const end = from.termStarts[i + 1]! - 1;
    const sep = this.count > 0 ? 1 : 0;
    if (this.length + sep + end - start > this.bytes.length) this.bytes = grow(this.bytes, this.length, this.length + sep + end - start);
    if (this.count + 2 > this.starts.length) {
      const bigger = new Uint32Array(this.starts.length * 2);
      bigger.set(this.starts);
      this.starts = bigger;
    }
    if (sep) this.bytes[this.length++] = LF;
    this.starts[this.count++] = this.length;
    this.bytes.set(from.termBytes.subarray(start, end), this.length);
    this.length += end - start;
  }

  /** The terms written, in arrays of their own size. */
  take(): PackedTerms {
    this.starts[this.count] = this.count === 0 ? 0 : this.length + 1;
    return { termBytes: this.bytes.slice(0, this.length), termStarts: this.starts.slice(0, this.count + 1) };
  }
}

function grow(bytes: Uint8Array, used: number, need: number): Uint8Array {
  const bigger = new Uint8Array(Math.max(bytes.length * 2, need));
  bigger.set(bytes.subarray(0, used));
  return bigger;
}
