/**
 * A seeded generator (sfc32) and a Zipf sampler: the archive generator must give the same bytes for
 * the same seed on every machine and Node version, so it never touches Math.random.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 20; i++) this.next();
  }

  /** A uniform number in [0, 1). */
  next(): number {
    this.a >>>= 0; this.b >>>= 0; this.c >>>= 0; this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** A whole number in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
}

/** Slices of [0, 1) in a Zipf sampler's guide. */
const GUIDE = 1 << 16;

/** Ranks 0..n-1 drawn with probability ∝ 1/(rank+1)^s: a few very common, a long tail of rare ones. */
export class Zipf {
  private readonly cumulative: Float64Array;
  /**
   * For each of GUIDE equal slices of [0, 1), the first rank whose cumulative share reaches it: a
   * draw searches only between its slice's bound and the next, not all 150,000 ranks (the generator
   * spent most of its time in that search). The result is the same rank the whole search finds.
   */
  private readonly guide: Uint32Array;

  constructor(n: number, s: number) {
    this.cumulative = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) this.cumulative[i] = sum += 1 / Math.pow(i + 1, s);
    for (let i = 0; i < n; i++) this.cumulative[i]! /= sum;
    this.guide = new Uint32Array(GUIDE + 1);
    for (let b = 0, i = 0; b <= GUIDE; b++) {
      while (i < n - 1 && this.cumulative[i]! < b / GUIDE) i++;
      this.guide[b] = i;
    }
  }

  sample(r: Random): number {
    const u = r.next();
    // The first rank with cumulative >= u lies between the bounds of u's slice (n - 1 at most).
    const b = Math.floor(u * GUIDE);
    let lo = this.guide[b]!;
    let hi = this.guide[b + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
