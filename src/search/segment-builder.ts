import { FoldedWords, scanFoldedWords } from './folded-words.js';
import { packTerms } from './packed-terms.js';
import { VarintReader, varintLength, writeVarint, type Segment } from './postings.js';
import { TermTable } from './term-table.js';

/** Slot fields of the term table this builder uses: the last document that had the term, and its postings' size in bytes. */
const LAST_DOC = 2;
const SIZE = 3;
const ID_BLOCK = 1 << 20;

/**
 * Builds a segment from many documents at once (a cold start, the start-up scan): each document's
 * distinct term ids are kept as varints, and turned into postings in one pass at the end, the size of
 * every term's postings being counted as documents come. Document numbers must ascend.
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
  /** by document, counted from 1; docNums[0] is -1, the gap before a term's first document */
  private docNums = new Float64Array(1 << 12).fill(-1, 0, 1);
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
    const doc = ++this.docs; // counted from 1: a term's LAST_DOC 0 means none yet
    if (doc === this.docNums.length) {
      const bigger = new Float64Array(doc * 2);
      bigger.set(this.docNums);
      this.docNums = bigger;
    }
    const docNums = this.docNums;
    docNums[doc] = docNum;
    const w = this.words;
    const table = this.table;
    if (this.current.length < w.count) this.current = new Int32Array(w.count);
    const current = this.current;
    table.touch(w.hash, w.count);
    const keys = w.keys32;
    let count = 0;
    for (let i = 0; i < w.count; i++) {
      const s = table.slotOf(keys, w.start[i]! >> 2, w.length[i]!, w.hash[i]!);
      const slots = table.slots;
      // Without a branch: whether a word was seen in this document already is anyone's guess.
      const last = slots[s + LAST_DOC]!;
      const isNew = last === doc ? 0 : 1;
      slots[s + LAST_DOC] = doc;
      slots[s + SIZE] += isNew * varintLength(docNum - docNums[last]!);
      current[count] = slots[s + 1]!;
      count += isNew;
    }
    if (this.idsLength + 5 * (count + 1) > this.ids.length) {
      this.ids = new Uint8Array(Math.max(ID_BLOCK, 5 * (count + 1)));
      this.idBlocks.push(this.ids);
      this.blockDocs.push(0);
      this.idsLength = 0;
    }
    this.blockDocs[this.blockDocs.length - 1]++;
    const bytes = this.ids;
    let p = writeVarint(bytes, this.idsLength, count);
    for (let i = 0; i < count; i++) p = writeVarint(bytes, p, current[i]!);
    this.idsLength = p;
    w.clear();
  }

  finish(): Segment {
    const { terms, slots } = this.table;
    const n = terms.length;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (terms[a]! < terms[b]! ? -1 : 1));
    const size = new Float64Array(n);
    for (let at = 0; at < slots.length; at += 8) if (slots[at] !== 0) size[slots[at + 1]!] = slots[at + SIZE]!;
    const offsets = new Uint32Array(n + 1);
    // Per term id: where its next posting goes, and its last document so far.
    const state = new Float64Array(2 * n);
    for (let r = 0; r < n; r++) {
      const t = order[r]!;
      state[2 * t] = offsets[r]!;
      state[2 * t + 1] = -1;
      offsets[r + 1] = offsets[r]! + size[t]!;
    }
    const postings = new Uint8Array(offsets[n]!);
    let doc = 1;
    this.idBlocks.forEach((block, b) => {
      const ids = new VarintReader(block, 0);
      for (let end = doc + this.blockDocs[b]!; doc < end; doc++) {
        const docNum = this.docNums[doc]!;
        for (let k = ids.next(); k > 0; k--) {
          const t = ids.next();
          state[2 * t] = writeVarint(postings, state[2 * t]!, docNum - state[2 * t + 1]!);
          state[2 * t + 1] = docNum;
        }
      }
    });
    return { ...packTerms(order.map((i) => terms[i]!)), offsets, postings };
  }
}
