import { tokenize } from './fold.js';

/** A word (`energ*`: any word starting so) or a phrase, its words folded (fold.ts). */
export interface Term {
  readonly words: readonly string[];
  /** the last word is a prefix */
  readonly prefix: boolean;
}

/**
 * What a user types into the search box: words (all must match), `"exact phrases"`, `energ*`,
 * `a OR b`, `-word`, `tag:Name` (`tag:"Two Words"`, or `tag:Two Words` when a tag of that name
 * exists), a date or range (`2025`, `2025-04`, `2025-04-26`, `2025-01..2025-03`) and `sort:relevance`.
 */
export interface SearchQuery {
  /** every group must match; within a group any term (`a OR b`) */
  readonly groups: readonly (readonly Term[])[];
  /** no term may match (`-word`) */
  readonly excluded: readonly Term[];
  readonly tags: readonly string[];
  readonly from?: string;
  readonly to?: string;
  /** most relevant first (bm25) instead of newest first */
  readonly relevance: boolean;
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

/** A tag typed with its spaces is looked for as this many words at most. */
const TAG_WORDS = 5;

const TOKEN = /-?"[^"]*"?|-?tag:"[^"]*"?|\S+/g;

/** `"a b"` or `word` or `energ*` → a term; undefined when nothing in it is a word. */
function termOf(raw: string, quoted: boolean): Term | undefined {
  const prefix = !quoted && raw.endsWith('*');
  const words = tokenize(raw);
  return words.length === 0 ? undefined : { words, prefix };
}

/** `isTag(name)`: whether the archive has a tag of that name (for `tag:Two Words` without quotes). */
export function parseQuery(input: string, isTag: (name: string) => boolean = () => false): SearchQuery {
  const groups: Term[][] = [];
  const excluded: Term[] = [];
  const tags: string[] = [];
  let from: string | undefined;
  let to: string | undefined;
  let relevance = false;
  let joinNext = false;
  const tokens = input.match(TOKEN) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === 'OR') {
      joinNext = groups.length > 0;
      continue;
    }
    if (t === 'sort:relevance') {
      relevance = true;
      continue;
    }
    if (t.startsWith('tag:')) {
      let name = t.slice(4).replace(/^"|"$/g, '');
      if (!t.startsWith('tag:"')) {
        // `tag:Donald Trump`: the longest run of the next words that names a tag
        for (let n = Math.min(TAG_WORDS, tokens.length - i - 1); n > 0; n--) {
          const longer = [name, ...tokens.slice(i + 1, i + 1 + n)].join(' ');
          if (isTag(longer)) {
            name = longer;
            i += n;
            break;
          }
        }
      }
      if (name.trim() !== '') tags.push(name.trim());
      continue;
    }
    const range = t.split('..');
    const a = dateBounds(range[0]!);
    const b = range.length === 2 ? dateBounds(range[1]!) : a;
    if (a && b && range.length <= 2) {
      from = a.from;
      to = b.to;
      continue;
    }
    const negated = t.startsWith('-') && t.length > 1;
    const body = negated ? t.slice(1) : t;
    const quoted = body.startsWith('"');
    const term = termOf(quoted ? body.replace(/^"|"$/g, '') : body, quoted);
    if (!term) continue;
    if (negated) excluded.push(term);
    else if (joinNext) groups[groups.length - 1]!.push(term);
    else groups.push([term]);
    joinNext = false;
  }
  return { groups, excluded, tags, from, to, relevance };
}

export function isEmptyQuery(q: SearchQuery): boolean {
  return q.groups.length === 0 && q.excluded.length === 0 && q.tags.length === 0 && q.from === undefined;
}

/** A query of these words, all to match: a related-articles item searching for a title. */
export function wordsQuery(text: string): SearchQuery {
  return { groups: tokenize(text).map((w) => [{ words: [w], prefix: false }]), excluded: [], tags: [], relevance: false };
}
