import type { Archive, Change } from './archive.js';
import { scanContent } from './scan.js';

/** Every file and folder path the archive holds, found through its public folder listing. */
function knownPaths(archive: Archive): { files: string[]; dirs: string[] } {
  const files: string[] = [];
  const dirs: string[] = [];
  const walk = (relDir: string): void => {
    for (const name of archive.dir(relDir) ?? []) {
      const rel = relDir === '' ? name : `${relDir}/${name}`;
      if (archive.isDir(rel)) {
        dirs.push(rel);
        walk(rel);
      } else files.push(rel);
    }
  };
  walk('');
  return { files, dirs };
}

/**
 * Read content/ again (SIGHUP) and bring the archive in line with it in ONE batch: what is new or
 * changed is re-read, what is gone is removed, so a request sees the old archive or the new one.
 */
export async function rescanArchive(archive: Archive, root: string): Promise<{ changes: number; errors: string[] }> {
  const scan = await scanContent(root);
  const seen = new Set<string>();
  for (const c of scan.changes) {
    if (c.kind === 'article' || c.kind === 'file') seen.add(c.entry.relPath);
    else if (c.kind === 'dir') seen.add(c.relDir);
  }
  const { files, dirs } = knownPaths(archive);
  const removals: Change[] = [
    ...files.filter((f) => !seen.has(f)).map((relPath): Change => ({ kind: 'remove', relPath })),
    ...dirs.filter((d) => !seen.has(d)).map((relDir): Change => ({ kind: 'remove-dir', relDir })),
  ];
  const changes = [...removals, ...scan.changes];
  archive.apply(changes);
  return { changes: changes.length, errors: scan.errors };
}
