import { closeSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { termStartsOf } from '../search/packed-terms.js';
import type { Segment } from '../search/postings.js';
import type { ArticleEntry } from './entry.js';
import { articleSelector, idOfFile } from './selectors.js';

/**
 * The start-up cache, `content/.gopherpress-cache`: every article's metadata and the packed search
 * index, so a restart reads one file instead of parsing 100,000. A dotfile, so it is never served
 * and never scanned. Entries are trusted only while the file's size and mtime match; anything else
 * is parsed again. Any change to the parser or the layout must bump FORMAT.
 *
 * Layout: `GPCACHE\n`, u32 length of a JSON header, the header, then the sections it lists
 * (terms joined by LF, u32 offsets, postings bytes, JSON entries), each padded to 4 bytes.
 */
export const CACHE_FILE = '.gopherpress-cache';
const MAGIC = 'GPCACHE\n';
const FORMAT = 1;

export interface CacheContents {
  readonly segment: Segment;
  /** document number → entry; null for a number whose article is gone */
  readonly docs: readonly (ArticleEntry | undefined)[];
}

interface Header {
  readonly format: number;
  readonly version: string;
  readonly sections: { readonly terms: number; readonly offsets: number; readonly postings: number; readonly entries: number };
}

type PackedEntry = [relPath: string, site: number, title: string, date: string, tags: number[], linkIds: string[], size: number, mtimeMs: number] | null;

const pad4 = (n: number): number => (n + 3) & ~3;

function pack(docs: readonly (ArticleEntry | undefined)[]): string {
  const sites = new Map<string, number>();
  const tags = new Map<string, number>();
  const index = (m: Map<string, number>, s: string): number => {
    let i = m.get(s);
    if (i === undefined) m.set(s, (i = m.size));
    return i;
  };
  // Broken entries (unreadable files) are not worth keeping: the next start reads them again.
  const packed: PackedEntry[] = docs.map((e) =>
    e === undefined || e.broken ? null : [e.relPath, index(sites, e.site), e.title, e.date, e.tags.map((t) => index(tags, t)), [...e.linkIds], e.size, e.mtimeMs],
  );
  return JSON.stringify({ sites: [...sites.keys()], tags: [...tags.keys()], docs: packed });
}

function unpack(json: string): (ArticleEntry | undefined)[] {
  const { sites, tags, docs } = JSON.parse(json) as { sites: string[]; tags: string[]; docs: PackedEntry[] };
  return docs.map((d) => {
    if (d === null) return undefined;
    const [relPath, site, title, date, tagIdx, linkIds, size, mtimeMs] = d;
    return { relPath, id: idOfFile(relPath), selector: articleSelector(relPath), site: sites[site]!, title, date, tags: tagIdx.map((i) => tags[i]!), linkIds, size, mtimeMs };
  });
}

/** The cache of content/, or undefined when there is none or it was written by another version. */
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
    const read = (into: Uint8Array): void => {
      for (let got = 0; got < into.length; ) {
        const n = readSync(fd, into, got, into.length - got, at + got);
        if (n === 0) throw new Error('truncated');
        got += n;
      }
      at += into.length;
    };
    const bytes = (n: number): Buffer => {
      const b = Buffer.allocUnsafe(n);
      read(b);
      at = pad4(at);
      return b;
    };
    const lead = bytes(MAGIC.length + 4);
    if (lead.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
    at = MAGIC.length + 4;
    const header = JSON.parse(bytes(lead.readUInt32LE(MAGIC.length)).toString('utf8')) as Header;
    if (header.format !== FORMAT || header.version !== version) return undefined;
    const { sections: s } = header;
    // The terms section as it is: the segment keeps these bytes (see packed-terms.ts).
    const termBytes = new Uint8Array(s.terms);
    read(termBytes);
    at = pad4(at);
    if (s.offsets % 4 !== 0) return undefined;
    const offsets = new Uint32Array(s.offsets / 4);
    read(new Uint8Array(offsets.buffer));
    at = pad4(at);
    const postings = new Uint8Array(s.postings);
    read(postings);
    at = pad4(at);
    const docs = unpack(bytes(s.entries).toString('utf8'));
    const termStarts = offsets.length > 0 ? termStartsOf(termBytes, offsets.length - 1) : undefined;
    if (!termStarts || offsets[offsets.length - 1] !== postings.length) return undefined;
    return { segment: { termBytes, termStarts, offsets, postings }, docs };
  } catch {
    return undefined; // truncated or foreign: parse everything, as without a cache
  } finally {
    closeSync(fd);
  }
}

/** Write the cache beside the content, atomically (temporary dotfile, then rename). */
export function writeCache(root: string, version: string, contents: CacheContents): void {
  const { segment, docs } = contents;
  const terms = Buffer.from(segment.termBytes.buffer, segment.termBytes.byteOffset, segment.termBytes.byteLength);
  const offsets = Buffer.from(segment.offsets.buffer, segment.offsets.byteOffset, segment.offsets.byteLength);
  const postings = Buffer.from(segment.postings.buffer, segment.postings.byteOffset, segment.postings.byteLength);
  const entries = Buffer.from(pack(docs), 'utf8');
  const header = Buffer.from(JSON.stringify({
    format: FORMAT, version,
    sections: { terms: terms.length, offsets: offsets.length, postings: postings.length, entries: entries.length },
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
    for (const part of [lead, header, terms, offsets, postings, entries]) {
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
