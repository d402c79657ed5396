import { isUtf8 } from 'node:buffer';
import { itemTypeForLabel, LABEL_WIDTH } from '../protocol/item-type.js';
import { FoldedWords, scanFoldedWords } from '../search/folded-words.js';
import type { Article } from './article.js';
import { isHeadingLine, isListSection, itemRole, LIST_SECTIONS, parseDateLine, parseHeading, sectionOf } from './parse-article.js';

/** What the archive keeps of an article (see entry.ts): the rest of `Article` is read again when it is served. */
export type ArticleFacts = Pick<Article, 'site' | 'title' | 'date' | 'tags' | 'links'>;

const NL = 0x0a;
const SPACE = 0x20;
const HASH = 0x23;
const BRACKET = 0x5b;
/** `trim()` removes these beyond ASCII: a line starting with one may still be a date line. */
const WIDE_SPACE = /^[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

/**
 * `parseArticle` and `searchableText` in one pass over a file's bytes, for a cold start: the facts an
 * entry keeps, and the folded words search sees, appended to `words`. Only the lines that carry a fact
 * (heading, `## ` sections, a date line, tags, links) become strings; every other line is scanned for
 * words where it lies. Answers undefined for a file that is not UTF-8 with LF line ends (Windows-1252,
 * CR): those go through `parseArticle`, which decodes them.
 */
export function scanArticle(file: Buffer, fallbackTitle: string, words: FoldedWords): ArticleFacts | undefined {
  const bom = file.length >= 3 && file[0] === 0xef && file[1] === 0xbb && file[2] === 0xbf;
  const from = bom ? 3 : 0;
  const bytes = file.subarray(from);
  if (bytes.indexOf(0x0d) >= 0 || !isUtf8(bytes)) return undefined;
  const n = bytes.length;
  let site = '';
  let title = fallbackTitle;
  let section = '';
  let inList = false; // isListSection(section), asked on every info line
  let date: string | undefined;
  let images = 0;
  const tags: string[] = [];
  const links = new Map<number, string>();
  const text = (a: number, b: number): string => bytes.toString('utf8', a, b);

  // Line 0 is the heading, or else an ordinary line whose words search does not see (`lines.slice(1)`).
  let first = bytes.indexOf(NL);
  if (first < 0) first = n;
  const heading = isHeadingLine(text(0, first));
  if (heading) ({ site, title } = parseHeading(text(0, first), fallbackTitle));
  const titleBytes = Buffer.from(title, 'utf8');
  scanFoldedWords(titleBytes, 0, titleBytes.length, false, words);

  // Info lines in a row are scanned for words as one stretch: what lies between them (LF, indent) is
  // no word, and a `[` before a line's first word or a `]` after its last cannot be there.
  let run = -1;
  let runEnd = -1;
  for (let start = heading ? first + 1 : 0; start < n; ) {
    let end = bytes.indexOf(NL, start);
    if (end < 0) end = n;
    const searchable = start > 0;
    const isIndented = indented(bytes, start, end);
    const itemType = isIndented ? undefined : labelAt(bytes, start, end);
    if (itemType === undefined) {
      // An info line: its text follows the seven-blank indent, or is the whole line (flush).
      const t = isIndented ? start + LABEL_WIDTH : start;
      if (bytes[t] === HASH && bytes[t + 1] === HASH && bytes[t + 2] === SPACE) {
        // Most `## ` lines are subheadings: an ASCII one whose name has another length than every list
        // section's makes no string (what else it names does not matter here).
        const n = asciiNameLength(bytes, t + 3, end);
        if (n < 0 || LIST_NAME_LENGTHS.has(n)) section = sectionOf(text(t, end)) ?? section;
        else if (n > 0) section = OTHER_SECTION;
        inList = isListSection(section);
      }
      if (!inList && mayBeDate(bytes, t, end)) date = parseDateLine(text(t, end)) ?? date;
      if (searchable) {
        if (run < 0) run = t;
        runEnd = end;
      }
    } else {
      if (run >= 0) scanFoldedWords(bytes, run, runEnd, true, words);
      run = -1;
      const d = start + LABEL_WIDTH;
      let linked = false;
      if (itemType === 'I' || itemType === 'g') images++;
      else if ((section === 'TAGS' && itemType === '1') || bytes[d] === BRACKET) {
        // A tag, or maybe `[n] /Slug/!id`: worth a string (the other roles keep nothing).
        const role = itemRole(itemType, text(d, end), section, images + 1);
        if (role.kind === 'tag' && !tags.includes(role.name)) tags.push(role.name);
        if (role.kind === 'link') {
          linked = true;
          if (section === 'LINKS') links.set(role.n, role.path);
        }
      }
      if (searchable && !linked) scanFoldedWords(bytes, d, end, false, words);
    }
    start = end + 1;
  }
  if (run >= 0) scanFoldedWords(bytes, run, runEnd, true, words);
  return { site, title, date, tags, links };
}

/** A section this scanner does not tell apart from others: it only asks for the list sections. */
const OTHER_SECTION = '';
const LIST_NAME_LENGTHS = new Set(LIST_SECTIONS.map((s) => s.length));

/**
 * The length of the name `sectionOf` finds in bytes[from, end), the rest of a `## ` line, if it is
 * ASCII (else -1): `(.+?)\s*$` takes the rest but its trailing blanks, one character at least, and
 * `toUpperCase` keeps an ASCII name's length. 0: no name (nothing after `## `).
 */
function asciiNameLength(bytes: Buffer, from: number, end: number): number {
  for (let i = from; i < end; i++) if (bytes[i]! >= 0x80) return -1;
  let e = end;
  // \s in ASCII: tab, LF, VT, FF, CR and space.
  while (e > from + 1 && (bytes[e - 1] === SPACE || (bytes[e - 1]! >= 0x09 && bytes[e - 1]! <= 0x0d))) e--;
  return e - from;
}

function indented(bytes: Buffer, start: number, end: number): boolean {
  if (end - start < LABEL_WIDTH) return false;
  for (let i = start; i < start + LABEL_WIDTH; i++) if (bytes[i] !== SPACE) return false;
  return true;
}

/** Labels seen, by their seven ASCII bytes as one number (49 bits): an item line's label makes no string. */
const LABELS = new Map<number, string>();

/** The item type of a line's seven-column lynx label, or undefined (an info line written flush). */
function labelAt(bytes: Buffer, start: number, end: number): string | undefined {
  if (end - start < LABEL_WIDTH) return undefined;
  let key = 0;
  for (let i = start; i < start + LABEL_WIDTH; i++) {
    if (bytes[i]! >= 0x80) return undefined;
    key = key * 128 + bytes[i]!;
  }
  const known = LABELS.get(key);
  if (known !== undefined) return known;
  // Only labels are kept: the start of every flush line would make the map grow without end.
  const itemType = itemTypeForLabel(bytes.toString('latin1', start, start + LABEL_WIDTH));
  if (itemType !== undefined) LABELS.set(key, itemType);
  return itemType;
}

/** Cheap test before `parseDateLine`: after leading blanks comes a digit (or a blank `trim()` knows beyond ASCII). */
function mayBeDate(bytes: Buffer, start: number, end: number): boolean {
  let i = start;
  while (i < end && (bytes[i] === SPACE || (bytes[i]! >= 0x09 && bytes[i]! <= 0x0d))) i++;
  if (i === end) return false;
  const b = bytes[i]!;
  if (b >= 0x30 && b <= 0x39) return true;
  // Those blanks start with C2, E1–E3 or EF: a line opening with Ü (C3) makes no string here.
  if (b !== 0xc2 && (b < 0xe1 || b > 0xe3) && b !== 0xef) return false;
  return WIDE_SPACE.test(bytes.toString('utf8', i, Math.min(end, i + 4)));
}
