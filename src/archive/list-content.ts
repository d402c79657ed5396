import { readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { insideRoot } from './content-path.js';
import { isIgnoredName } from './scan.js';

export interface ListedFile {
  readonly relPath: string;
  /** -1 when not looked up (see `listContent`) */
  readonly size: number;
  readonly mtimeMs: number;
}

export interface Listing {
  /** every folder below content/ (not content/ itself), parents before children */
  readonly dirs: string[];
  readonly files: ListedFile[];
  readonly errors: string[];
}

/**
 * Every folder and file of content/ with size and mtime, blocking: at start-up nothing is served yet,
 * and a synchronous walk of 100,000 files is several times faster than one thread-pool call per stat.
 * Same rules as `scanContent`: hidden and temporary names skipped, symlinks followed only to files
 * inside content/, unreadable folders reported, not fatal. Without `statArticles` an article file
 * (`.txt`, not a link) is listed with size and mtime -1: a cold start has no cache to compare them
 * with, and reading the file tells both (100,000 stat calls are 0.4 s).
 */
export function listContent(root: string, statArticles = true): Listing {
  const rootReal = realpathSync(root);
  // Paths joined by hand: names from readdir need no normalising, and path.join 115,000 times was 0.1 s.
  const base = root.endsWith(path.sep) ? root : root + path.sep;
  const dirs: string[] = [];
  const files: ListedFile[] = [];
  const errors: string[] = [];
  const walk = (relDir: string): void => {
    let dirents;
    try {
      dirents = readdirSync(base + relDir, { withFileTypes: true });
    } catch (err) {
      errors.push(`${relDir || '.'}: cannot list folder (${(err as NodeJS.ErrnoException).code})`);
      return;
    }
    if (relDir !== '') dirs.push(relDir);
    const subdirs: string[] = [];
    for (const d of dirents) {
      if (isIgnoredName(d.name)) continue;
      const rel = relDir === '' ? d.name : `${relDir}/${d.name}`;
      if (d.isDirectory()) {
        subdirs.push(rel);
        continue;
      }
      if (!d.isFile() && !d.isSymbolicLink()) continue;
      if (!statArticles && d.isFile() && d.name.endsWith('.txt')) {
        files.push({ relPath: rel, size: -1, mtimeMs: -1 });
        continue;
      }
      if (d.isSymbolicLink() && !insideRoot(rootReal, path.join(root, rel))) {
        errors.push(`${rel}: symlink points outside content/, ignored`);
        continue;
      }
      let st;
      try {
        st = statSync(base + rel);
      } catch {
        continue; // gone meanwhile, or a dangling link
      }
      // Linked folders are never followed: no loops, no escapes.
      if (st.isFile()) files.push({ relPath: rel, size: st.size, mtimeMs: st.mtimeMs });
    }
    for (const s of subdirs) walk(s);
  };
  walk('');
  return { dirs, files, errors };
}
