import { closeSync, fstatSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { termStartsOf } from '../search/packed-terms.js';
import type { IndexSegment } from '../search/postings.js';
import { PostingsFile } from '../search/postings-file.js';
import type { ArticleEntry } from './entry.js';
import { BOUNDS, packEntries, tablesAreSound, type EntryNames, type EntryTables } from './entry-tables.js';

/**
 * The start-up cache, `content/.gopherpress-cache`: every article's metadata and the packed search
 * index, so a restart reads one file instead of parsing 100,000. A dotfile, so it is never served
 * and never scanned. Entries are trusted only while the file's size and mtime match; anything else
 * is parsed again. Any change to the parser or the layout must bump FORMAT.
 *
 * Layout: `GPCACHE\n`, u32 length of a JSON header, the header, then the sections it lists: the
 * index (terms joined by LF, u32 offsets, postings bytes) and the entries (JSON name tables, then
 * the arrays of entry-tables.ts, then the records), each padded to 4 bytes, little-endian.
 */
export const CACHE_FILE = '.gopherpress-cache';
const MAGIC = 'GPCACHE\n';
const FORMAT = 2;

export interface CacheContents {
  readonly segment: IndexSegment;
  /** the segment's postings, left in the file, open until the index lets them go (postings-file.ts) */
  readonly postings: PostingsFile;
  /** the articles, document n as entry n (entry-tables.ts) */
  readonly entries: EntryTables;
}

interface Header {
  readonly format: number;
  readonly version: string;
  /** documents in the index, and so entries in the tables */
  readonly docs: number;
  /** byte lengths of the sections that are not sized by `docs` */
  readonly sections: { readonly terms: number; readonly offsets: number; readonly postings: number; readonly names: number; readonly records: number };
}

const pad4 = (n: number): number => (n + 3) & ~3;

/** Read `into` whole from `fd` at byte `at`; throws on a file cut short. */
function readFully<T extends ArrayBufferView>(fd: number, into: T, at: number): T {
  const bytes = new Uint8Array(into.buffer, into.byteOffset, into.byteLength);
  for (let got = 0; got < bytes.length; ) {
    const n = readSync(fd, bytes, got, bytes.length - got, at + got);
    if (n === 0) throw new Error('truncated');
    got += n;
  }
  return into;
}

/**
 * The cache file opened, its magic and header read and checked against this format and version:
 * the descriptor (the caller closes it) and where the sections start; undefined (and closed) otherwise.
 */
function openCache(root: string, version: string): { fd: number; header: Header; at: number } | undefined {
  let fd: number;
  try {
    fd = openSync(path.join(root, CACHE_FILE), 'r');
  } catch {
    return undefined;
  }
  try {
    const lead = readFully(fd, Buffer.allocUnsafe(MAGIC.length + 4), 0);
    if (lead.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new Error('foreign');
    const length = lead.readUInt32LE(MAGIC.length);
    // A header is a few hundred bytes: a damaged length must not allocate gigabytes.
    if (length > 1 << 16) throw new Error('damaged');
    const header = JSON.parse(readFully(fd, Buffer.allocUnsafe(length), lead.length).toString('utf8')) as Header;
    if (header.format !== FORMAT || header.version !== version) throw new Error('another version');
    return { fd, header, at: pad4(lead.length + length) };
  } catch {
    closeSync(fd);
    return undefined;
  }
}

/**
 * Whether content/ has a cache this format and version can start from, by its header alone (a
 * few hundred bytes): how current it is, only a full listing tells.
 */
export function cacheIsUsable(root: string, version: string): boolean {
  const opened = openCache(root, version);
  if (opened) closeSync(opened.fd);
  return opened !== undefined;
}

/**
 * The cache of content/, or undefined when there is none, it is damaged, or another version wrote it.
 * Everything but the postings is read into memory; the file stays open for them, so the caller owns
 * `segment.postings` and closes it when done.
 */
export function readCache(root: string, version: string): CacheContents | undefined {
  const opened = openCache(root, version);
  if (!opened) return undefined;
  const { fd, header } = opened;
  let keep = false;
  try {
    // Section by section, each read straight into the array that keeps it: reading the whole ~80 MB
    // file into one buffer and copying out of it held it twice until the next GC.
    let at = opened.at;
    const read = <T extends ArrayBufferView>(into: T): T => {
      readFully(fd, into, at);
      at = pad4(at + into.byteLength);
      return into;
    };
    const { sections: s, docs } = header;
    if (s.offsets % 4 !== 0 || !Number.isSafeInteger(docs) || docs < 0) return undefined;
    // The terms section as it is: the segment keeps these bytes (see packed-terms.ts).
    const termBytes = read(new Uint8Array(s.terms));
    const offsets = read(new Uint32Array(s.offsets / 4));
    const postings = new PostingsFile(fd, at, s.postings);
    at = pad4(at + s.postings);
    const names = JSON.parse(read(Buffer.allocUnsafe(s.names)).toString('utf8')) as EntryNames;
    const entries: EntryTables = {
      count: docs,
      bounds: read(new Uint32Array(docs * BOUNDS)),
      siteNum: read(new Uint32Array(docs)),
      dateNum: read(new Uint32Array(docs)),
      size: read(new Float64Array(docs)),
      mtime: read(new Float64Array(docs)),
      alive: read(new Uint8Array(docs)),
      records: read(Buffer.allocUnsafe(s.records)),
      names,
    };
    const termStarts = offsets.length > 0 ? termStartsOf(termBytes, offsets.length - 1) : undefined;
    if (!termStarts || offsets[offsets.length - 1] !== s.postings || fstatSync(fd).size < postings.at + s.postings || !tablesAreSound(entries)) return undefined;
    keep = true;
    return { segment: { termBytes, termStarts, offsets, postings }, postings, entries };
  } catch {
    return undefined; // truncated or foreign: parse everything, as without a cache
  } finally {
    if (!keep) closeSync(fd);
  }
}

/**
 * Write the cache beside the content, atomically (temporary dotfile, then rename). Returns the
 * written file's postings, open, so the index can serve from them instead of memory; the caller
 * closes them if it doesn't.
 */
export function writeCache(root: string, version: string, contents: { readonly segment: IndexSegment; readonly docs: readonly (ArticleEntry | undefined)[] }): PostingsFile {
  const { segment, docs } = contents;
  const t = packEntries(docs);
  const view = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const terms = view(segment.termBytes);
  const offsets = view(segment.offsets);
  const p = segment.postings;
  // Postings still in an older cache file are copied over in slices, not read whole into memory.
  const postings: Buffer[] = [];
  if (p instanceof Uint8Array) postings.push(view(p));
  else for (let from = 0; from < p.length; from += 1 << 20) postings.push(view(p.read(from, Math.min(p.length, from + (1 << 20)))));
  const postingsLength = p.length;
  const names = Buffer.from(JSON.stringify(t.names), 'utf8');
  const header = Buffer.from(JSON.stringify({
    format: FORMAT, version, docs: t.count,
    sections: { terms: terms.length, offsets: offsets.length, postings: postingsLength, names: names.length, records: t.records.length },
  } satisfies Header), 'utf8');
  const lead = Buffer.alloc(MAGIC.length + 4);
  lead.write(MAGIC, 'latin1');
  lead.writeUInt32LE(header.length, MAGIC.length);
  const tmp = path.join(root, `${CACHE_FILE}.${process.pid}.tmp`);
  // Read and write: the descriptor outlives the rename as the postings' file.
  const fd = openSync(tmp, 'w+');
  let postingsAt = 0;
  try {
    let at = 0;
    const write = (b: Buffer): void => {
      for (let done = 0; done < b.length; ) done += writeSync(fd, b, done);
      at += b.length;
    };
    const tables = [t.bounds, t.siteNum, t.dateNum, t.size, t.mtime, t.alive, t.records].map((a) => [view(a)]);
    for (const section of [[lead], [header], [terms], [offsets], postings, [names], ...tables]) {
      if (section === postings) postingsAt = at;
      section.forEach(write);
      if (pad4(at) > at) write(Buffer.alloc(pad4(at) - at));
    }
    renameSync(tmp, path.join(root, CACHE_FILE));
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  return new PostingsFile(fd, postingsAt, postingsLength);
}
