import { foldWord, isWordPair } from './fold.js';
import { hashKey } from './term-table.js';
import { ASCII_FOLD, ASCII_FOLD_OF, foldedBytes, foldLength, foldStart, MAX_UNIT_FOLD, NOT_WORD, SLOW, unitCode } from './fold-units.js';

/**
 * The folded words of one document, packed for the indexer: each word's folded UTF-8 bytes from a
 * 4-byte boundary, zero-padded to the next and to 16 bytes at least (the term table compares and
 * hashes whole Int32 words), with its start, length in bytes and hash. Filled by `scanFoldedWords`
 * straight from a file's bytes, so a cold start makes no string per line or per word; reused from one
 * document to the next.
 */
export class FoldedWords {
  keys = new Uint8Array(1 << 16);
  /** the same bytes as Int32 words */
  keys32 = new Int32Array(this.keys.buffer);
  keysLength = 0;
  /** byte offset of each word's key, a multiple of 4 */
  start = new Int32Array(1 << 12);
  length = new Int32Array(1 << 12);
  hash = new Int32Array(1 << 12);
  count = 0;

  clear(): void {
    this.keysLength = 0;
    this.count = 0;
  }

  /** Room for `n` more key bytes. */
  reserve(n: number): Uint8Array {
    if (this.keysLength + n > this.keys.length) {
      const bigger = new Uint8Array((Math.max(this.keys.length * 2, this.keysLength + n) + 3) & ~3);
      bigger.set(this.keys.subarray(0, this.keysLength));
      this.keys = bigger;
      this.keys32 = new Int32Array(bigger.buffer);
    }
    return this.keys;
  }

  /** Room for `n` more words. */
  reserveWords(n: number): void {
    if (this.count + n <= this.start.length) return;
    const size = Math.max(this.start.length * 2, this.count + n);
    const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(size);
      b.set(a.subarray(0, this.count));
      return b;
    };
    this.start = grow(this.start);
    this.length = grow(this.length);
    this.hash = grow(this.hash);
  }

  /** The folded words joined by single spaces: `tokenize(text).join(' ')`. */
  joined(): string {
    let n = 0;
    for (let i = 0; i < this.count; i++) n += this.length[i]! + 1;
    const out = Buffer.allocUnsafe(Math.max(0, n - 1));
    let p = 0;
    for (let i = 0; i < this.count; i++) {
      if (i > 0) out[p++] = 0x20;
      out.set(this.keys.subarray(this.start[i]!, this.start[i]! + this.length[i]!), p);
      p += this.length[i]!;
    }
    return out.toString('utf8');
  }

  /** The folded words as strings, in order. */
  toStrings(): string[] {
    const b = Buffer.from(this.keys.buffer, this.keys.byteOffset, this.keysLength);
    return Array.from({ length: this.count }, (_, i) => b.toString('utf8', this.start[i]!, this.start[i]! + this.length[i]!));
  }
}

/** 1 for `e`, and for `a`, `o`, `u`: spotting the ae/oe/ue of `foldWord` without a branch. */
const IS_E = new Uint8Array(256);
IS_E[0x65] = 1;
const AOU = new Uint8Array(256);
AOU[0x61] = AOU[0x6f] = AOU[0x75] = 1;

/**
 * Per byte, one load for what the ASCII loop needs: a letter or digit folded (low byte) with ASCII_BIT,
 * E_BIT for an e and AOU_BIT (the top one: `t >> 10` is 0 or 1) for a, o, u; 0 for other ASCII;
 * MULTI for a byte of a multi-byte character. One test a byte, `t & ASCII_BIT`, keeps to the common case.
 */
const E_BIT = 0x100;
const ASCII_BIT = 0x200;
const AOU_BIT = 0x400;
const MULTI = 0x800;
const BYTE_CLASS = new Uint16Array(256);
for (let b = 0; b < 256; b++) BYTE_CLASS[b] = b >= 0x80 ? MULTI : ASCII_FOLD[b]! === 0 ? 0 : ASCII_FOLD[b]! | ASCII_BIT | (IS_E[ASCII_FOLD[b]!]! * E_BIT) | (AOU[ASCII_FOLD[b]!]! * AOU_BIT);

/**
 * Append to `out` the folded words of the valid UTF-8 `bytes[from, to)`: exactly `tokenize` of the same
 * text decoded (runs of letters and digits, `foldWord` on each). With `skipReferences`, a run of ASCII
 * digits between `[` and `]` is left out, as searchableText drops the `[1]` before a link's text.
 * The hottest loop of a cold start: ASCII is folded by one table load a byte, the rest by `unitCode`;
 * the few words with an e after a, o or u are mended afterwards (a branch per `e` would be mispredicted a lot).
 */
export function scanFoldedWords(bytes: Uint8Array, from: number, to: number, skipReferences: boolean, out: FoldedWords): void {
  // A unit of n bytes folds to at most n * MAX_UNIT_FOLD / 2 bytes, padded to a multiple of 4 and to 16
  // at least: with the byte that ends it, a word of n bytes needs no more than 8 key bytes for each.
  let keys = out.reserve((to - from) * (MAX_UNIT_FOLD / 2 + 4) + 16);
  let keys32 = out.keys32;
  out.reserveWords(((to - from) >> 1) + 1);
  const starts = out.start;
  const lengths = out.length;
  const hashes = out.hash;
  let count = out.count;
  let k = out.keysLength;
  let i = from;
  // Tables in locals: a module binding is checked for initialisation at every read.
  const byteClass = BYTE_CLASS;
  const asciiFoldOf = ASCII_FOLD_OF;
  const isE = IS_E;
  const aou = AOU;
  while (i < to) {
    // Between words: skip to the next word unit.
    let t = byteClass[bytes[i]!]!;
    let code = 0;
    if (t === 0) {
      i++;
      continue;
    }
    if (t === MULTI) {
      code = codeAt(bytes, i, bytes[i]!);
      if (code === NOT_WORD) {
        i += utf8Width(bytes[i]!);
        continue;
      }
    }
    // A word: fold unit by unit into keys[keyStart, k), its first 16 bytes zeroed first (the padding
    // a short key needs, without a loop after it).
    const wordStart = i;
    const keyStart = (k = (k + 3) & ~3);
    const w = keyStart >> 2;
    keys32[w] = keys32[w + 1] = keys32[w + 2] = keys32[w + 3] = 0;
    let afterAOU = 0; // 1 when the last byte folded is a, o or u
    let aoue = 0; // 1 when an e follows one
    let slow = false;
    for (;;) {
      while (t & ASCII_BIT) {
        keys[k++] = t; // the low byte: the fold
        aoue |= afterAOU & (t >> 8);
        afterAOU = t >> 10;
        if (++i >= to) {
          t = 0;
          break;
        }
        t = byteClass[bytes[i]!]!;
      }
      if (t === 0) break;
      const b = bytes[i]!;
      if (b < 0xe0) {
        // Two bytes (Latin letters with accents, umlauts): most fold to one ASCII letter.
        const c = ((b & 0x1f) << 6) | (bytes[i + 1]! & 0x3f);
        // Set once `unitCode` has seen c: an umlaut seen before needs no call.
        let f = asciiFoldOf[c]!;
        if (f === 0) {
          if (code === 0) code = unitCode(c);
          f = asciiFoldOf[c]!;
        }
        if (f !== 0) {
          keys[k++] = f;
          aoue |= afterAOU & isE[f]!;
          afterAOU = aou[f]!;
          i += 2;
          code = 0;
          if (i >= to) break;
          t = byteClass[bytes[i]!]!;
          if (t === 0) break;
          continue;
        }
      } else if (code === 0) code = codeAt(bytes, i, b);
      if (code === NOT_WORD) break;
      if (code === SLOW) slow = true;
      else {
        const folded = foldedBytes();
        for (let j = foldStart(code), end = j + foldLength(code); j < end; j++) {
          const f = folded[j]!;
          keys[k++] = f;
          aoue |= afterAOU & isE[f]!;
          afterAOU = aou[f]!;
        }
      }
      i += utf8Width(b);
      code = 0;
      if (i >= to) break;
      t = byteClass[bytes[i]!]!;
      if (t === 0) break;
    }
    if (skipReferences && wordStart > from && bytes[wordStart - 1] === 0x5b && i < to && bytes[i] === 0x5d && asciiDigits(bytes, wordStart, i)) {
      k = keyStart; // `[1]`: a reference number, not a word
      continue;
    }
    if (slow) {
      // Σ or a letter beyond the BMP in the word: fold it as a string, as `tokenize` does.
      const word = foldWord(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', wordStart, i));
      out.keysLength = keyStart;
      keys = out.reserve(Buffer.byteLength(word) + 16 + (to - i) * (MAX_UNIT_FOLD / 2 + 4) + 16);
      keys32 = out.keys32;
      const end = keyStart + Buffer.from(keys.buffer, keys.byteOffset, keys.byteLength).write(word, keyStart, 'utf8');
      keys.fill(0, end, Math.max(k, keyStart + 16));
      k = end;
    } else if (aoue) {
      const end = dropAOUe(keys, keyStart, k);
      keys.fill(0, end, k);
      k = end;
    }
    const len = k - keyStart;
    // At least four whole words, so that the term table compares a short key without looking at its length.
    if (len <= 16) k = keyStart + 16;
    else while (k & 3) keys[k++] = 0;
    starts[count] = keyStart;
    lengths[count] = len;
    hashes[count++] = hashKey(keys32, w, len);
  }
  out.count = count;
  out.keysLength = k;
}

/** Bytes of the UTF-8 character whose lead byte is `b`. */
function utf8Width(b: number): number {
  return b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
}

/** Whether bytes[from, to) are all ASCII digits (a word between `[` and `]`: a reference number?). */
function asciiDigits(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i]! < 0x30 || bytes[i]! > 0x39) return false;
  return true;
}

/** `foldWord`'s last step on keys[start, end): drop each e that follows a, o or u (as the text was before). Returns the new end. */
function dropAOUe(keys: Uint8Array, start: number, end: number): number {
  let k = start;
  let prev = 0;
  for (let i = start; i < end; i++) {
    const f = keys[i]!;
    if (!(f === 0x65 && AOU[prev] === 1)) keys[k++] = f;
    prev = f;
  }
  return k;
}

/** The `unitCode` of the multi-byte character at bytes[i] (lead byte b); letters beyond the BMP are SLOW. */
function codeAt(bytes: Uint8Array, i: number, b: number): number {
  if (b < 0xe0) return unitCode(((b & 0x1f) << 6) | (bytes[i + 1]! & 0x3f));
  if (b < 0xf0) return unitCode(((b & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f));
  const cp = ((b & 0x07) << 18) | ((bytes[i + 1]! & 0x3f) << 12) | ((bytes[i + 2]! & 0x3f) << 6) | (bytes[i + 3]! & 0x3f);
  return isWordPair(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff)) ? SLOW : NOT_WORD;
}
