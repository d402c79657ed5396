import type { MenuContext } from './context.js';
import { versionOf } from './all-menu.js';

/**
 * The mirror's list of content/: `path<TAB>version<TAB>selector` a line, folders first in each folder,
 * by name. `path` is where the file lives in content/ (folders end in `/`, their version is `-`);
 * `selector` fetches its bytes (an article's type-0 text, which is the article file; any other file as
 * stored). With it a mirror rebuilds the same content/ without guessing paths from the selector scheme.
 */
export function filesText(ctx: MenuContext): string {
  return ctx.archive.derived('files.txt', () => {
    const a = ctx.archive;
    const out: string[] = [];
    const walk = (relDir: string): void => {
      const names = [...(a.dir(relDir) ?? [])].sort();
      const dirs: string[] = [];
      for (const name of names) {
        // A name with a TAB or line end would break the line format; such a file cannot be listed.
        if (/[\t\r\n]/.test(name)) continue;
        const rel = relDir === '' ? name : `${relDir}/${name}`;
        const article = a.byRelPath(rel);
        const file = a.file(rel);
        if (a.isDir(rel)) dirs.push(rel);
        else if (article && !article.broken) out.push(`${rel}\t${versionOf(article.size, article.mtimeMs)}\t${article.selector}.txt\n`);
        else if (file) out.push(`${rel}\t${versionOf(file.size, file.mtimeMs)}\t/${rel}\n`);
      }
      for (const d of dirs) {
        out.push(`${d}/\t-\t/${d}/\n`);
        walk(d);
      }
    };
    walk('');
    return out.join('');
  });
}
