import { describe, expect, it } from 'vitest';
import { SearchIndex } from '../../src/search/search-index.js';
import { decodePostings, findTerm } from '../../src/search/postings.js';
import { concatSegments, mergeSegments } from '../../src/search/merge-segments.js';
import { SegmentBuilder } from '../../src/search/segment-builder.js';
import { readdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { CACHE_FILE, writeCache } from '../../src/archive/cache.js';
import { tempDir } from '../helpers/tmp.js';

/** An independent reference: documents as sets of lower-cased words, scanned the slow way. */
function referenceMatch(docs: Map<string, string>, terms: string[]): string[] {
  const out: string[] = [];
  for (const [key, text] of docs) {
    const words = new Set([...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => m[0].toLowerCase()));
    if (terms.every((t) => words.has(t))) out.push(key);
  }
  return out.sort();
}

/** Deterministic texts over a small vocabulary, so words meet in many documents. */
function corpus(n: number): Map<string, string> {
  const vocab = ['krieg', 'frieden', 'rom', 'kiew', 'berlin', 'wahl', 'streik', 'miete', 'klima', 'gericht', 'zug', 'hafen'];
  const docs = new Map<string, string>();
  let x = 7;
  for (let i = 0; i < n; i++) {
    const words: string[] = [];
    for (let k = 0; k < 20; k++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      words.push(vocab[x % vocab.length]!);
    }
    docs.set(`doc${i}`, words.join(' ') + ` solo${i}`);
  }
  return docs;
}

const QUERIES = [['krieg'], ['krieg', 'rom'], ['miete', 'hafen', 'zug'], ['solo5'], ['solo5', 'krieg'], ['nirgends'], ['berlin', 'nirgends']];

describe('SearchIndex', () => {
  const docs = corpus(3000);
  const all = [...docs];
  /** Documents from..to-1 indexed elsewhere (as a cold start's thread does), numbered from 0. */
  const part = (from: number, to: number): { keys: string[]; segment: ReturnType<SegmentBuilder['finish']> } => {
    const b = new SegmentBuilder();
    all.slice(from, to).forEach(([, t], i) => b.add(i, t));
    return { keys: all.slice(from, to).map(([k]) => k), segment: b.finish() };
  };

  it('answers like the reference when filled word by word, in bulk, or both', () => {
    const live = new SearchIndex<string>();
    for (const [k, t] of docs) live.add(k, t);
    const bulk = new SearchIndex<string>();
    bulk.beginBulk();
    for (const [k, t] of docs) bulk.add(k, t);
    bulk.endBulk();
    const mixed = new SearchIndex<string>();
    let i = 0;
    for (const [k, t] of docs) {
      if (i++ % 500 === 0) mixed.compact();
      mixed.add(k, t);
    }
    for (const q of QUERIES) {
      const want = referenceMatch(docs, q);
      expect(live.matchAll(q).sort(), q.join(' ')).toEqual(want);
      expect(bulk.matchAll(q).sort(), q.join(' ')).toEqual(want);
      expect(mixed.matchAll(q).sort(), q.join(' ')).toEqual(want);
    }
  });

  it('forgets removed and replaced documents, before and after compaction', () => {
    const idx = new SearchIndex<string>();
    idx.beginBulk();
    for (const [k, t] of docs) idx.add(k, t);
    idx.endBulk();
    const now = new Map(docs);
    for (let i = 0; i < 3000; i += 3) {
      idx.remove(`doc${i}`);
      now.delete(`doc${i}`);
    }
    idx.add('doc1', 'hafen neu');
    now.set('doc1', 'hafen neu');
    for (const q of [...QUERIES, ['neu'], ['solo1']]) expect(idx.matchAll(q).sort(), q.join(' ')).toEqual(referenceMatch(now, q));
    idx.compact();
    for (const q of [...QUERIES, ['neu'], ['solo1']]) expect(idx.matchAll(q).sort(), q.join(' ')).toEqual(referenceMatch(now, q));
    expect(idx.size).toBe(now.size);
  });

  it('takes parts indexed elsewhere, each numbered from 0, after what it holds (with and without removals)', () => {
    for (const removeOne of [false, true]) {
      const idx = new SearchIndex<string>();
      for (const [k, t] of all.slice(0, 1000)) idx.add(k, t);
      const now = new Map(all.slice(0, 1000));
      if (removeOne) {
        idx.remove('doc7');
        now.delete('doc7');
      }
      idx.addIndexed([part(1000, 1900), part(1900, 1901), part(1901, 3000)]);
      for (const [k, t] of all.slice(1000)) now.set(k, t);
      for (const q of [...QUERIES, ['solo1000'], ['solo1900'], ['solo2999'], ['solo7']]) expect(idx.matchAll(q).sort(), q.join(' ')).toEqual(referenceMatch(now, q));
    }
  });

  it('searches parts indexed elsewhere before they are joined, through live changes, and joins them as concatSegments does', () => {
    // A cold start: an empty index takes the threads' parts, and serves before anything joins them.
    const parts = [part(0, 1400), part(1400, 1401), part(1401, 3000)];
    const idx = new SearchIndex<string>();
    idx.addIndexed(parts);
    const now = new Map(docs);
    const check = (): void => {
      for (const q of [...QUERIES, ['solo0'], ['solo1400'], ['solo2999'], ['neu'], ['neu', 'hafen']]) expect(idx.matchAll(q).sort(), q.join(' ')).toEqual(referenceMatch(now, q));
    };
    check();
    // The cache's snapshot joins them, byte for byte as the threads' parts were joined before.
    const joined = concatSegments(parts.map((p) => p.segment), [0, 1400, 1401]);
    const snap = idx.snapshot().segment;
    expect(Buffer.from(snap.postings as Uint8Array).equals(Buffer.from(joined.postings))).toBe(true);
    expect(Buffer.from(snap.termBytes).equals(Buffer.from(joined.termBytes))).toBe(true);
    expect([...snap.offsets]).toEqual([...joined.offsets]);
    check();
    // Live changes on top of parts not yet joined: removed, replaced, added after them.
    const again = new SearchIndex<string>();
    again.addIndexed([part(0, 1400), part(1400, 3000)]);
    for (const k of ['doc3', 'doc1400', 'doc2999']) {
      again.remove(k);
      now.delete(k);
    }
    again.add('doc5', 'hafen neu');
    now.set('doc5', 'hafen neu');
    again.add('extra', 'neu krieg');
    now.set('extra', 'neu krieg');
    for (const q of [...QUERIES, ['solo0'], ['solo3'], ['solo1400'], ['solo2999'], ['neu'], ['neu', 'hafen'], ['neu', 'krieg']]) {
      expect(again.matchAll(q).sort(), q.join(' ')).toEqual(referenceMatch(now, q));
    }
    again.compact();
    for (const q of [...QUERIES, ['solo3'], ['neu'], ['neu', 'krieg']]) expect(again.matchAll(q).sort(), q.join(' ')).toEqual(referenceMatch(now, q));
    expect(again.size).toBe(now.size);
  });

  it('survives a snapshot and restore, the start-up cache round trip', () => {
    const idx = new SearchIndex<string>();
    for (const [k, t] of docs) idx.add(k, t);
    idx.remove('doc2');
    const { segment, docs: keys } = idx.snapshot();
    const back = new SearchIndex<string>();
    back.restore(segment, keys);
    const now = new Map(docs);
    now.delete('doc2');
    for (const q of QUERIES) expect(back.matchAll(q).sort()).toEqual(referenceMatch(now, q));
  });
});

describe('postings left in the start-up cache file', () => {
  const docs = corpus(3000);
  const openFds = (): number => readdirSync('/proc/self/fd').length;

  it('answer from the file written, even once it is replaced and deleted, and go back to memory on a merge', () => {
    const dir = tempDir('gopherpress-postings-');
    const before = openFds();
    const idx = new SearchIndex<string>();
    const now = new Map(docs);
    for (const [k, t] of docs) idx.add(k, t);
    const { segment, docs: keys } = idx.snapshot();
    idx.keepPostingsIn(segment, writeCache(dir, 'v-test', { segment, docs: [] }));
    expect(openFds()).toBe(before + 1);
    // Another cache renamed over it, then none at all: the index still reads the file it wrote.
    const other = new SearchIndex<string>();
    other.add('x', 'krieg und frieden');
    writeCache(dir, 'v-test', { segment: other.snapshot().segment, docs: [] }).close();
    unlinkSync(path.join(dir, CACHE_FILE));
    for (const q of QUERIES) expect(idx.matchAll(q).sort(), q.join(' ')).toEqual(referenceMatch(now, q));
    expect(keys).toHaveLength(docs.size);
    // Additions, a removal, a compaction: the merge reads the file once and lets it go.
    idx.add('neu1', 'krieg rom solo-neu');
    now.set('neu1', 'krieg rom solo-neu');
    idx.remove('doc3');
    now.delete('doc3');
    idx.compact();
    expect(openFds()).toBe(before);
    for (const q of [...QUERIES, ['solo', 'neu']]) expect(idx.matchAll(q).sort(), q.join(' ')).toEqual(referenceMatch(now, q));
    // Written again: served from the new file, the same answers.
    const again = idx.snapshot().segment;
    idx.keepPostingsIn(again, writeCache(dir, 'v-test', { segment: again, docs: [] }));
    expect(openFds()).toBe(before + 1);
    for (const q of QUERIES) expect(idx.matchAll(q).sort(), q.join(' ')).toEqual(referenceMatch(now, q));
  });

  it('are closed at once when the index changed while the cache was written', () => {
    const dir = tempDir('gopherpress-postings-');
    const before = openFds();
    const idx = new SearchIndex<string>();
    for (const [k, t] of docs) idx.add(k, t);
    const { segment } = idx.snapshot();
    const file = writeCache(dir, 'v-test', { segment, docs: [] });
    idx.add('spaet', 'krieg');
    idx.compact();
    idx.keepPostingsIn(segment, file);
    expect(openFds()).toBe(before);
    expect(idx.matchAll(['krieg'])).toContain('spaet');
  });
});

describe('packed postings', () => {
  it('store large document numbers and gaps exactly', () => {
    const b = new SegmentBuilder();
    const nums = [0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 268_435_455, 268_435_456, 4_000_000_000];
    for (const n of nums) b.add(n, 'wort');
    const seg = b.finish();
    expect([...decodePostings(seg, findTerm(seg, 'wort'))]).toEqual(nums);
    const merged = mergeSegments([seg], (n) => n !== 128);
    expect([...decodePostings(merged, findTerm(merged, 'wort'))]).toEqual(nums.filter((n) => n !== 128));
  });
});

describe('joining segments of consecutive document ranges', () => {
  it('gives every word the documents of all segments, in order, across multi-byte gaps', () => {
    const docs: [number, string][][] = [
      [[0, 'krieg frieden'], [5, 'krieg'], [200, 'frieden']],
      [[201, 'frieden'], [70_000, 'krieg nur'], [70_001, 'nur']],
      [[3_000_000, 'krieg'], [3_000_129, 'frieden krieg']],
    ];
    const segments = docs.map((part) => {
      const b = new SegmentBuilder();
      for (const [n, text] of part) b.add(n, text);
      return b.finish();
    });
    const joined = concatSegments(segments);
    expect(Buffer.from(joined.termBytes).toString('latin1')).toBe('frieden\nkrieg\nnur');
    const list = (t: string): number[] => [...decodePostings(joined, findTerm(joined, t))];
    expect(list('krieg')).toEqual([0, 5, 70_000, 3_000_000, 3_000_129]);
    expect(list('frieden')).toEqual([0, 200, 201, 3_000_129]);
    expect(list('nur')).toEqual([70_000, 70_001]);
  });
});

describe('the cold start indexer', () => {
  it('keeps words apart that share 12 or 16 leading bytes, across a growing table', () => {
    const long = 'donaudampfschifffahrtsgesellschaft';
    const words = (i: number): string[] => [`wort${i}`, `${long}${i}`, `${long.slice(0, 12)}${i}`, `${long.slice(0, 16)}x${i}`, `${long.slice(0, 16)}`];
    const b = new SegmentBuilder();
    const n = 60_000; // past the first two doublings of the table
    for (let i = 0; i < n; i++) b.add(i, words(i).join(' ') + ' ' + words(i >> 1).join(' '));
    const seg = b.finish();
    expect(seg.termStarts.length).toBe(4 * n + 2);
    const docs = (t: string): number[] => [...decodePostings(seg, findTerm(seg, t))];
    for (const i of [0, 1, 777, 43_690, 59_999]) {
      const want = i < n / 2 ? [i, 2 * i, 2 * i + 1].filter((d, k, a) => a.indexOf(d) === k && d < n).sort((x, y) => x - y) : [i];
      for (const w of words(i).slice(0, 4)) expect(docs(w), w).toEqual(want);
    }
    expect(docs(long.slice(0, 16))).toHaveLength(n);
  });
});
