import { describe, expect, it } from 'vitest';
import { foldText, tokenize } from '../../src/search/fold.js';

describe('foldText: the one fold of index and queries', () => {
  it('folds case, umlauts, ae/oe/ue and ß so that every spelling meets', () => {
    expect(tokenize('Führung FUEHRUNG fuhrung Straße STRASSE Öl oel')).toEqual(['fuhrung', 'fuhrung', 'fuhrung', 'strasse', 'strasse', 'ol', 'ol']);
    expect(tokenize('für fuer')).toEqual(['fur', 'fur']);
  });

  it('drops accents and keeps words where they stand, so phrases keep their order', () => {
    expect(foldText('Élysée-Palast, São Paulo')).toBe('elysee-palast, sao paulo');
    expect(foldText('„Zitat“ – Ende…')).toBe('„zitat“ – ende…');
    expect(tokenize('„Zitat“ – Ende… 𝐀𝐁c 漢字')).toEqual(['zitat', 'ende', '𝐀𝐁c', '漢字']);
  });

  it('splits at everything that is no letter or digit, as the full-text tokenizer does', () => {
    expect(tokenize('U-Bahn 4,5 a\u00a0b [12] e\u0301t')).toEqual(['u', 'bahn', '4', '5', 'a', 'b', '12', 'et']);
    expect(tokenize('')).toEqual([]);
  });
});
