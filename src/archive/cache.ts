import { closeSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { termStartsOf } from '../search/packed-terms.js';
import type { Segment } from '../search/postings.js';
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
  readonly segment: Segment;
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

/** The cache of content/, or undefined when there is none, it is damaged, or another version wrote it. */
export function readCache(root: string, version: string): CacheContents | undefined {
  let fd: number;
  try {
    fd = openSync(path.join(root, CACHE_FILE), 'r');
  } catch {
    return undefined;
  }
  try {
    // Section by section, each read straight into the array that keeps it: reading the whole ~80 MB
    // file into one buffer and copying out of it held it twice until the next GC.
    let at = 0;
    const read = <T extends ArrayBufferView>(into: T): T => {
      const bytes = new Uint8Array(into.buffer, into.byteOffset, into.byteLength);
      for (let got = 0; got < bytes.length; ) {
        const n = readSync(fd, bytes, got, bytes.length - got, at + got);
        if (n === 0) throw new Error('truncated');
        got += n;
      }
      at = pad4(at + bytes.length);
      return into;
    };
    const lead = read(Buffer.allocUnsafe(MAGIC.length + 4));
    if (lead.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
    at = MAGIC.length + 4;
    const header = JSON.parse(read(Buffer.allocUnsafe(lead.readUInt32LE(MAGIC.length))).toString('utf8')) as Header;
    if (header.format !== FORMAT || header.version !== version) return undefined;
    const { sections: s, docs } = header;
    if (s.offsets % 4 !== 0 || !Number.isSafeInteger(docs) || docs < 0) return undefined;
    // The terms section as it is: the segment keeps these bytes (see packed-terms.ts).
    const termBytes = read(new Uint8Array(s.terms));
    const offsets = read(new Uint32Array(s.offsets / 4));
    const postings = read(new Uint8Array(s.postings));
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
    if (!termStarts || offsets[offsets.length - 1] !== postings.length || !tablesAreSound(entries)) return undefined;
    return { segment: { termBytes, termStarts, offsets, postings }, entries };
  } catch {
    return undefined; // truncated or foreign: parse everything, as without a cache
  } finally {
    closeSync(fd);
  }
}

/** Write the cache beside the content, atomically (temporary dotfile, then rename). */
export function writeCache(root: string, version: string, contents: { readonly segment: Segment; readonly docs: readonly (ArticleEntry | undefined)[] }): void {
  const { segment, docs } = contents;
  const t = packEntries(docs);
  const view = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const terms = view(segment.termBytes);
  const offsets = view(segment.offsets);
  const postings = view(segment.postings);
  const names = Buffer.from(JSON.stringify(t.names), 'utf8');
  const header = Buffer.from(JSON.stringify({
    format: FORMAT, version, docs: t.count,
    sections: { terms: terms.length, offsets: offsets.length, postings: postings.length, names: names.length, records: t.records.length },
  } satisfies Header), 'utf8');
  const lead = Buffer.alloc(MAGIC.length + 4);
  lead.write(MAGIC, 'latin1');
  lead.writeUInt32LE(header.length, MAGIC.length);
  const tmp = path.join(root, `${CACHE_FILE}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    let at = 0;
    const write = (b: Buffer): void => {
      for (let done = 0; done < b.length; ) done += writeSync(fd, b, done);
      at += b.length;
    };
    for (const part of [lead, header, terms, offsets, postings, names, view(t.bounds), view(t.siteNum), view(t.dateNum), view(t.size), view(t.mtime), view(t.alive), t.records]) {
      write(part);
      if (pad4(at) > at) write(Buffer.alloc(pad4(at) - at));
    }
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path.join(root, CACHE_FILE));
}
