import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { foldWord, forEachWord, scanWords, tokenize } from '../../src/search/fold.js';
import { SEED } from '../helpers/gopher.js';

/** The definition the fast scanner must match: every run of letters and digits. */
const reference = (text: string): string[] => [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => m[0]);
const words = (text: string): string[] => {
  const out: string[] = [];
  forEachWord(text, (w) => out.push(w));
  return out;
};

describe('scanWords', () => {
  it('finds exactly the words the Unicode regex finds in the seed article', () => {
    const text = readFileSync(SEED, 'utf8');
    expect(words(text)).toEqual(reference(text));
    expect(words(text).length).toBeGreaterThan(800);
  });

  it('handles astral letters, lone surrogates, combining marks, digits and edges', () => {
    const samples = [
      '', ' ', 'a', 'Straße', '𝐀𝐁c d', 'x\ud800y', '\udc00z', 'e\u0301t', 'İstanbul', '123abc 4,5', '„Zitat“–Ende…',
      'ǅemal ﬁnal', '漢字 かな', 'a\u00a0b', 'end𝐀', '\ud835',
    ];
    for (const s of samples) expect(words(s), JSON.stringify(s)).toEqual(reference(s));
  });

  it('gives equal hashes to equal words wherever they stand', () => {
    const seen = new Map<string, number>();
    const text = 'Krieg und Frieden, Krieg! frieden Krieg';
    scanWords(text, (start, end, hash) => {
      const w = text.slice(start, end);
      if (seen.has(w)) expect(hash).toBe(seen.get(w));
      seen.set(w, hash);
    });
    expect(seen.size).toBe(4);
  });

  it('folds as before: case, umlauts, ae/oe/ue, ß', () => {
    expect(tokenize('Führung FUEHRUNG fuhrung Straße')).toEqual(['fuhrung', 'fuhrung', 'fuhrung', 'strasse']);
    expect(foldWord('Öl')).toBe('ol');
  });
});
