import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Counts the bench computes itself by reading every article file, to check the server's search
 * counts against: it shares no code with the server's folding or index.
 */

const UMLAUT: Record<string, string> = { ä: 'a', ö: 'o', ü: 'u', ß: 'ss' };

/**
 * The documented German folding (case-insensitive, ä = ae = a, ß = ss) applied to a whole text:
 * the same as folding each of its words, since no step joins letters across a non-letter.
 */
export function foldText(text: string): string {
  let t = text.toLowerCase().replace(/[äöüß]/g, (c) => UMLAUT[c]!);
  if (/[\u00c0-\u024f]/.test(t)) t = t.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return t.replace(/([aou])e/g, '$1');
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Whether folded `text` has the folded word `word` as a whole word (letters and digits make a word). */
export function hasWord(text: string, word: string, end = text.length): boolean {
  for (let i = text.indexOf(word); i >= 0 && i + word.length <= end; i = text.indexOf(word, i + 1)) {
    if ((i === 0 || !WORD_CHAR.test(text[i - 1]!)) && (i + word.length >= text.length || !WORD_CHAR.test(text[i + word.length]!))) return true;
  }
  return false;
}

/**
 * Readings of "findable", since which parts of the file a search sees is the server's choice: the
 * whole file; the file without the link addresses under `## LINKS` (`/Some-Slug/!123` is no text);
 * only heading, teaser, body and date line (up to `## LINKS` or `## TAGS`). Largest first.
 */
export interface Counts {
  readonly file: number;
  readonly text: number;
  readonly body: number;
}

export interface ArchiveScan {
  readonly articles: number;
  readonly bytes: number;
  readonly ms: number;
  /** per query (words as a user types them), articles that have every word */
  readonly queries: readonly { readonly words: readonly string[]; readonly counts: Counts }[];
  /** per candidate word, the articles that have it anywhere */
  readonly articlesWith: ReadonlyMap<string, number>;
}

const LIST_START = /\n {7}## (links|tags)\n/;
const LIST_AFTER_LINKS = /\n {7}## (?!links\n)[^\n]*\n/g;

/** Folded `text` without its `## LINKS` section, if it has one starting at `listStart`. */
function withoutLinks(text: string, listStart: RegExpExecArray | null): string {
  if (!listStart || listStart[1] !== 'links') return text;
  LIST_AFTER_LINKS.lastIndex = listStart.index + 1;
  const next = LIST_AFTER_LINKS.exec(text);
  return text.slice(0, listStart.index) + (next ? text.slice(next.index) : '\n');
}

/** Every `*.txt` under `dir` (dotfiles and dot-folders aside), in a stable order. */
export function articleFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string, depth: number): void => {
    if (depth > 8) return;
    for (const d of readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (d.name.startsWith('.')) continue;
      if (d.isDirectory()) walk(path.join(rel, d.name), depth + 1);
      else if (d.isFile() && d.name.endsWith('.txt')) out.push(path.join(rel, d.name));
    }
  };
  walk('', 0);
  return out;
}

/**
 * Read every article once (which also brings the archive into the page cache, so the server's first
 * start measures the server and not the disk) and count, for each query, the articles with all its
 * words, and for each candidate word the articles with it.
 */
export function scanArchive(
  dir: string, queries: readonly (readonly string[])[], candidates: readonly string[],
  progress?: (done: number, all: number) => void, files = articleFiles(dir),
): ArchiveScan {
  const t0 = performance.now();
  const folded = queries.map((q) => q.map((w) => foldText(w)));
  const cands = candidates.map((w) => foldText(w));
  const file = new Array<number>(queries.length).fill(0);
  const body = new Array<number>(queries.length).fill(0);
  const inText = new Array<number>(queries.length).fill(0);
  const withWord = new Array<number>(candidates.length).fill(0);
  let bytes = 0;
  for (let n = 0; n < files.length; n++) {
    const raw = readFileSync(path.join(dir, files[n]!), 'utf8');
    bytes += Buffer.byteLength(raw);
    const text = foldText(raw);
    const m = LIST_START.exec(text);
    const bodyEnd = m ? m.index : text.length;
    // Queries share words: look each one up once per file.
    const inFile = new Map<string, boolean>();
    const has = (w: string): boolean => {
      let v = inFile.get(w);
      if (v === undefined) inFile.set(w, (v = hasWord(text, w)));
      return v;
    };
    folded.forEach((ws, q) => {
      if (!ws.every(has)) return;
      file[q]!++;
      const t = withoutLinks(text, m);
      if (ws.every((w) => hasWord(t, w))) inText[q]!++;
      if (ws.every((w) => hasWord(text, w, bodyEnd))) body[q]!++;
    });
    cands.forEach((w, c) => {
      if (has(w)) withWord[c]!++;
    });
    if (progress && n % 100_000 === 99_999) progress(n + 1, files.length);
  }
  return {
    articles: files.length,
    bytes,
    ms: performance.now() - t0,
    queries: queries.map((words, q) => ({ words, counts: { file: file[q]!, text: inText[q]!, body: body[q]! } })),
    articlesWith: new Map(candidates.map((w, c) => [w, withWord[c]!])),
  };
}

/** Where a scan's counts are kept beside the archive: a dotfile, which no server serves or indexes. */
export const REFERENCE_FILE = '.bench-reference.json';

/**
 * `scanArchive`, but its counts are kept in REFERENCE_FILE for the same archive (`stamp`, the
 * number of article files), queries and candidates: at a million articles the scan takes minutes.
 * Every file is still read once, for the page cache.
 */
export function scanArchiveOnce(
  dir: string, stamp: string, queries: readonly (readonly string[])[], candidates: readonly string[],
  progress?: (done: number, all: number) => void,
): ArchiveScan & { readonly kept: boolean } {
  const file = path.join(dir, REFERENCE_FILE);
  const files = articleFiles(dir);
  const key = JSON.stringify({ stamp, files: files.length, queries, candidates });
  try {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { key: string; scan: ArchiveScan & { articlesWith: [string, number][] } };
    if (kept.key === key) {
      const t0 = performance.now();
      for (const f of files) readFileSync(path.join(dir, f));
      return { ...kept.scan, articlesWith: new Map(kept.scan.articlesWith), ms: performance.now() - t0, kept: true };
    }
  } catch {
    // none yet, or unreadable: scan
  }
  const scan = scanArchive(dir, queries, candidates, progress, files);
  writeFileSync(file, JSON.stringify({ key, scan: { ...scan, articlesWith: [...scan.articlesWith] } }));
  return { ...scan, kept: false };
}
