import type { ArticleEntry } from './entry.js';

export function parentOf(relPath: string): string {
  const slash = relPath.lastIndexOf('/');
  return slash < 0 ? '' : relPath.slice(0, slash);
}

function basename(relPath: string): string {
  return relPath.slice(relPath.lastIndexOf('/') + 1);
}

/**
 * The folders of content/ and what each holds: names of its folders and other files, and its
 * articles as entries (their names are read only when a folder is listed, not kept as 100,000 strings).
 * Adding a path adds its missing parent folders.
 */
export class FolderTree {
  /** relDir → names of its folders and other files */
  private readonly names = new Map<string, Set<string>>([['', new Set()]]);
  private readonly articles = new Map<string, Set<ArticleEntry>>();

  has(relDir: string): boolean {
    return this.names.has(relDir);
  }

  /** Child names of a folder, or undefined when there is no such folder. */
  children(relDir: string): ReadonlySet<string> | undefined {
    const names = this.names.get(relDir);
    const articles = this.articles.get(relDir);
    if (!names || !articles || articles.size === 0) return names;
    const all = new Set(names);
    for (const e of articles) all.add(basename(e.relPath));
    return all;
  }

  /** A folder, or (`isDir` false) another file, with its parents. */
  add(relPath: string, isDir: boolean): void {
    if (isDir && !this.names.has(relPath)) this.names.set(relPath, new Set());
    if (relPath === '') return;
    const slash = relPath.lastIndexOf('/');
    this.add(slash < 0 ? '' : relPath.slice(0, slash), true);
    this.names.get(parentOf(relPath))!.add(relPath.slice(slash + 1));
  }

  /** Forget a file's name in its folder (or, with `dropFolder`, a folder whose contents are gone). */
  remove(relPath: string, dropFolder = false): void {
    if (dropFolder) {
      this.articles.delete(relPath);
      if (relPath === '') return;
      this.names.delete(relPath);
    }
    this.names.get(parentOf(relPath))?.delete(relPath.slice(relPath.lastIndexOf('/') + 1));
  }

  addArticle(relPath: string, e: ArticleEntry): void {
    const parent = parentOf(relPath);
    this.add(parent, true);
    let set = this.articles.get(parent);
    if (!set) this.articles.set(parent, (set = new Set()));
    set.add(e);
  }

  removeArticle(relPath: string, e: ArticleEntry): void {
    this.articles.get(parentOf(relPath))?.delete(e);
  }
}
