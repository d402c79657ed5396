import { isWordUnit } from './fold.js';

/**
 * `foldWord` one UTF-16 unit at a time, for the byte scanner of a cold start (folded-words.ts): what a
 * letter or digit becomes inside a word (lower case, ß → ss, accents dropped) as UTF-8 bytes, before
 * the ae/oe/ue rule, which the scanner applies over the whole word. For every unit but Σ this is the
 * same as folding the word: `toLowerCase` without a locale is context-free except for the final
 * sigma, and NFD reorders only combining marks, which the units taken here never leave behind.
 */

/** Per unit: 0 not yet known, 1 not a word unit, 2 a word unit to fold with `foldWord` (the slow way), else 3 + (offset << 4 | length) of its fold in FOLDED. */
const CODES = new Int32Array(65536);
export const NOT_WORD = 1;
export const SLOW = 2;
const FIRST_FOLD = 3;
/** Every fold seen so far, as UTF-8 bytes, back to back. */
let FOLDED = new Uint8Array(1 << 12);
let foldedLength = 0;

/** Folds longer than this go the slow way (there are none among letters; it bounds the bytes a unit can add). */
export const MAX_UNIT_FOLD = 8;
const COMBINING = /\p{M}/u;

function codeOf(c: number): number {
  if (!isWordUnit(c)) return NOT_WORD;
  if (c === 0x3a3) return SLOW; // Σ: ς at the end of a word, σ elsewhere
  let w = String.fromCharCode(c).toLowerCase();
  if (/[^\x00-\x7f]/.test(w)) w = w.replace(/ß/g, 'ss').normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  // A mark left over could be reordered with the next unit's by NFD; a surrogate is half a letter.
  if (COMBINING.test(w) || /[\ud800-\udfff]/.test(w)) return SLOW;
  const bytes = Buffer.from(w, 'utf8');
  if (bytes.length > MAX_UNIT_FOLD) return SLOW;
  if (foldedLength + bytes.length > FOLDED.length) {
    const bigger = new Uint8Array(FOLDED.length * 2);
    bigger.set(FOLDED);
    FOLDED = bigger;
  }
  FOLDED.set(bytes, foldedLength);
  const code = FIRST_FOLD + ((foldedLength << 4) | bytes.length);
  foldedLength += bytes.length;
  return code;
}

/** Per unit whose fold is one ASCII byte (ä → a, É → e): that byte, else 0. Filled with CODES. */
export const ASCII_FOLD_OF = new Uint8Array(65536);

/** NOT_WORD, SLOW, or a code for `foldedBytes`. Filled on first sight: most of the 65,536 units never occur. */
export function unitCode(c: number): number {
  let code = CODES[c]!;
  if (code === 0) {
    CODES[c] = code = codeOf(c);
    if (code >= FIRST_FOLD && foldLength(code) === 1 && FOLDED[foldStart(code)]! < 0x80) ASCII_FOLD_OF[c] = FOLDED[foldStart(code)]!;
  }
  return code;
}

/** The bytes of a fold code from `unitCode`: FOLDED[start, start + length). */
export function foldedBytes(): Uint8Array {
  return FOLDED;
}

export function foldStart(code: number): number {
  return (code - FIRST_FOLD) >> 4;
}

export function foldLength(code: number): number {
  return (code - FIRST_FOLD) & 15;
}

/** ASCII bytes: 0 for a non-word byte, else the byte folded (upper case to lower). */
export const ASCII_FOLD = new Uint8Array(128);
for (let b = 0; b < 128; b++) {
  if (b >= 0x41 && b <= 0x5a) ASCII_FOLD[b] = b + 0x20;
  else if ((b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39)) ASCII_FOLD[b] = b;
}
