import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Archive, Change } from './archive.js';
import { insideRoot } from './content-path.js';
import { isIgnoredName } from './scan.js';

/** What comparing folders on disk with the archive found. */
export interface FolderDiff {
  /** changes known without reading a file: new folders, vanished files and folders */
  readonly changes: Change[];
  /** paths that are new or differ in size or mtime from the archive: to be settled and read */
  readonly dirty: string[];
  readonly errors: string[];
}

export const emptyDiff = (): FolderDiff => ({ changes: [], dirty: [], errors: [] });

const join = (relDir: string, name: string): string => (relDir === '' ? name : `${relDir}/${name}`);

/**
 * Compare one folder of content/ with what the archive holds for it, by listing it and stat-ing its
 * entries: this is how the watcher catches up on a folder without a watch per file. Folders the archive
 * does not know yet are walked whole; known subfolders only when `deep`. Nothing is read here.
 */
export async function diffFolder(root: string, rootReal: string, archive: Archive, relDir: string, deep: boolean, out: FolderDiff): Promise<void> {
  let dirents;
  try {
    dirents = await readdir(path.join(root, relDir), { withFileTypes: true });
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
  const subdirs: string[] = [];
  const files: string[] = [];
  for (const d of dirents) {
    if (isIgnoredName(d.name)) continue;
    const rel = join(relDir, d.name);
    if (d.isDirectory()) {
      seen.add(d.name);
      if (deep || !archive.isDir(rel)) subdirs.push(rel);
    } else if (d.isSymbolicLink() && !insideRoot(rootReal, path.join(root, rel))) {
      continue; // as scanContent: links out of content/ are not part of the archive
    } else {
      seen.add(d.name);
      files.push(rel);
    }
  }
  await Promise.all(
    files.map(async (rel) => {
      let st;
      try {
        st = await stat(path.join(root, rel));
      } catch {
        return; // vanished meanwhile, or a dangling link: its own event or the removal below covers it
      }
      if (st.isDirectory()) return; // a linked folder is never followed
      const had = archive.byRelPath(rel) ?? archive.file(rel);
      if (!had || had.size !== st.size || had.mtimeMs !== st.mtimeMs) out.dirty.push(rel);
    }),
  );
  for (const name of known ?? []) {
    if (seen.has(name)) continue;
    const rel = join(relDir, name);
    out.changes.push(archive.isDir(rel) ? { kind: 'remove-dir', relDir: rel } : { kind: 'remove', relPath: rel });
  }
  for (const s of subdirs) await diffFolder(root, rootReal, archive, s, deep, out);
}
