import { readdir, stat } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { Change } from './archive.js';
import { entryFromArticle, brokenEntry } from './entry.js';
import { readArticle, searchableText } from './read-article.js';
import { insideRoot } from './content-path.js';

export interface ScanResult {
  readonly changes: Change[];
  readonly errors: string[];
}

/** Files the archive never looks at: hidden files, editor and rsync temporaries. */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name.endsWith('~') || name.endsWith('.swp') || name.endsWith('.tmp') || name === 'gophermap.cache';
}

/** Read one path under content/ into the change that puts it in the archive (or removes it). */
export async function changeForPath(root: string, relPath: string, errors: string[]): Promise<Change> {
  const abs = path.join(root, relPath);
  let st;
  try {
    st = await stat(abs);
  } catch {
    return { kind: 'remove', relPath };
  }
  if (st.isDirectory()) return { kind: 'dir', relDir: relPath };
  if (!st.isFile()) {
    // A FIFO, socket or device: opening it could block forever. An article by name is listed as
    // unavailable so that its menu says why; any other such name is not part of the archive.
    if (!relPath.endsWith('.txt')) return { kind: 'remove', relPath };
    errors.push(`${relPath}: cannot read article (not a regular file)`);
    return { kind: 'article', entry: brokenEntry(relPath, 'not a regular file', st.size, st.mtimeMs), text: '' };
  }
  if (!relPath.endsWith('.txt')) return { kind: 'file', entry: { relPath, size: st.size, mtimeMs: st.mtimeMs } };
  try {
    const r = await readArticle(abs, relPath);
    return { kind: 'article', entry: entryFromArticle(relPath, r.article, r.size, r.mtimeMs), text: searchableText(r.article) };
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? String(err);
    errors.push(`${relPath}: cannot read article (${reason})`);
    return { kind: 'article', entry: brokenEntry(relPath, reason, st.size, st.mtimeMs), text: '' };
  }
}

/**
 * Walk content/ and return the changes that build the archive from nothing. Symlinks are followed
 * only where they stay inside content/; unreadable folders and files are reported, not fatal.
 */
export async function scanContent(root: string, concurrency = 64): Promise<ScanResult> {
  const rootReal = realpathSync(root);
  const changes: Change[] = [];
  const errors: string[] = [];
  const pending: string[] = [];
  const walk = async (relDir: string): Promise<void> => {
    let dirents;
    try {
      dirents = await readdir(path.join(root, relDir), { withFileTypes: true });
    } catch (err) {
      errors.push(`${relDir || '.'}: cannot list folder (${(err as NodeJS.ErrnoException).code})`);
      return;
    }
    if (relDir !== '') changes.push({ kind: 'dir', relDir });
    const subdirs: string[] = [];
    for (const d of dirents) {
      if (isIgnoredName(d.name)) continue;
      const rel = relDir === '' ? d.name : `${relDir}/${d.name}`;
      if (d.isSymbolicLink()) {
        if (!insideRoot(rootReal, path.join(root, rel))) {
          errors.push(`${rel}: symlink points outside content/, ignored`);
          continue;
        }
        try {
          const st = await stat(path.join(root, rel));
          if (st.isDirectory()) continue; // never follow linked folders: no loops, no escapes
        } catch {
          continue;
        }
        pending.push(rel);
      } else if (d.isDirectory()) subdirs.push(rel);
      else if (d.isFile() || rel.endsWith('.txt')) pending.push(rel); // a FIFO named .txt is listed as unavailable, as the watcher does
    }
    for (const s of subdirs) await walk(s);
  };
  await walk('');
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < pending.length) {
      const rel = pending[next++]!;
      changes.push(await changeForPath(root, rel, errors));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, worker));
  return { changes, errors };
}
