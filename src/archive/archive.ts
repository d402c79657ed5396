import { sortNewest, type ArticleEntry } from './entry.js';
import { EntryStore, StoredEntry } from './entry-store.js';
import type { EntryTables } from './entry-tables.js';
import { KeyIndex, KeyLists } from './key-index.js';
import { articleSelector, idOfFile } from './selectors.js';
import { TagIndex, type TagInfo } from './tag-index.js';
import { FolderTree } from './folder-tree.js';
import { SearchIndex } from '../search/search-index.js';
import { FoldedWords, scanFoldedWords } from '../search/folded-words.js';

/** A non-article file in content/: served as stored, typed by its name. */
export interface FileEntry {
  readonly relPath: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * One change to apply; `text` is the article's searchable text (title and body), absent when the
 * entry is already in the search index (restored from the start-up cache).
 */
export type { TagInfo };

export type Change =
  | { readonly kind: 'article'; readonly entry: ArticleEntry; readonly text?: string }
  | { readonly kind: 'file'; readonly entry: FileEntry }
  | { readonly kind: 'remove'; readonly relPath: string }
  | { readonly kind: 'dir'; readonly relDir: string }
  | { readonly kind: 'remove-dir'; readonly relDir: string };

/**
 * The archive in memory. It is changed only by `apply`, synchronously and a whole batch at a time,
 * and every change bumps `generation`; menus are rendered synchronously, so a request never sees half
 * a batch, and caches keyed by generation are invalidated by the bump itself.
 */
const BULK_CHANGES = 1000;

export class Archive {
  generation = 0;
  /** the articles, packed (entry-store.ts); `entries[ref]` is the handle given out for each */
  private readonly store = new EntryStore();
  private readonly entries: (StoredEntry | undefined)[] = [];
  private readonly paths = new KeyIndex((ref) => this.store.relPath(ref));
  private readonly ids = new KeyIndex((ref) => idOfFile(this.store.relPath(ref)) ?? '');
  private readonly selectors = new KeyIndex((ref) => articleSelector(this.store.relPath(ref)));
  /**
   * Built on first use (`byTitle`, or `buildTitleIndex` right after start-up), then kept up to date:
   * folding 100,000 titles was half a second of a warm start.
   */
  private titles: KeyLists | undefined;
  private readonly files = new Map<string, FileEntry>();
  /**
   * Every file per id, for the ids that more than one file has, so that another takes over in O(1)
   * when the winner goes (a tar x of 10,000 updates). Only duplicates: a Set per id cost 30 MB at 100k.
   */
  private readonly idHolders = new Map<string, StoredEntry[]>();
  private readonly folders = new FolderTree();
  private readonly tags = new TagIndex(() => this.entries);
  readonly search = new SearchIndex<ArticleEntry>();
  private memo = new Map<string, unknown>();
  private memoGeneration = -1;

  apply(changes: readonly Change[]): void {
    if (changes.length === 0) return;
    // A scan-sized batch is indexed packed in one go rather than word by word (unless the caller
    // already holds the index in bulk mode across several batches, as the start-up load does).
    const bulk = changes.length > BULK_CHANGES && !this.search.inBulk;
    if (bulk) this.search.beginBulk();
    // The first batch is a listing of content/ (start-up): every path in it once, nothing to replace.
    const first = this.generation === 0;
    for (const c of changes) {
      switch (c.kind) {
        case 'article':
          if (!first) this.removePath(c.entry.relPath);
          this.addArticle(c.entry, c.text);
          break;
        case 'file':
          if (!first) this.removePath(c.entry.relPath);
          this.files.set(c.entry.relPath, c.entry);
          this.folders.add(c.entry.relPath, false);
          break;
        case 'remove':
          this.removePath(c.relPath);
          break;
        case 'dir':
          this.folders.add(c.relDir, true);
          break;
        case 'remove-dir':
          this.removeDir(c.relDir);
          break;
      }
    }
    if (bulk) this.search.endBulk();
    this.search.maybeCompact();
    this.generation++;
  }

  /** Memoise a value derived from the archive until the next change. */
  derived<T>(key: string, build: () => T): T {
    if (this.memoGeneration !== this.generation) {
      this.memo = new Map();
      this.memoGeneration = this.generation;
    }
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const v = build();
    this.memo.set(key, v);
    return v;
  }

  get articleCount(): number {
    return this.paths.size;
  }

  byId(id: string): ArticleEntry | undefined {
    return this.at(this.ids.get(id));
  }

  bySelector(selector: string): ArticleEntry | undefined {
    return this.at(this.selectors.get(selector));
  }

  byRelPath(relPath: string): ArticleEntry | undefined {
    return this.at(this.paths.get(relPath));
  }

  private at(ref: number): StoredEntry | undefined {
    return ref < 0 ? undefined : this.entries[ref];
  }

  file(relPath: string): FileEntry | undefined {
    return this.files.get(relPath);
  }

  /** Child names of a folder, or undefined when content/ has no such folder. */
  dir(relDir: string): ReadonlySet<string> | undefined {
    return this.folders.children(relDir);
  }

  isDir(relPath: string): boolean {
    return this.folders.has(relPath);
  }

  /** Every article, newest first. */
  newest(): readonly ArticleEntry[] {
    return this.derived('newest', () => sortNewest(this.entries.filter((e): e is StoredEntry => e !== undefined)));
  }

  /** Case-insensitive, so `/tag/energiewende` and `tag:energiewende` find `Energiewende`. */
  tag(slug: string): TagInfo | undefined {
    return this.tags.get(slug);
  }

  allTags(): readonly TagInfo[] {
    return this.derived('tags', () => [...this.tags.values()].sort((a, b) => a.slug.localeCompare(b.slug, 'de')));
  }

  /** Articles whose title folds to the same words as `title`, newest first (whatever order they came in). */
  byTitle(title: string): readonly ArticleEntry[] {
    const refs = this.buildTitleIndex().get(titleKey(title));
    const found = refs.map((ref) => this.entries[ref]!);
    return found.length > 1 ? sortNewest(found) : found;
  }

  /** The tag index, built now rather than by the first tag menu (see tag-index.ts). */
  buildTagIndex(): void {
    this.tags.build();
  }

  /** The title index (see `titles`); building it takes ~0.5 s at 100,000 articles. */
  buildTitleIndex(): KeyLists {
    if (this.titles) return this.titles;
    const titles = new KeyLists((ref) => titleKey(this.store.title(ref)));
    this.entries.forEach((e, ref) => e && titles.add(titleKey(e.title), ref));
    return (this.titles = titles);
  }

  linksTo(id: string): readonly ArticleEntry[] {
    // Built on first use per generation: only --backlinks asks, and 100,000 eager Sets cost ~50 MB.
    const linkedFrom = this.derived('linkedFrom', () => {
      const m = new Map<string, ArticleEntry[]>();
      for (const e of this.newest()) {
        for (const to of e.linkIds) {
          const list = m.get(to);
          if (list) list.push(e);
          else m.set(to, [e]);
        }
      }
      return m;
    });
    return linkedFrom.get(id) ?? [];
  }

  /**
   * Start-up from the cache, into an empty archive: the entries go into the store as they are
   * (entry-tables.ts), and ref n is cached document n. False if the tables are not a store this
   * version wrote (a path twice, a name twice): then this archive must be thrown away.
   */
  restoreEntries(t: EntryTables): boolean {
    if (this.generation !== 0 || !this.store.restore(t)) return false;
    for (let ref = 0; ref < t.count; ref++) {
      if (!t.alive[ref]) continue;
      const relPath = this.store.relPath(ref);
      if (this.paths.get(relPath) >= 0) return false;
      const e = new StoredEntry(this.store, ref);
      this.entries[ref] = e;
      this.index(e, relPath, articleSelector(relPath), idOfFile(relPath), this.store.tags(ref));
    }
    this.generation++;
    return true;
  }

  /** The entry of store ref `ref` (after `restoreEntries`: of cached document `ref`). */
  entryOfRef(ref: number): ArticleEntry | undefined {
    return this.entries[ref];
  }

  /** `data` is copied into the store; the archive hands out its own entry for it from now on. */
  private addArticle(data: ArticleEntry, text: string | undefined): void {
    const e = new StoredEntry(this.store, this.store.add(data));
    this.entries[e.ref] = e;
    // Parsed and cached entries carry these already (derived from relPath, as StoredEntry derives them).
    const id = data.selector === '' ? idOfFile(data.relPath) : data.id;
    this.index(e, data.relPath, data.selector || articleSelector(data.relPath), id, data.tags);
    if (text !== undefined) this.search.add(e, text);
  }

  /** Put a stored entry into every index but the search index. */
  private index(e: StoredEntry, relPath: string, selector: string, id: string | undefined, tags: readonly string[]): void {
    const ref = e.ref;
    this.paths.set(relPath, ref);
    this.folders.addArticle(relPath, e);
    if (id !== undefined) {
      // Two files with one id: the one seen last wins until it goes away.
      const holder = this.at(this.ids.get(id));
      if (holder !== undefined) {
        const holders = this.idHolders.get(id);
        if (holders) holders.push(e);
        else this.idHolders.set(id, [holder, e]);
      }
      this.ids.set(id, ref);
    }
    this.selectors.set(selector, ref);
    for (const name of tags) this.tags.add(name, e);
    this.titles?.add(titleKey(e.title), ref);
  }

  private removePath(relPath: string): void {
    if (this.files.delete(relPath)) {
      this.folders.remove(relPath);
      return;
    }
    const e = this.at(this.paths.get(relPath));
    if (!e) return;
    const ref = e.ref;
    // Out of every index while the store still answers for the ref (the indexes read keys from it).
    this.paths.delete(relPath);
    this.folders.removeArticle(relPath, e);
    const id = idOfFile(relPath);
    if (id !== undefined) {
      const holders = this.idHolders.get(id)?.filter((x) => x !== e) ?? [];
      if (holders.length > 1) this.idHolders.set(id, holders);
      else this.idHolders.delete(id);
      if (this.ids.get(id) === ref) {
        this.ids.delete(id);
        // Another file with the same id takes over: the one seen last.
        if (holders.length > 0) this.ids.set(id, holders[holders.length - 1]!.ref);
      }
    }
    const selector = articleSelector(relPath);
    if (this.selectors.get(selector) === ref) this.selectors.delete(selector);
    for (const name of e.tags) this.tags.remove(name, e);
    this.titles?.remove(titleKey(e.title), ref);
    this.search.remove(e);
    this.entries[ref] = undefined;
    e.detach();
  }

  private removeDir(relDir: string): void {
    const children = this.dir(relDir);
    if (!children) return;
    for (const name of [...children]) {
      const p = relDir === '' ? name : `${relDir}/${name}`;
      if (this.folders.has(p)) this.removeDir(p);
      else this.removePath(p);
    }
    this.folders.remove(relDir, true);
  }
}

const titleWords = new FoldedWords();

/** A title's folded words joined by spaces (`tokenize(title).join(' ')`, by the byte scanner: 100,000 at start-up). */
export function titleKey(title: string): string {
  const bytes = Buffer.from(title, 'utf8');
  titleWords.clear();
  scanFoldedWords(bytes, 0, bytes.length, false, titleWords);
  return titleWords.joined();
}

