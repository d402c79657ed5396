import { statSync } from 'node:fs';
import { sameVersion } from '../archive/folder-diff.js';
import { readRecorded } from './open-file.js';

/** Files up to this size are kept whole in memory once asked for. */
export const HOT_FILE_MAX = 1024 * 1024;
/** All kept files together, counting copies still being written to slow clients. */
export const HOT_FILES_BUDGET = 32 * 1024 * 1024;

export interface HotFile {
  readonly bytes: Buffer;
  readonly size: number;
  readonly mtimeMs: number;
  /** sockets whose kernel buffer has not taken all of `bytes` yet: the buffer lives until they close */
  pins: number;
  /** still findable (false once evicted or replaced; then kept only while pinned) */
  listed: boolean;
}

/**
 * Small files (images, podcasts up to 1 MB) kept whole in memory, so a popular one is written from a
 * buffer like a rendered menu instead of being read in 64 KB pieces through the thread pool per
 * request: on this machine that, and the fresh pages of every read, made a 1 MB file 8x slower
 * than a buffer (bench/RESULTS.md). Every hit still stats the path and must find the size and
 * mtime the archive recorded, so a file changed on disk is never served from here, watcher or not.
 *
 * Memory is bounded by the budget including what slow clients still hold: a buffer the kernel has
 * not taken whole is pinned until its socket closes and is not evicted meanwhile; when nothing fits,
 * the file is streamed from disk as before.
 */
export class HotFiles {
  private readonly files = new Map<string, HotFile>();
  private readonly loading = new Map<string, Promise<HotFile | undefined>>();
  /** bytes of every kept buffer, listed or pinned */
  private held = 0;

  constructor(
    readonly maxFile = HOT_FILE_MAX,
    readonly budget = HOT_FILES_BUDGET,
  ) {}

  get heldBytes(): number {
    return this.held;
  }

  /** The file's bytes, if kept and the file on disk is still the version the archive recorded. */
  get(path: string, size: number, mtimeMs: number): HotFile | undefined {
    const f = this.files.get(path);
    if (f === undefined) return undefined;
    const st = statSync(path, { throwIfNoEntry: false });
    const recorded = { size, mtimeMs };
    if (st === undefined || !st.isFile() || !sameVersion(recorded, st) || !sameVersion(recorded, f)) {
      this.unlist(path, f);
      return undefined;
    }
    // Most recently used last: eviction takes from the front.
    this.files.delete(path);
    this.files.set(path, f);
    return f;
  }

  /**
   * Read the file whole (once, however many ask at the same time) and keep it, if it is small,
   * matches the archive's record before and after the read, and fits the budget.
   */
  load(path: string, size: number, mtimeMs: number): Promise<HotFile | undefined> {
    if (size > this.maxFile) return Promise.resolve(undefined);
    // Per version: a request for the next version of a file must not get the one being read.
    const key = `${size}:${mtimeMs}:${path}`;
    const pending = this.loading.get(key);
    if (pending) return pending;
    const p = this.read(path, size, mtimeMs).finally(() => this.loading.delete(key));
    this.loading.set(key, p);
    return p;
  }

  /** `bytes` of `f` are still queued for a socket: keep them until `unpin`. */
  pin(f: HotFile): void {
    f.pins++;
  }

  unpin(f: HotFile): void {
    if (--f.pins === 0 && !f.listed) this.held -= f.size;
  }

  private async read(path: string, size: number, mtimeMs: number): Promise<HotFile | undefined> {
    if (!this.makeRoom(size)) return undefined;
    const bytes = await readRecorded(path, { size, mtimeMs });
    if (bytes === undefined || !this.makeRoom(size)) return undefined;
    const old = this.files.get(path);
    if (old) this.unlist(path, old);
    const f: HotFile = { bytes, size, mtimeMs, pins: 0, listed: true };
    this.files.set(path, f);
    this.held += size;
    return f;
  }

  /** Evict least recently used unpinned files until `size` more fits; false if it cannot. */
  private makeRoom(size: number): boolean {
    if (this.held + size <= this.budget) return true;
    for (const [path, f] of this.files) {
      if (f.pins > 0) continue;
      this.unlist(path, f);
      if (this.held + size <= this.budget) return true;
    }
    return false;
  }

  private unlist(path: string, f: HotFile): void {
    if (!f.listed) return;
    f.listed = false;
    this.files.delete(path);
    if (f.pins === 0) this.held -= f.size;
  }
}
