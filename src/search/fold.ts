/**
 * German-aware folding for search: case-insensitive, `ä` = `ae` = `a`, `ß` = `ss`.
 * Both the index and the query go through the same fold, so `Fuehrung`, `Führung` and `Fuhrung` meet.
 */
export function foldWord(word: string): string {
  if (isFolded(word)) return word;
  let w = word.toLowerCase();
  if (/[^\x00-\x7f]/.test(w)) {
    w = w.replace(/ß/g, 'ss').normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  }
  return w.replace(/ae/g, 'a').replace(/oe/g, 'o').replace(/ue/g, 'u');
}

/** True when folding would not change `word`: ASCII lower case and digits with no ae, oe or ue (most words). */
function isFolded(word: string): boolean {
  let prev = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c > 0x7f || (c >= 0x41 && c <= 0x5a)) return false;
    if (c === 0x65 && (prev === 0x61 || prev === 0x6f || prev === 0x75)) return false; // ae oe ue
    prev = c;
  }
  return true;
}

const WORD_CHAR = /^[\p{L}\p{N}]$/u;
/** Per UTF-16 unit: 0 not yet known, 1 word character, 2 not; filled on first sight (indexing 700 MB must not run a regex per character). */
const BMP = new Uint8Array(65536);
for (let c = 0; c < 128; c++) BMP[c] = WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 2;

export function isWordUnit(c: number): boolean {
  let k = BMP[c]!;
  if (k === 0) BMP[c] = k = WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 2;
  return k === 1;
}

/** Whether the surrogate pair `hi lo` is an astral letter or digit. */
export function isWordPair(hi: number, lo: number): boolean {
  return WORD_CHAR.test(String.fromCharCode(hi, lo));
}

/**
 * Call `fn` with the bounds of every raw word of `text`: maximal runs of letters and digits, exactly
 * what `/[\p{L}\p{N}]+/gu` matches (astral letters included), and an FNV-1a hash of its UTF-16
 * units, so the indexer can look a word up without allocating a string for it.
 */
export function scanWords(text: string, fn: (start: number, end: number, hash: number) => void): void {
  const n = text.length;
  let start = -1;
  let hash = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let word: boolean;
    let width = 1;
    if (c < 0xd800 || c > 0xdfff) word = isWordUnit(c);
    else if (c <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      word = WORD_CHAR.test(text.slice(i, i + 2));
      width = 2;
    } else word = false;
    if (word) {
      if (start < 0) {
        start = i;
        hash = 0x811c9dc5;
      }
      hash = Math.imul(hash ^ c, 16777619);
      if (width === 2) hash = Math.imul(hash ^ text.charCodeAt(i + 1), 16777619);
    } else if (start >= 0) {
      fn(start, i, hash >>> 0);
      start = -1;
    }
    i += width - 1;
  }
  if (start >= 0) fn(start, n, hash >>> 0);
}

/** Call `fn` with every raw word of `text` (see `scanWords`). */
export function forEachWord(text: string, fn: (word: string) => void): void {
  scanWords(text, (start, end) => fn(text.slice(start, end)));
}

/** The folded words of a text, in order. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  forEachWord(text, (w) => out.push(foldWord(w)));
  return out;
}
