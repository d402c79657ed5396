/**
 * German-aware folding for search: case-insensitive, `ä` = `ae` = `a`, `ß` = `ss`, accents dropped.
 * The one fold: applied to every text before the full-text index sees it and to every query, so
 * `Fuehrung`, `Führung` and `Fuhrung` meet, and `Strasse` finds `Straße`.
 */
const folded = new Map<string, string>();

/** One non-ASCII character folded: `ß` → `ss`, `é` → `e` (its base letter without marks). */
function foldChar(c: string): string {
  let f = folded.get(c);
  if (f === undefined) {
    f = c === 'ß' ? 'ss' : c.normalize('NFD').replace(/\p{M}/gu, '');
    folded.set(c, f);
  }
  return f;
}

/** A whole text folded; words stay where they were, so phrases keep their order. */
export function foldText(text: string): string {
  // Per character, not a normalize() of the whole text: a table lookup is ten times faster on German.
  const lower = text.toLowerCase().replace(/[^\x00-\x7f]/g, foldChar);
  return lower.replace(/[aou]e/g, (m) => m[0]!);
}

const WORD = /[\p{L}\p{N}]+/gu;

/** The folded words of a text, in order: what the index finds as separate words. */
export function tokenize(text: string): string[] {
  return foldText(text).match(WORD) ?? [];
}
