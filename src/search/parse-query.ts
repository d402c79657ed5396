import { tokenize } from './fold.js';

/**
 * What a user types into the search box: words (all must match), `"quoted phrases"`,
 * `tag:Name` (dashes or quotes for spaces), and a date or range: `2025`, `2025-04`, `2025-04-26`,
 * `2025-01..2025-03`.
 */
export interface SearchQuery {
  readonly words: readonly string[];
  readonly phrases: readonly (readonly string[])[];
  readonly tags: readonly string[];
  readonly from?: string;
  readonly to?: string;
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

function dateBounds(s: string): { from: string; to: string } | undefined {
  const m = DATE.exec(s);
  if (!m) return undefined;
  const [, y, mo, d] = m;
  if (d) return { from: `${y}-${mo}-${d}`, to: `${y}-${mo}-${d}` };
  if (mo) return { from: `${y}-${mo}-01`, to: `${y}-${mo}-31` };
  return { from: `${y}-01-01`, to: `${y}-12-31` };
}

export function parseQuery(input: string): SearchQuery {
  const words: string[] = [];
  const phrases: string[][] = [];
  const tags: string[] = [];
  let from: string | undefined;
  let to: string | undefined;
  const TOKEN = /tag:"([^"]*)"|tag:(\S+)|"([^"]*)"?|(\S+)/g;
  for (const m of input.matchAll(TOKEN)) {
    if (m[1] !== undefined || m[2] !== undefined) {
      tags.push((m[1] ?? m[2]!).trim());
    } else if (m[3] !== undefined) {
      const p = tokenize(m[3]);
      if (p.length === 1) words.push(p[0]!);
      else if (p.length > 1) phrases.push(p);
    } else {
      const w = m[4]!;
      const range = w.split('..');
      const a = dateBounds(range[0]!);
      const b = range.length === 2 ? dateBounds(range[1]!) : a;
      if (a && b && range.length <= 2) {
        from = a.from;
        to = b.to;
        continue;
      }
      words.push(...tokenize(w));
    }
  }
  return { words, phrases, tags, from, to };
}

export function isEmptyQuery(q: SearchQuery): boolean {
  return q.words.length === 0 && q.phrases.length === 0 && q.tags.length === 0 && q.from === undefined;
}
