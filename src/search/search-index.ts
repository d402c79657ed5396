import { foldWord, forEachWord } from './fold.js';
import { decodePostings, EMPTY_SEGMENT, findTerm, inMemory, type IndexSegment, type Segment } from './postings.js';
import { PostingsFile } from './postings-file.js';
import { termCount } from './packed-terms.js';
import { concatSegments, mergeSegments, segmentFromMap } from './merge-segments.js';
import { SegmentBuilder } from './segment-builder.js';

/**
 * The inverted index: folded word → documents. Documents get ascending numbers and are never
 * renumbered. Most of them live in one packed `Segment`; additions while the server runs go to small
 * arrays (`recent`), removals only forget the key, and `compact` folds both into a new segment when
 * they pile up. A scan of content/ adds through a `SegmentBuilder` (`beginBulk`/`endBulk`), so
 * 100,000 articles never sit in per-word JS arrays.
 */
export class SearchIndex<K> {
  private base: IndexSegment = EMPTY_SEGMENT;
  /**
   * Segments indexed elsewhere (a cold start's threads), numbered after `base` by their shift and
   * searched as they are until the next merge: joining two 100,000-article halves took 0.7 s that a
   * cold start waited for before serving; the start-up cache's snapshot joins them after it serves.
   */
  private pending: { readonly segment: Segment; readonly shift: number }[] = [];
  private recent = new Map<string, number[]>();
  private recentDocs = 0;
  private removedInBase = 0;
  private docs: (K | undefined)[] = [];
  private readonly numOf = new Map<K, number>();
  private bulk?: SegmentBuilder;

  get size(): number {
    return this.numOf.size;
  }

  add(key: K, text: string): void {
    this.remove(key);
    const num = this.docs.length;
    this.docs.push(key);
    this.numOf.set(key, num);
    if (this.bulk) return this.bulk.add(num, text);
    const terms = new Set<string>();
    forEachWord(text, (w) => terms.add(foldWord(w)));
    for (const term of terms) {
      const list = this.recent.get(term);
      if (list) list.push(num);
      else this.recent.set(term, [num]);
    }
    this.recentDocs++;
  }

  remove(key: K): void {
    const num = this.numOf.get(key);
    if (num === undefined) return;
    this.numOf.delete(key);
    this.docs[num] = undefined;
    this.removedInBase++;
  }

  /** Many additions to come: collect them packed until `endBulk` (not searchable until then). */
  beginBulk(): void {
    this.bulk ??= new SegmentBuilder();
  }

  get inBulk(): boolean {
    return this.bulk !== undefined;
  }

  endBulk(): void {
    const b = this.bulk;
    if (!b) return;
    this.bulk = undefined;
    if (b.documents > 0) this.merge([b.finish()], [0]);
  }

  /**
   * Add documents indexed elsewhere (the cold start's threads): each part's segment numbers its keys
   * from 0, in order; they get the next numbers here, part after part.
   */
  addIndexed(parts: readonly { readonly keys: readonly K[]; readonly segment: Segment }[]): void {
    this.endBulk();
    const offsets: number[] = [];
    for (const part of parts) {
      offsets.push(this.docs.length);
      for (const key of part.keys) {
        this.remove(key);
        this.numOf.set(key, this.docs.length);
        this.docs.push(key);
      }
    }
    const segments = parts.map((p) => p.segment);
    // Kept apart only while their numbers follow on from everything else's (nothing live was added).
    if (this.recentDocs > 0) this.merge(segments, offsets);
    else segments.forEach((segment, i) => termCount(segment) > 0 && this.pending.push({ segment, shift: offsets[i]! }));
  }

  /** Fold the live additions into the packed segment once they are worth the copy. */
  maybeCompact(): void {
    if (this.bulk) return;
    const docsInBase = this.docs.length - this.recentDocs;
    if (this.recentDocs > 1000 + docsInBase / 20 || this.removedInBase > 1000 + docsInBase / 4) this.compact();
  }

  compact(): void {
    this.merge([], []);
  }

  /** Keys of the live documents that contain every folded term. */
  matchAll(terms: readonly string[]): K[] {
    if (terms.length === 0) return [];
    const lists: ArrayLike<number>[] = [];
    for (const t of new Set(terms)) {
      const l = this.postings(t);
      if (l.length === 0) return [];
      lists.push(l);
    }
    lists.sort((a, b) => a.length - b.length);
    let acc = lists[0]!;
    for (let i = 1; i < lists.length && acc.length > 0; i++) acc = intersect(acc, lists[i]!);
    const out: K[] = [];
    for (let i = 0; i < acc.length; i++) {
      const k = this.docs[acc[i]!];
      if (k !== undefined) out.push(k);
    }
    return out;
  }

  /** The packed state for the start-up cache: compacts first, so nothing lives outside the segment. */
  snapshot(): { segment: IndexSegment; docs: readonly (K | undefined)[] } {
    this.endBulk();
    if (this.recentDocs > 0 || this.removedInBase > 0 || this.pending.length > 0) this.compact();
    return { segment: this.base, docs: this.docs };
  }

  /** Start from a cached snapshot; `docs[n]` undefined marks a document no longer in the archive. */
  restore(segment: IndexSegment, docs: readonly (K | undefined)[]): void {
    this.setBase(segment);
    this.pending = [];
    this.recent = new Map();
    this.recentDocs = 0;
    this.docs = [...docs];
    this.numOf.clear();
    this.removedInBase = 0;
    this.docs.forEach((k, n) => (k === undefined ? this.removedInBase++ : this.numOf.set(k, n)));
  }

  /**
   * `file` holds `segment`'s postings (the cache just written from a snapshot): serve from it and let
   * the copy in memory go, if the index has not changed since; otherwise just close it.
   */
  keepPostingsIn(segment: IndexSegment, file: PostingsFile): void {
    const p = this.base.postings;
    if (this.base !== segment || !(p instanceof Uint8Array) || p.length !== file.length) return file.close();
    this.setBase({ ...segment, postings: file });
  }

  /** Replace the base segment, closing the file the old one read from (nothing else reads it). */
  private setBase(segment: IndexSegment): void {
    const old = this.base.postings;
    this.base = segment;
    if (old instanceof PostingsFile && segment.postings !== old) old.close();
  }

  /** A term's documents, ascending: the base's, then each pending segment's (shifted), then the live additions'. */
  private postings(term: string): ArrayLike<number> {
    const lists: ArrayLike<number>[] = [];
    const t = findTerm(this.base, term);
    if (t >= 0) lists.push(decodePostings(this.base, t));
    for (const { segment, shift } of this.pending) {
      const p = findTerm(segment, term);
      if (p < 0) continue;
      const list = decodePostings(segment, p);
      for (let i = 0; i < list.length; i++) list[i]! += shift;
      lists.push(list);
    }
    const recent = this.recent.get(term);
    if (recent) lists.push(recent);
    if (lists.length === 1 && lists[0] instanceof Uint32Array) return lists[0];
    const all = new Uint32Array(lists.reduce((n, l) => n + l.length, 0));
    let at = 0;
    for (const l of lists) {
      all.set(l, at);
      at += l.length;
    }
    return all;
  }

  /** Fold `extra` (whose document numbers are `offsets` below this index's) and the live additions into the packed segment. */
  private merge(extra: readonly Segment[], offsets: readonly number[]): void {
    const parts: { segment: IndexSegment; offset: number }[] = [{ segment: this.base, offset: 0 }];
    for (const p of this.pending) parts.push({ segment: p.segment, offset: p.shift });
    if (this.recent.size > 0) parts.push({ segment: segmentFromMap(this.recent), offset: 0 });
    extra.forEach((segment, i) => parts.push({ segment, offset: offsets[i]! }));
    const nonEmpty = parts.filter((p) => termCount(p.segment) > 0);
    const shifts = nonEmpty.map((p) => p.offset);
    // A base left in the cache file is read into memory once, for the merge.
    const segments = (): Segment[] => nonEmpty.map((p) => inMemory(p.segment));
    if (this.removedInBase > 0) this.setBase(mergeSegments(segments(), (n) => this.docs[n] !== undefined, shifts));
    else if (nonEmpty.length === 0) this.setBase(EMPTY_SEGMENT);
    // A lone segment numbered as here, with nothing removed, is already the answer.
    else if (nonEmpty.length === 1 && shifts[0] === 0) this.setBase(nonEmpty[0]!.segment);
    else this.setBase(concatSegments(segments(), shifts));
    this.pending = [];
    this.recent = new Map();
    this.recentDocs = 0;
    this.removedInBase = 0;
  }
}

function intersect(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
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
