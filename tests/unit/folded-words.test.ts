import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { titleKey } from '../../src/archive/archive.js';
import { tokenize } from '../../src/search/fold.js';
import { FoldedWords, scanFoldedWords } from '../../src/search/folded-words.js';
import { SEED } from '../helpers/gopher.js';

/** The folded words the byte scanner finds in `text`, as strings. */
function scan(text: string, skipReferences = false): string[] {
  const words = new FoldedWords();
  const bytes = Buffer.from(text, 'utf8');
  scanFoldedWords(bytes, 0, bytes.length, skipReferences, words);
  expect(words.joined()).toBe(words.toStrings().join(' '));
  return words.toStrings();
}

describe('scanFoldedWords: folded words straight from UTF-8 bytes', () => {
  it('folds case, umlauts, ae/oe/ue, ß and accents as foldWord does', () => {
    expect(scan('Führung FUEHRUNG fuhrung Straße STRAẞE Öl Œuvre café')).toEqual(['fuhrung', 'fuhrung', 'fuhrung', 'strasse', 'strasse', 'ol', 'œuvre', 'cafe']);
    // The rule drops an e after a, o, u as the word was before: "aee" keeps its second e.
    expect(scan('aee Äe Bauer QUEUE ÄÖÜ aeae')).toEqual(['ae', 'a', 'baur', 'quu', 'aou', 'aa']);
    expect(scan('İstanbul ΟΔΟΣ σας ǅemal ﬁnal 한국 𝐀𝐁c x²')).toEqual(['istanbul', 'οδος', 'σας', 'ǆemal', 'ﬁnal', '\u1112\u1161\u11ab\u1100\u116e\u11a8', '𝐀𝐁c', 'x²']);
    // (Hangul syllables come apart into their letters under NFD, as in foldWord.)
  });

  it('splits at everything but letters and digits, combining marks too', () => {
    expect(scan('„Zitat“–Ende… 4,5 e\u0301t a\u00a0b x\u2028y')).toEqual(['zitat', 'ende', '4', '5', 'e', 't', 'a', 'b', 'x', 'y']);
    expect(scan('')).toEqual([]);
    expect(scan(' .,; ')).toEqual([]);
  });

  it('leaves out [n] reference numbers only when asked, and only ASCII digits between brackets', () => {
    const line = '[1][Zitat] x[23]y [4a] [٣] [[5]] [6 [7]8]';
    expect(scan(line, true)).toEqual(['zitat', 'x', 'y', '4a', '٣', '6', '8']);
    expect(scan(line, true)).toEqual(tokenize(line.replace(/\[\d+\]/g, ' ')));
    expect(scan(line, false)).toEqual(['1', 'zitat', 'x', '23', 'y', '4a', '٣', '5', '6', '7', '8']);
  });

  it('gives tokenize() of the seed article', () => {
    const text = readFileSync(SEED, 'utf8');
    expect(scan(text)).toEqual(tokenize(text));
  });

  it('gives tokenize() for every UTF-16 unit, alone and between letters', () => {
    const bad: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCharCode(c);
      for (const text of [ch, `a${ch}e`, `${ch}e${ch}${ch}`, `Σ${ch}`]) {
        if (JSON.stringify(scan(text)) !== JSON.stringify(tokenize(text))) bad.push(c.toString(16));
      }
    }
    expect(bad).toEqual([]);
  });

  it('gives tokenize() for any text of tricky letters', () => {
    const alphabet = [...'aeouAEOUäöüÄÖÜßẞéÉçıİΣσςΐ한ŉǅ𝐀𝐁0123456789[] -.\u00a0\u0301\u0308ﬁ½'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }), fc.string({ maxLength: 40, unit: 'grapheme' }), (letters, any) => {
        for (const text of [letters.join(''), any]) {
          expect(scan(text)).toEqual(tokenize(text));
          expect(titleKey(text)).toBe(tokenize(text).join(' '));
          expect(scan(text, true)).toEqual(tokenize(text.replace(/\[\d+\]/g, ' ')));
        }
      }),
      { numRuns: 3000 },
    );
  });
});
