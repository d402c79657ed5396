import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortedTermIds } from '../../src/search/term-order.js';

/** What sortedTermIds must give: ids ordered as JS orders their strings. */
function byComparator(terms: readonly string[]): number[] {
  return [...terms.keys()].sort((a, b) => (terms[a]! < terms[b]! ? -1 : 1));
}

describe('sortedTermIds: term ids in JS string order', () => {
  it('orders prefixes, letters beyond ASCII and astral letters as JS compares strings', () => {
    const terms = ['äz', 'öa', 'a', 'ab', 'abcd', 'abcde', 'abcdä', 'abcd0', 'z', '9', 'x\u{1d400}', 'x\uffe0', 'xä', 'xäa', 'ß', '한', 'abcc', 'abcdefghij', 'abcdefghijz', 'abcdefghia', 'abcdefghiä', 'abcdeäz', 'abcdeöa', 'abcde0'];
    expect([...sortedTermIds(terms)]).toEqual(byComparator(terms));
  });

  it('agrees with a comparator sort for any distinct terms', () => {
    // A small alphabet too, for terms that share ten units and more: the keys cover ten, ties are compared as strings.
    for (const unit of [fc.constantFrom(...'abcxyz0189äöüßéσς한\u{1d400}\uffe0ı'), fc.constantFrom(...'ab0ä')]) {
      fc.assert(
        fc.property(fc.uniqueArray(fc.array(unit, { minLength: 1, maxLength: 14 }).map((a) => a.join('')), { maxLength: 200 }), (terms) => {
          expect([...sortedTermIds(terms)]).toEqual(byComparator(terms));
        }),
        { numRuns: 300 },
      );
    }
  });
});
