import type { Article } from './article.js';
import { isListSection, sectionOf } from './parse-article.js';

const REFERENCE = /\[(\d+)\]/g;

/**
 * Whether an article file looks cut off, as one still being written does: a body `[n]` whose number
 * has no `## LINKS` entry yet, or no date line closing the body. The watcher waits for such a file to
 * be completed (or to stand still long enough) before it indexes it.
 */
export function looksCutOff(article: Article): boolean {
  if (article.date === undefined) return true;
  let section = '';
  for (const l of article.lines) {
    if (l.kind !== 'info') continue;
    section = sectionOf(l.text) ?? section;
    if (isListSection(section)) continue;
    for (const m of l.text.matchAll(REFERENCE)) if (!article.links.has(Number(m[1]))) return true;
  }
  return false;
}
