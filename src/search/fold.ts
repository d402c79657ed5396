/**
 * German-aware folding for search: case-insensitive, `ä` = `ae` = `a`, `ß` = `ss`.
 * Both the index and the query go through the same fold, so `Fuehrung`, `Führung` and `Fuhrung` meet.
 */
export function foldWord(word: string): string {
  let w = word.toLowerCase();
  if (/[^\x00-\x7f]/.test(w)) {
    w = w.replace(/ß/g, 'ss').normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  }
  return w.replace(/ae/g, 'a').replace(/oe/g, 'o').replace(/ue/g, 'u');
}

const WORD = /[\p{L}\p{N}]+/gu;

/** The folded words of a text, in order. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD)) out.push(foldWord(m[0]));
  return out;
}
