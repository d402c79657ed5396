import { compareTerms, packTerms, termCount, TermsWriter } from './packed-terms.js';
import { ByteWriter, decodePostings, VarintReader, type Segment } from './postings.js';

/** A segment of a few live additions kept as plain arrays (term → ascending document numbers). */
export function segmentFromMap(map: ReadonlyMap<string, readonly number[]>): Segment {
  const terms = [...map.keys()].sort((a, b) => (a < b ? -1 : 1));
  const offsets = new Uint32Array(terms.length + 1);
  const w = new ByteWriter();
  terms.forEach((t, i) => {
    let prev = -1;
    for (const d of map.get(t)!) {
      w.varint(d - prev);
      prev = d;
    }
    offsets[i + 1] = w.length;
  });
  return { ...packTerms(terms), offsets, postings: w.take() };
}

/**
 * Which of `segments` holds the least term at its position `pos[i]`, or -1 when all are through;
 * `same[i]` is set to whether segment i's term there is that one.
 */
function leastTerm(segments: readonly Segment[], pos: readonly number[], same: boolean[]): number {
  let least = -1;
  for (let i = 0; i < segments.length; i++) {
    same[i] = false;
    if (pos[i]! >= termCount(segments[i]!)) continue;
    const c = least < 0 ? -1 : compareTerms(segments[i]!, pos[i]!, segments[least]!, pos[least]!);
    if (c < 0) {
      for (let k = 0; k < i; k++) same[k] = false;
      least = i;
    }
    same[i] = c <= 0;
  }
  return least;
}

/**
 * One segment from several whose document numbers (plus each one's shift) don't overlap and ascend
 * from one to the next, keeping only the documents `live` accepts (removed articles are dropped here,
 * not on removal).
 */
export function mergeSegments(segments: readonly Segment[], live: (docNum: number) => boolean, shifts: readonly number[] = []): Segment {
  const terms = new TermsWriter();
  const offsets: number[] = [0];
  const w = new ByteWriter();
  const pos = segments.map(() => 0);
  const same = segments.map(() => false);
  for (;;) {
    const least = leastTerm(segments, pos, same);
    if (least < 0) break;
    const term = pos[least]!;
    let prev = -1;
    segments.forEach((s, i) => {
      if (!same[i]) return;
      const shift = shifts[i] ?? 0;
      for (const n of decodePostings(s, pos[i]!)) {
        const d = n + shift;
        if (!live(d)) continue;
        w.varint(d - prev);
        prev = d;
      }
      pos[i]!++;
    });
    if (prev >= 0) {
      terms.add(segments[least]!, term);
      offsets.push(w.length);
    }
  }
  return { ...terms.take(), offsets: Uint32Array.from(offsets), postings: w.take() };
}

/**
 * `mergeSegments` when every document is live: a term's lists are joined by re-encoding only each
 * list's first gap (where a segment's shift goes too) and copying the rest of its bytes, with no
 * array per term (the cold start joins its threads' segments, 700,000 lists at 100k articles, this way).
 */
export function concatSegments(segments: readonly Segment[], shifts: readonly number[] = []): Segment {
  const terms = new TermsWriter(
    segments.reduce((n, s) => n + s.termBytes.length + 1, 0),
    segments.reduce((n, s) => n + termCount(s), 0),
  );
  const offsets: number[] = [0];
  // Room for it all from the start (a re-encoded first gap grows by 4 bytes at most): no doubling of 40 MB.
  const w = new ByteWriter(segments.reduce((n, s) => n + s.postings.length + 4 * termCount(s), 0));
  const pos = segments.map(() => 0);
  const same = segments.map(() => false);
  for (;;) {
    const least = leastTerm(segments, pos, same);
    if (least < 0) break;
    terms.add(segments[least]!, pos[least]!);
    let prev = -1;
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i]!;
      if (!same[i]) continue;
      const r = new VarintReader(s.postings, s.offsets[pos[i]!]!);
      const end = s.offsets[pos[i]! + 1]!;
      pos[i]!++;
      // The first gap is the first document (gaps start from -1): re-encode it against `prev`, copy
      // the rest; the list's last document, the sum of all its gaps, matters only if a list follows.
      let doc = r.next() - 1 + (shifts[i] ?? 0);
      w.varint(doc - prev);
      w.bytesFrom(s.postings, r.pos, end);
      if (i + 1 < segments.length) while (r.pos < end) doc += r.next();
      prev = doc;
    }
    offsets.push(w.length);
  }
  // A view, not a copy of 40 MB: the few untouched bytes left at its end were never resident.
  return { ...terms.take(), offsets: Uint32Array.from(offsets), postings: w.bytes.subarray(0, w.length) };
}
