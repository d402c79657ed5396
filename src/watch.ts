import { lstat, stat } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Archive, Change } from './archive/archive.js';
import { diffFolder, emptyDiff, isIgnoredName, sameVersion, type FolderDiff } from './archive/folder-diff.js';
import { changeForPath, eachLimit } from './archive/scan.js';
import { FileReader } from './archive/read-article.js';
import { insideRoot } from './archive/content-path.js';
import { FolderWatch } from './folder-watch.js';

export interface WatchOptions {
  readonly root: string;
  /** stat-poll folders instead of inotify (network file systems) */
  readonly poll: boolean;
  readonly info: (line: string) => void;
  readonly error: (line: string) => void;
  /** a file is complete once neither an event nor its mtime has moved for this long */
  readonly settleMs?: number;
  /** --poll: how often each folder is stat-ed */
  readonly pollIntervalMs?: number;
  /** --poll: every file is re-stat-ed once per sweep, to catch rewrites in place */
  readonly sweepMs?: number;
}

interface Pending {
  /** last event for this path (0: found by a folder diff, not an event) */
  lastEvent: number;
  /** size, mtime and inode at the last look, and when that look saw them first */
  sig?: string;
  sigSince?: number;
}

const TICK_MS = 50;
const IO_CONCURRENCY = 64;
/** reads per batch: a tar x of a year shows up in steps of this many, and no apply blocks for long */
const MAX_BATCH = 2000;
/** how long an article that looks cut off (article/cut-off.ts) may stand still before it is taken as it is */
const CUT_OFF_WAIT_MS = 30_000;

/**
 * Follows content/ and feeds the archive whole batches of changes.
 *
 * Only folders are watched (src/folder-watch.ts; chokidar with files ignored under --poll), so 100,000
 * articles in 2,000 folders cost 2,000 inotify watches, not 100,000. Each folder's watch reports the
 * names that changed in it; with --poll a folder reports only that its listing changed, and is diffed against the
 * archive by size and mtime. A path is read once it has settled (see `isSettled`); all reads of a batch
 * finish before the one synchronous `archive.apply`, so a menu never mixes old and new.
 */
export class ContentWatcher {
  private readonly settleMs: number;
  private readonly rootReal: string;
  private readonly pending = new Map<string, Pending>();
  private readonly folders = new Map<string, boolean>(); // relDir → deep
  private timer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweepQueue: string[] = [];
  private running: Promise<void> | undefined;
  private closed = false;
  private chokidar: FSWatcher | undefined;
  private folderWatch: FolderWatch | undefined;
  private archive: Archive | undefined;

  constructor(private readonly o: WatchOptions) {
    this.settleMs = o.settleMs ?? 200;
    this.rootReal = realpathSync(o.root);
  }

  /**
   * Resolves once every folder is watched. Changes are queued from then on, and applied once `follow`
   * hands over the archive: started before content/ is scanned, nothing written during the scan is lost.
   */
  async start(): Promise<void> {
    const { root, poll } = this.o;
    let limitLogged = false; // out of watches fails once per remaining folder: say it once
    const onError = (err: NodeJS.ErrnoException): void => {
      if (err.code === 'ENOSPC' || err.code === 'EMFILE') {
        if (limitLogged) return;
        limitLogged = true;
      }
      this.o.error(watchErrorLine(err));
    };
    if (!poll) {
      // inotify: each folder's watch names the entry that changed.
      this.folderWatch = new FolderWatch(root, (abs) => this.isIgnored(path.relative(root, abs)), {
        change: (dir, name) => {
          // A name no selector can carry (see folder-diff.ts) is the walker's to leave out and report.
          if (name === null || /[\t\r\n\ufffd]/.test(name)) this.markFolder(path.relative(root, dir), false);
          else this.markPath(path.relative(root, path.resolve(dir, name)));
        },
        error: onError,
      });
      this.folderWatch.start();
      return;
    }
    this.chokidar = watch(root, {
      ignoreInitial: true,
      followSymlinks: false,
      usePolling: true,
      interval: this.o.pollIntervalMs ?? 500,
      // Files are never watched one by one: their folder's watch reports them (see the class comment).
      ignored: (p, st) => (st !== undefined && !st.isDirectory()) || this.isIgnored(path.relative(root, p)),
    });
    this.chokidar.on('raw', (_event, evPath: string | null, opts) => {
      const details = (opts ?? {}) as { watchedPath?: string };
      // Polling: a folder's listing changed (or, as with inotify, a named entry in it).
      if (details.watchedPath === undefined) this.markFolder(path.relative(root, evPath ?? root), false);
      else if (!evPath) this.markFolder(path.relative(root, details.watchedPath), false);
      else this.markPath(path.relative(root, path.resolve(details.watchedPath, evPath)));
    });
    this.chokidar.on('error', (err) => onError(err as NodeJS.ErrnoException));
    await new Promise<void>((resolve) => this.chokidar!.once('ready', resolve));
  }

  /** Start applying changes to `archive` (loaded after `start`), queued ones first. */
  follow(archive: Archive): void {
    this.archive = archive;
    if (this.o.poll) this.sweepTimer = setInterval(() => this.sweep(archive), 1000);
    this.schedule();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    clearInterval(this.sweepTimer);
    this.folderWatch?.close();
    await this.chokidar?.close();
    await this.running;
  }

  private isIgnored(rel: string): boolean {
    return rel !== '' && rel.split(path.sep).some(isIgnoredName);
  }

  private markPath(rel: string, lastEvent = Date.now()): void {
    if (rel.startsWith('..') || path.isAbsolute(rel) || this.isIgnored(rel)) return;
    rel = rel.split(path.sep).join('/');
    const p = this.pending.get(rel);
    if (p) p.lastEvent = Math.max(p.lastEvent, lastEvent);
    else this.pending.set(rel, { lastEvent });
    this.schedule();
  }

  private markFolder(rel: string, deep: boolean): void {
    if (rel.startsWith('..') || this.isIgnored(rel)) return;
    rel = rel.split(path.sep).join('/');
    this.folders.set(rel, deep || this.folders.get(rel) === true);
    this.schedule();
  }

  private schedule(): void {
    if (this.closed || this.timer || this.running || !this.archive) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.running) return; // the running batch reschedules when it ends
      this.running = this.batch()
        .catch((err: unknown) => this.o.error(`watch: ${(err as Error).stack ?? String(err)}`))
        .finally(() => {
          this.running = undefined;
          if (this.pending.size > 0 || this.folders.size > 0) this.schedule();
        });
    }, TICK_MS);
  }

  /** One round: diff marked folders, settle marked paths, read the settled ones, apply them all at once. */
  private async batch(): Promise<void> {
    const { root } = this.o;
    const archive = this.archive!;
    const diff = emptyDiff();
    const folders = [...this.folders];
    this.folders.clear();
    for (const [rel, deep] of folders) await this.diff(rel, deep, diff);

    const now = Date.now();
    const due: string[] = [];
    for (const [rel, p] of this.pending) {
      if (now - p.lastEvent >= this.settleMs) due.push(rel);
      if (due.length >= MAX_BATCH) break;
    }
    const ready: string[] = [];
    await eachLimit(due, IO_CONCURRENCY, async (rel) => {
      const verdict = await this.look(rel, now, diff);
      if (verdict !== 'wait') this.pending.delete(rel);
      if (verdict === 'read') ready.push(rel);
    });
    const errors = diff.errors;
    const read: Change[] = [];
    const reader = new FileReader();
    for (const rel of ready) {
      const c = changeForPath(root, rel, errors, reader);
      // Looks unfinished: wait for the rest, unless the file has stood still for CUT_OFF_WAIT_MS.
      if (c.kind === 'article' && c.cutOff && Date.now() - c.article.entry.mtimeMs < CUT_OFF_WAIT_MS) this.markPath(rel, Date.now() + this.settleMs);
      else read.push(c);
    }
    if (this.closed) return;
    const changes = [...dedupe(diff.changes), ...read];
    for (const e of errors) this.o.error(e);
    if (changes.length === 0) return;
    const summary = summarize(archive, changes);
    archive.apply(changes);
    this.o.info(`content changed (generation ${archive.generation}): ${summary}`);
  }

  /**
   * What to do with one marked path now: read it, wait for it to settle, or drop it. Folders are
   * diffed (into `diff`) and vanished paths become removals there.
   */
  private async look(rel: string, now: number, diff: FolderDiff): Promise<'read' | 'wait' | 'done'> {
    const { root } = this.o;
    const archive = this.archive!;
    const abs = path.join(root, rel);
    let st;
    try {
      const l = await lstat(abs);
      if (l.isSymbolicLink() && !insideRoot(this.rootReal, abs)) throw new Error('outside');
      st = l.isSymbolicLink() ? await stat(abs) : l;
    } catch {
      if (archive.isDir(rel)) diff.changes.push({ kind: 'remove-dir', relDir: rel });
      else if (archive.byRelPath(rel) || archive.file(rel)) diff.changes.push({ kind: 'remove', relPath: rel });
      return 'done';
    }
    if (st.isDirectory()) {
      if (archive.byRelPath(rel) || archive.file(rel)) diff.changes.push({ kind: 'remove', relPath: rel });
      await this.diff(rel, true, diff);
      return 'done';
    }
    if (sameVersion(archive.byRelPath(rel) ?? archive.file(rel), st)) return 'done';
    const p = this.pending.get(rel)!;
    const sig = `${st.size}:${st.mtimeMs}:${st.ino}`;
    if (p.sig !== sig) {
      p.sig = sig;
      p.sigSince = now;
    }
    if (!isSettled(now, st.mtimeMs, p.sigSince!, this.settleMs, this.o.poll)) return 'wait';
    if (archive.isDir(rel)) diff.changes.push({ kind: 'remove-dir', relDir: rel });
    return 'read';
  }

  /**
   * Compare a folder with the archive; its subfolders too when `deep` or when the archive does not
   * know them yet (a `mv` or `tar x` of a whole tree). Paths that differ are marked to settle.
   */
  private async diff(relDir: string, deep: boolean, out: FolderDiff): Promise<void> {
    const archive = this.archive!;
    const folder = emptyDiff();
    await diffFolder(this.o.root, this.rootReal, archive, relDir, folder);
    out.changes.push(...folder.changes);
    out.errors.push(...folder.errors);
    for (const d of folder.dirty) this.markPath(d.relPath, 0);
    for (const sub of folder.subdirs) if (deep || !archive.isDir(sub)) await this.diff(sub, deep, out);
  }

  /** --poll: re-stat a slice of the folders every second, so that a file rewritten in place is seen within a sweep. */
  private sweep(archive: Archive): void {
    if (this.sweepQueue.length === 0) this.sweepQueue = allFolders(archive);
    const slice = Math.max(1, Math.ceil((this.sweepQueue.length * 1000) / (this.o.sweepMs ?? 30_000)));
    for (const rel of this.sweepQueue.splice(0, slice)) this.markFolder(rel, false);
  }
}

/**
 * A file is complete when nothing has written to it for `settleMs` (the caller has seen no event for it
 * that long): its mtime is that old, since writers move it with every chunk and tar, cp -p and rsync
 * set an old one only once the data is in. An mtime in the future (a network file system's clock ahead
 * of ours) falls back on size, mtime and inode standing still that long; with --poll (`strict`), where
 * no event tells of a write and the server's clock may lag ours, both must hold.
 */
export function isSettled(now: number, mtimeMs: number, unchangedSince: number, settleMs: number, strict: boolean): boolean {
  const oldMtime = now - mtimeMs >= settleMs;
  const stable = now - unchangedSince >= settleMs;
  const future = mtimeMs > now;
  if (strict) return stable && (oldMtime || future);
  return oldMtime || (future && stable);
}

export async function startWatcher(o: WatchOptions): Promise<ContentWatcher> {
  const w = new ContentWatcher(o);
  await w.start();
  return w;
}

/** A folder diff and a look at the same vanished path both report it; apply and log it once. */
function dedupe(changes: readonly Change[]): Change[] {
  const seen = new Set<string>();
  return changes.filter((c) => {
    const key = c.kind === 'remove' ? `f:${c.relPath}` : c.kind === 'dir' || c.kind === 'remove-dir' ? `${c.kind}:${c.relDir}` : undefined;
    if (key === undefined) return true;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function allFolders(archive: Archive): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    out.push(rel);
    for (const name of archive.dir(rel) ?? []) {
      const child = rel === '' ? name : `${rel}/${name}`;
      if (archive.isDir(child)) walk(child);
    }
  };
  walk('');
  return out;
}

/** `2 added, 1 removed: a/!1.txt, a/!2.txt, b/!3.txt`: counts, and the paths when there are few. */
function summarize(archive: Archive, changes: readonly Change[]): string {
  const counts = new Map<string, number>();
  const paths: string[] = [];
  for (const c of changes) {
    let what: string;
    if (c.kind === 'article' || c.kind === 'file') {
      const relPath = c.kind === 'article' ? c.article.entry.relPath : c.entry.relPath;
      what = archive.byRelPath(relPath) || archive.file(relPath) ? 'updated' : 'added';
      paths.push(relPath);
    } else if (c.kind === 'remove') {
      what = 'removed';
      paths.push(c.relPath);
    } else {
      what = c.kind === 'dir' ? 'folders added' : 'folders removed';
      paths.push(c.relDir + '/');
    }
    counts.set(what, (counts.get(what) ?? 0) + 1);
  }
  const head = [...counts].map(([what, n]) => `${n} ${what}`).join(', ');
  return paths.length <= 3 ? `${head}: ${paths.join(', ')}` : head;
}

function watchErrorLine(err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOSPC' || err.code === 'EMFILE') {
    return `watch: out of inotify watches or instances (${err.code}); new files in some folders will not be seen until restart. Raise fs.inotify.max_user_watches (one watch per folder) or run with --poll`;
  }
  return `watch: ${err.code ?? ''} ${err.message}`;
}
