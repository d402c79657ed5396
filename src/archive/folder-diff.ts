import { isUtf8 } from 'node:buffer';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Archive, Change } from './archive.js';
import { insideRoot } from './content-path.js';

/** What comparing one folder on disk with the archive found. */
export interface FolderDiff {
  /** changes known without reading a file: new folders, vanished files and folders */
  readonly changes: Change[];
  /** paths that are new or differ in size or mtime from the archive: to be settled and read */
  readonly dirty: string[];
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
  const known = archive.dir(relDir);
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
    } else if (!d.isSymbolicLink() || insideRoot(rootReal, path.join(root, rel))) {
      seen.add(name);
      files.push(rel);
    }
  }
  await Promise.all(
    files.map(async (rel) => {
      let st;
      try {
        st = await stat(path.join(root, rel));
      } catch {
        seen.delete(rel.slice(rel.lastIndexOf('/') + 1)); // vanished meanwhile, or a dangling link
        return;
      }
      if (st.isDirectory()) {
        seen.delete(rel.slice(rel.lastIndexOf('/') + 1)); // a linked folder is never followed
        return;
      }
      if (!sameVersion(archive.byRelPath(rel) ?? archive.file(rel), st)) out.dirty.push(rel);
    }),
  );
  for (const name of known ?? []) {
    if (seen.has(name)) continue;
    const rel = join(relDir, name);
    out.changes.push(archive.isDir(rel) ? { kind: 'remove-dir', relDir: rel } : { kind: 'remove', relPath: rel });
  }
}
