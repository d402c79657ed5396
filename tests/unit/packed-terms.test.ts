import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CACHE_FILE, readCache, writeCache } from '../../src/archive/cache.js';
import { concatSegments, mergeSegments, segmentFromMap } from '../../src/search/merge-segments.js';
import { compareTermBytes, termAt, termCount } from '../../src/search/packed-terms.js';
import { decodePostings, findTerm, type Segment } from '../../src/search/postings.js';
import { SegmentBuilder } from '../../src/search/segment-builder.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Terms in JS string order, written out by hand: `𠀀` (U+20000, F0 A0 80 80 in UTF-8) comes before
 * the fullwidth `ｇｏｐｈｅｒ` (U+FF47…, EF BD 87…) as JS compares strings, though its bytes are greater.
 */
const SORTED = ['a', 'ab', 'b', 'geltbräßismus', 'zürich', 'мир', '𠀀', '𠀀x', 'ｇｏｐｈｅｒ'];
const SORTED_HEX =
  '61 0a 61 62 0a 62 0a 67 65 6c 74 62 72 c3 a4 c3 9f 69 73 6d 75 73 0a 7a c3 bc 72 69 63 68 0a d0 bc d0 b8 d1 80 0a ' +
  'f0 a0 80 80 0a f0 a0 80 80 78 0a ef bd 87 ef bd 8f ef bd 90 ef bd 88 ef bd 85 ef bd 92';
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').replace(/(..)(?!$)/g, '$1 ');

/** Term i is in documents i and 100 + i. */
function segmentOf(terms: readonly string[]): Segment {
  return segmentFromMap(new Map(terms.map((t, i) => [t, [i, 100 + i]])));
}

/** Every term of a segment, read from its bytes without the code under test. */
const termsOf = (seg: Segment): string[] => (seg.termBytes.length === 0 ? [] : Buffer.from(seg.termBytes).toString('utf8').split('\n'));

describe('packed terms', () => {
  const seg = segmentOf([...SORTED].reverse());

  it('are the UTF-8 bytes of the terms in JS string order, joined by LF', () => {
    expect(hex(seg.termBytes)).toBe(SORTED_HEX);
    expect([...seg.termStarts]).toEqual([0, 2, 5, 7, 23, 31, 38, 43, 49, 68]);
    expect(termCount(seg)).toBe(9);
    expect(SORTED.map((_, i) => termAt(seg, i))).toEqual(SORTED);
  });

  it('are found, non-ASCII and astral ones too, with their postings', () => {
    SORTED.forEach((t, i) => {
      expect(findTerm(seg, t), t).toBe(i);
      expect([...decodePostings(seg, findTerm(seg, t))], t).toEqual([9 - 1 - i, 100 + 9 - 1 - i]);
    });
  });

  it('miss prefixes, extensions and neighbours of terms', () => {
    for (const t of ['', 'aa', 'c', 'geltbräßismu', 'geltbräßismuss', 'geltbrassismus', 'zurich', 'ми', 'мирр', '𠀁', '\u{1ffff}', 'ｇｏｐｈｅ', 'ｇｏｐｈｅｒｓ', '\uffff', 'zz']) {
      expect(findTerm(seg, t), t).toBe(-1);
    }
  });

  it('compare as JS compares the strings they encode', () => {
    const words = [...SORTED, '', 'a\u00e4', 'aé', '\ue000', '\uffef', '\u{10000}', '\u{10ffff}', 'x\u{1d4b6}', 'x\ufb01', 'x\u07ff', 'x\u0800', 'x'];
    for (const a of words) {
      for (const b of words) {
        const [x, y] = [Buffer.from(a), Buffer.from(b)];
        const want = a === b ? 0 : a < b ? -1 : 1;
        expect(Math.sign(compareTermBytes(x, 0, x.length, y, 0, y.length)), `${a} vs ${b}`).toBe(want);
      }
    }
  });

  it('keep their order and bytes when segments merge, live or with removals', () => {
    const left = segmentOf(['ｇｏｐｈｅｒ', 'мир', 'a']);
    const right = segmentOf(['𠀀', 'мир', 'b', 'geltbräßismus']);
    const joined = concatSegments([left, right], [0, 1000]);
    expect(termsOf(joined)).toEqual(['a', 'b', 'geltbräßismus', 'мир', '𠀀', 'ｇｏｐｈｅｒ']);
    expect([...decodePostings(joined, findTerm(joined, 'мир'))]).toEqual([1, 101, 1001, 1101]);
    expect([...decodePostings(joined, findTerm(joined, '𠀀'))]).toEqual([1000, 1100]);
    // Dropping both documents of `a` drops the term; `ｇｏｐｈｅｒ` keeps one.
    const merged = mergeSegments([left, right], (n) => n !== 2 && n !== 102 && n !== 100, [0, 1000]);
    expect(termsOf(merged)).toEqual(['b', 'geltbräßismus', 'мир', '𠀀', 'ｇｏｐｈｅｒ']);
    expect(hex(merged.termBytes)).toBe(SORTED_HEX.slice(SORTED_HEX.indexOf('62 0a 67')).replace(' 0a 7a c3 bc 72 69 63 68', '').replace(' 0a f0 a0 80 80 78', ''));
    expect([...merged.termStarts]).toEqual([0, 2, 18, 25, 30, 49]);
    expect([...decodePostings(merged, findTerm(merged, 'ｇｏｐｈｅｒ'))]).toEqual([0]);
    expect(findTerm(merged, 'a')).toBe(-1);
    expect(termCount(mergeSegments([left], () => false))).toBe(0);
  });

  it('come out of the cold start indexer as out of a live map', () => {
    const b = new SegmentBuilder();
    b.add(0, 'Ｇｏｐｈｅｒ 𠀀 МИР');
    b.add(1, 'мир 𠀀x zürich ｇｏｐｈｅｒ');
    const seg = b.finish();
    expect(termsOf(seg)).toEqual(['zurich', 'мир', '𠀀', '𠀀x', 'ｇｏｐｈｅｒ']);
    expect([...decodePostings(seg, findTerm(seg, 'ｇｏｐｈｅｒ'))]).toEqual([0, 1]);
  });
});

describe('the terms section of the start-up cache', () => {
  const seg = segmentOf(SORTED);

  it('is the packed bytes as they are, and reads back into the same arrays', () => {
    const dir = tempDir('gopherpress-terms-');
    writeCache(dir, 'v-test', { segment: seg, docs: [] }).close();
    const file = readFileSync(path.join(dir, CACHE_FILE));
    const headerLength = file.readUInt32LE(8);
    const header = JSON.parse(file.toString('utf8', 12, 12 + headerLength)) as { sections: { terms: number } };
    expect(header.sections.terms).toBe(67);
    const at = (12 + headerLength + 3) & ~3;
    expect(hex(file.subarray(at, at + 67))).toBe(SORTED_HEX);
    expect(file.subarray(at + 67, at + 68)).toEqual(Buffer.from([0])); // padded to 4 bytes

    const cache = readCache(dir, 'v-test')!;
    const back = cache.segment;
    expect(hex(back.termBytes)).toBe(SORTED_HEX);
    expect([...back.termStarts]).toEqual([...seg.termStarts]);
    // The postings are read from the file, term by term.
    SORTED.forEach((t, i) => expect([...decodePostings(back, findTerm(back, t))], t).toEqual([i, 100 + i]));
    expect(findTerm(back, 'geltbräßismu')).toBe(-1);
    cache.postings.close();
  });

  it('is refused when it holds another number of terms than the offsets, or an empty one', () => {
    const dir = tempDir('gopherpress-terms-');
    writeCache(dir, 'v-test', { segment: seg, docs: [] }).close();
    const file = path.join(dir, CACHE_FILE);
    const good = readFileSync(file);
    const at = good.indexOf(Buffer.from('a\nab\n'));
    // One LF fewer (`a ab` as one term), then an empty term (`a\n\nb`), same length each time.
    for (const [from, to] of [['a\nab\n', 'a ab\n'], ['a\nab\nb', 'a\n\nbbb']] as const) {
      writeFileSync(file, Buffer.concat([good.subarray(0, at), Buffer.from(to), good.subarray(at + from.length)]));
      expect(readCache(dir, 'v-test'), JSON.stringify(to)).toBeUndefined();
    }
    writeFileSync(file, good);
    readCache(dir, 'v-test')!.postings.close();
  });

  it('round-trips an empty index', () => {
    const dir = tempDir('gopherpress-terms-');
    writeCache(dir, 'v-test', { segment: segmentFromMap(new Map()), docs: [] }).close();
    const cache = readCache(dir, 'v-test')!;
    cache.postings.close();
    const back = cache.segment;
    expect(termCount(back)).toBe(0);
    expect(findTerm(back, 'a')).toBe(-1);
  });
});
