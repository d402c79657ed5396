import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isSafeRelPath, writeAtomic } from '../mirror/save.js';
import type { Validators } from './http.js';

/** Kept in content/ as a dotfile: the server never serves names starting with a dot. */
export const IMPORT_STATE_FILE = '.gopherpress-import.json';

/** A feed or page given to `import`, as last fetched. */
export interface SourceState {
  readonly kind: 'feed' | 'page';
  readonly validators: Validators;
  /** the articles it gave, as paths in content/ (a feed answered 304 gave them again) */
  readonly articles: readonly string[];
}

/** An article written by `import`, by its path in content/ (`example.org/!123.txt`). */
export interface ArticleState {
  readonly url?: string;
  readonly selector: string;
  /** the page's validators, for a conditional GET next time */
  readonly validators: Validators;
  /** a hash of the feed item: an edited item is fetched again even when its page says 304 */
  readonly fingerprint: string;
  /** the date line an undated item got when it was first seen, so that it keeps it */
  readonly firstSeen: string;
}

export interface ImportState {
  readonly format: 1;
  sources: Record<string, SourceState>;
  articles: Record<string, ArticleState>;
}

/** `site/!123.txt`, inside content/ and not hidden: the only kind of path `import` writes. */
export function isArticlePath(p: unknown): p is string {
  return typeof p === 'string' && isSafeRelPath(p) && /^[^/]+\/!\d+\.txt$/.test(p);
}

export function emptyImportState(): ImportState {
  return { format: 1, sources: {}, articles: {} };
}

/** The saved state, or a fresh one when there is none or it cannot be read (the next run then fetches everything). */
export async function loadImportState(content: string): Promise<ImportState> {
  try {
    const s = JSON.parse(await readFile(path.join(content, IMPORT_STATE_FILE), 'utf8')) as Partial<ImportState>;
    if (s.format !== 1 || typeof s.sources !== 'object' || typeof s.articles !== 'object' || !s.sources || !s.articles) return emptyImportState();
    // Paths are written to: one that a hand edit made climb out of content/ or name a dotfile is dropped.
    const articles = Object.fromEntries(Object.entries(s.articles).filter(([p]) => isArticlePath(p)));
    const sources = Object.fromEntries(
      Object.entries(s.sources).filter(([, v]) => Array.isArray(v?.articles) && v.articles.every(isArticlePath)),
    );
    return { format: 1, sources, articles };
  } catch {
    return emptyImportState();
  }
}

/** Written atomically, and only when it changed: a run that changed nothing leaves content/ as it was. */
export async function saveImportState(content: string, state: ImportState, before: string): Promise<void> {
  const text = stateText(state);
  if (text !== before) await writeAtomic(path.join(content, IMPORT_STATE_FILE), text);
}

/** The state as saved: compared with the text loaded to tell whether anything changed. */
export function stateText(state: ImportState): string {
  return JSON.stringify(state, null, 1) + '\n';
}
