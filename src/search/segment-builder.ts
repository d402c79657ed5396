import { FoldedWords, scanFoldedWords } from './folded-words.js';
import { packTerms } from './packed-terms.js';
import { varintLength, writeVarint, type Segment } from './postings.js';
import { TermTable } from './term-table.js';
import { sortedTermIds } from './term-order.js';

/** Slot fields of the term table this builder uses: the number + 1 of the last document that had the term, and its postings' size in bytes. */
const LAST_DOC = 2;
const SIZE = 3;
const ID_BLOCK = 1 << 20;

/**
 * Builds a segment from many documents at once (a cold start, the start-up scan): each document's
 * distinct term ids are kept as varints, and turned into postings in one pass at the end, the size of
 * every term's postings being counted as documents come. Document numbers must ascend, each added once.
 */
export class SegmentBuilder {
  private readonly table = new TermTable();
  /** the words of the document being added: fill, then `addWords` */
  readonly words = new FoldedWords();
  /**
   * Per document: its term count, then its term ids, as varints, in blocks (70 MB at 100k articles,
   * never copied to grow); `blockDocs` counts the documents of each block.
   */
  private readonly idBlocks: Uint8Array[] = [];
  private readonly blockDocs: number[] = [];
  private ids = new Uint8Array(0);
  private idsLength = 0;
  /** by document, counted from 1 */
  private docNums = new Float64Array(1 << 12);
  private docs = 0;
  private current = new Int32Array(1 << 12);
  private utf8 = Buffer.allocUnsafe(1 << 15);

  get documents(): number {
    return this.docs;
  }

  /** Index `text` as document `docNum`. */
  add(docNum: number, text: string): void {
    if (text.length * 3 > this.utf8.length) this.utf8 = Buffer.allocUnsafe(text.length * 3);
    const n = this.utf8.write(text, 0, 'utf8');
    this.words.clear();
    scanFoldedWords(this.utf8, 0, n, false, this.words);
    this.addWords(docNum);
  }

  /** Index `words` (filled by `scanFoldedWords`) as document `docNum`, and clear them. */
  addWords(docNum: number): void {
    const doc = ++this.docs;
    if (doc === this.docNums.length) {
      const bigger = new Float64Array(doc * 2);
      bigger.set(this.docNums);
      this.docNums = bigger;
    }
    this.docNums[doc] = docNum;
    const w = this.words;
    const table = this.table;
    if (this.current.length < w.count) this.current = new Int32Array(w.count);
    const current = this.current;
    table.touch(w.hash, w.count);
    // In locals: after a call that may not be inlined (an insert), fields would be read again each word.
    const { keys32: keys, start, length, hash, count: words } = w;
    // A term's LAST_DOC is its last document number + 1 (0: none yet), so its gap needs no lookup.
    const mark = docNum + 1;
    let count = 0;
    for (let i = 0; i < words; i++) {
      const s = table.slotOf(keys, start[i]! >> 2, length[i]!, hash[i]!);
      const slots = table.slots;
      // Without a branch: whether a word was seen in this document already is anyone's guess.
      const last = slots[s + LAST_DOC]!;
      const isNew = last === mark ? 0 : 1;
      slots[s + LAST_DOC] = mark;
      slots[s + SIZE] += isNew * varintLength(mark - last);
      current[count] = slots[s + 1]!;
      count += isNew;
    }
    if (this.idsLength + 5 * (count + 1) > this.ids.length) this.newBlock(5 * (count + 1));
    this.blockDocs[this.blockDocs.length - 1]++;
    const bytes = this.ids;
    let p = writeVarint(bytes, this.idsLength, count);
    // Inline, with a shift: writeVarint divides (its values may pass 2^31), 600 times a document.
    for (let i = 0; i < count; i++) {
      let v = current[i]!;
      while (v >= 0x80) {
        bytes[p++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      bytes[p++] = v;
    }
    this.idsLength = p;
    w.clear();
  }

  /** Kept out of `addWords`: growing the block list there once a megabyte deoptimised it each time. */
  private newBlock(need: number): void {
    this.ids = new Uint8Array(Math.max(ID_BLOCK, need));
    this.idBlocks.push(this.ids);
    this.blockDocs.push(0);
    this.idsLength = 0;
  }

  finish(): Segment {
    const { terms, slots } = this.table;
    const n = terms.length;
    const order = sortedTermIds(terms);
    const offsets = new Uint32Array(n + 1);
    // Per term id: where its next posting goes, and its last document so far (-1: none).
    const state = new Int32Array(2 * n);
    const size = new Int32Array(n);
    for (let at = 0; at < slots.length; at += 8) if (slots[at] !== 0) size[slots[at + 1]!] = slots[at + SIZE]!;
    for (let r = 0; r < n; r++) {
      const t = order[r]!;
      state[2 * t] = offsets[r]!;
      state[2 * t + 1] = -1;
      offsets[r + 1] = offsets[r]! + size[t]!;
    }
    const postings = new Uint8Array(offsets[n]!);
    let doc = 1;
    for (let b = 0; b < this.idBlocks.length; b++) {
      const end = doc + this.blockDocs[b]!;
      writePostings(this.idBlocks[b]!, this.docNums, doc, end, state, postings);
      doc = end;
    }
    const sorted = new Array<string>(n);
    for (let r = 0; r < n; r++) sorted[r] = terms[order[r]!]!;
    return { ...packTerms(sorted), offsets, postings };
  }
}

/**
 * Append documents `from` to `to` (their numbers in `docNums`) to the postings of the term ids that
 * `ids` lists for each; `state` holds each term's write position and last document. Varints inline:
 * 11 million postings at 20,000 articles, every one a write somewhere else in 10 MB.
 */
function writePostings(ids: Uint8Array, docNums: Float64Array, from: number, to: number, state: Int32Array, postings: Uint8Array): void {
  let p = 0;
  for (let doc = from; doc < to; doc++) {
    const docNum = docNums[doc]!;
    let b = ids[p++]!;
    let k = b & 0x7f;
    for (let shift = 7; b & 0x80; shift += 7) k |= ((b = ids[p++]!) & 0x7f) << shift;
    for (; k > 0; k--) {
      b = ids[p++]!;
      let t = b & 0x7f;
      for (let shift = 7; b & 0x80; shift += 7) t |= ((b = ids[p++]!) & 0x7f) << shift;
      let at = state[2 * t]!;
      let gap = docNum - state[2 * t + 1]!;
      while (gap >= 0x80) {
        postings[at++] = (gap & 0x7f) | 0x80;
        gap >>>= 7;
      }
      postings[at++] = gap;
      state[2 * t] = at;
      state[2 * t + 1] = docNum;
    }
  }
}
