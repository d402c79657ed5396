import { closeSync, readSync } from 'node:fs';

/**
 * A segment's postings left in the start-up cache file instead of memory: bytes [at, at + length)
 * of a file this process keeps open. At 100,000 articles they are ~57 MB that every process (and
 * every `--workers` worker) would otherwise hold on its own; read with pread they come from the
 * page cache, which all processes share, and a search reads only its terms' lists (a few KB each).
 *
 * The descriptor, not the path, is what counts: when the cache is rewritten (a new file renamed over
 * it) this still reads the file it was opened on, so offsets and bytes always agree.
 */
export class PostingsFile {
  private closed = false;

  constructor(
    private readonly fd: number,
    readonly at: number,
    readonly length: number,
  ) {}

  /** Bytes [from, to) of the postings; throws on a read error or a file cut short. */
  read(from: number, to: number): Uint8Array {
    if (this.closed) throw new Error('postings file already closed');
    const out = Buffer.allocUnsafe(to - from);
    for (let got = 0; got < out.length; ) {
      const n = readSync(this.fd, out, got, out.length - got, this.at + from + got);
      if (n === 0) throw new Error('postings file cut short');
      got += n;
    }
    return out;
  }

  /** Once, when the index stops using these postings; later calls do nothing (no fd closed twice). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}
