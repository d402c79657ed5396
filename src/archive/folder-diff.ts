import { isUtf8 } from 'node:buffer';
import { statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Archive, Change } from './archive.js';
import { insideRoot } from './content-path.js';
import type { FoundFile } from './read-change.js';

/** What comparing one folder on disk with the archive found. */
export interface FolderDiff {
  /** changes known without reading a file: new folders, vanished files and folders */
  readonly changes: Change[];
  /**
   * paths that are new (`known` false) or differ in size or mtime from the archive: to be settled and
   * read. An article file in a folder the archive does not know yet is not stat'ed (size and mtime
   * -1): it is new whatever they are, and its reader takes them from the open file.
   */
  readonly dirty: (FoundFile & { readonly known: boolean })[];
  /** the folder's subfolders on disk, for a caller that walks on */
  readonly subdirs: string[];
  readonly errors: string[];
}

export const emptyDiff = (): FolderDiff => ({ changes: [], dirty: [], subdirs: [], errors: [] });

const join = (relDir: string, name: string): string => (relDir === '' ? name : `${relDir}/${name}`);

/** Files the archive never looks at: hidden files, editor and rsync temporaries. */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name.endsWith('~') || name.endsWith('.swp') || name.endsWith('.tmp') || name === 'gophermap.cache';
}

/** Whether a file still is what the archive recorded: the one test of "unchanged" everywhere. */
export function sameVersion(had: { size: number; mtimeMs: number } | undefined, st: { size: number; mtimeMs: number }): boolean {
  return had !== undefined && had.size === st.size && had.mtimeMs === st.mtimeMs;
}

/** Names said once per process: the watcher looks at a folder again and again. */
const reported = new Set<string>();

/** The names said so far here, and names a cold start's scan process said, so that they are not said again. */
export const reportedNames = (): string[] => [...reported];
export function alsoReported(names: readonly string[]): void {
  for (const n of names) reported.add(n);
}

/**
 * A name no selector can reach (a TAB, CR or LF would split a menu line; bytes that are not UTF-8
 * cannot be named in one): left out everywhere, with one line on stderr the first time it is seen.
 */
function unservableName(raw: Buffer, rel: string, errors: string[]): boolean {
  const why = !isUtf8(raw) ? 'is not valid UTF-8' : /[\t\r\n]/.test(rel) ? 'contains a TAB or line break' : undefined;
  if (why === undefined) return false;
  if (!reported.has(rel)) {
    reported.add(rel);
    errors.push(`${JSON.stringify(rel)}: file name ${why}; left out of the archive (rename it to serve it)`);
  }
  return true;
}

/**
 * The one walker of content/: list one folder, stat its entries and compare them with what the
 * archive holds for it. Nothing is read here. Symlinks count only where they stay inside content/,
 * and linked folders are never followed (no loops, no escapes).
 */
export async function diffFolder(root: string, rootReal: string, archive: Archive, relDir: string, out: FolderDiff): Promise<void> {
  let dirents;
  try {
    dirents = await readdir(path.join(root, relDir), { withFileTypes: true, encoding: 'buffer' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      if (relDir !== '' && archive.isDir(relDir)) out.changes.push({ kind: 'remove-dir', relDir });
    } else out.errors.push(`${relDir || '.'}: cannot list folder (${code})`);
    return;
  }
  const known = archive.folderContents(relDir);
  if (relDir !== '' && !known) out.changes.push({ kind: 'dir', relDir });
  const seen = new Set<string>();
  const files: string[] = [];
  for (const d of dirents) {
    const name = d.name.toString();
    if (isIgnoredName(name)) continue;
    const rel = join(relDir, name);
    if (unservableName(d.name, rel, out.errors)) continue;
    if (d.isDirectory()) {
      seen.add(name);
      out.subdirs.push(rel);
    } else if (!known && d.isFile() && name.endsWith('.txt')) {
      // A cold start's 1,000,000 stat calls were a tenth of its scan's main thread.
      out.dirty.push({ relPath: rel, isFile: true, size: -1, mtimeMs: -1, known: false });
    } else if (!d.isSymbolicLink() || insideRoot(rootReal, path.join(root, rel))) {
      seen.add(name);
      files.push(rel);
    }
  }
  // stat one by one: a cold start's 100,000 calls through the thread pool cost the main thread more than the calls.
  for (const rel of files) {
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    const st = statSync(path.join(root, rel), { throwIfNoEntry: false });
    // vanished meanwhile, a dangling link, or a linked folder (never followed)
    if (st === undefined || st.isDirectory()) seen.delete(name);
    else {
      const had = known?.get(name);
      if (!sameVersion(had, st)) out.dirty.push({ relPath: rel, isFile: st.isFile(), size: st.size, mtimeMs: st.mtimeMs, known: had !== undefined });
    }
  }
  for (const [name, had] of known ?? []) {
    if (seen.has(name)) continue;
    const rel = join(relDir, name);
    out.changes.push(had.folder ? { kind: 'remove-dir', relDir: rel } : { kind: 'remove', relPath: rel });
  }
}
