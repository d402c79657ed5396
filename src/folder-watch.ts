import { readdirSync, watch as fsWatch, type FSWatcher } from 'node:fs';
import { lstat } from 'node:fs/promises';
import path from 'node:path';

export interface FolderEvents {
  /** something named `name` changed in the folder `dir` (absolute); null: the folder itself */
  change(dir: string, name: string | null): void;
  error(err: NodeJS.ErrnoException): void;
}

/**
 * inotify through `fs.watch`: one watch per folder of content/, none per file, and no file is
 * looked at to set them up. chokidar (kept for --poll) sets up the same watches, but lstats every
 * file once on the way (readdirp with `alwaysStat`): at 100,000 articles that scan left ~200 MB of
 * RSS behind after all of it was garbage. Folders created later are watched as soon as an event
 * names them; watches of folders that are gone are closed.
 */
export class FolderWatch {
  private readonly watchers = new Map<string, FSWatcher>(); // absolute folder → its watch
  private closed = false;

  constructor(
    private readonly root: string,
    /** absolute path → true when it is never watched (hidden and temporary names) */
    private readonly ignored: (abs: string) => boolean,
    private readonly events: FolderEvents,
  ) {}

  start(): void {
    this.add(this.root);
  }

  close(): void {
    this.closed = true;
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }

  /** Watch `dir` and every folder below it; symlinked folders are not followed. */
  private add(dir: string): void {
    if (this.closed || this.watchers.has(dir)) return;
    let w: FSWatcher;
    try {
      w = fsWatch(dir, { persistent: true }, (_event, name) => this.event(dir, name === null ? null : String(name)));
    } catch (err) {
      this.events.error(err as NodeJS.ErrnoException);
      return;
    }
    w.on('error', (err: NodeJS.ErrnoException) => {
      this.drop(dir);
      if (err.code !== 'ENOENT' && err.code !== 'EPERM') this.events.error(err); // a folder removed under its watch
    });
    this.watchers.set(dir, w);
    let dirents;
    try {
      dirents = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // gone meanwhile: its parent's event says so
    }
    // Files first out: joining 100,000 file names only to skip them was a tenth of a second of start-up.
    for (const d of dirents) {
      if (!d.isDirectory()) continue;
      const sub = path.join(dir, d.name);
      if (!this.ignored(sub)) this.add(sub);
    }
  }

  private event(dir: string, name: string | null): void {
    this.events.change(dir, name);
    if (name === null || this.closed) return;
    const abs = path.join(dir, name);
    if (this.ignored(abs)) return;
    lstat(abs).then(
      (st) => {
        if (!st.isDirectory() || this.watchers.has(abs)) return;
        this.add(abs);
        // Files written into the new folder before its watch existed: have the folder looked at again.
        this.events.change(dir, name);
      },
      () => this.drop(abs),
    );
  }

  /** Close the watches of a folder that is gone, and of the folders that were below it. */
  private drop(dir: string): void {
    if (!this.watchers.has(dir)) return;
    for (const [d, w] of this.watchers) {
      if (d === dir || d.startsWith(dir + path.sep)) {
        w.close();
        this.watchers.delete(d);
      }
    }
  }
}
