import { Random } from './random.js';
import { Vocabulary } from './vocabulary.js';

const INDENT = '       ';
const WIDTH = 75;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface LinkTarget {
  readonly slug: string;
  /** `123` for an article, `t5008150` for a topic page */
  readonly id: string;
}

export interface ArticleSpec {
  readonly title: string;
  /** ISO `YYYY-MM-DD` */
  readonly date: string;
  readonly tags: readonly string[];
  readonly links: readonly LinkTarget[];
  readonly related: readonly string[];
  readonly images: number;
  /** bytes to aim for; the file ends up within a line or two of it */
  readonly size: number;
}

/** Lines of running text wrapped as lynx wraps them, each with the seven-space info indent. */
function wrap(words: readonly string[]): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of words) {
    if (line !== '' && line.length + 1 + w.length > WIDTH) {
      out.push(INDENT + line);
      line = w;
    } else line = line === '' ? w : `${line} ${w}`;
  }
  if (line !== '') out.push(INDENT + line);
  return out;
}

function sentence(r: Random, v: Vocabulary, min: number, max: number): string[] {
  const n = r.int(min, max);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(v.word(r));
  words[0] = words[0]!.charAt(0).toUpperCase() + words[0]!.slice(1);
  words[n - 1] += r.chance(0.1) ? '?' : '.';
  return words;
}

export function dateLine(iso: string): string {
  return `${Number(iso.slice(8, 10))} ${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;
}

/**
 * One article file in the seed's format (a lynx dump of a taz.de menu): heading, teaser, image,
 * body with `[n][…]` references, date line, LINKS, TAGS, ARTIKEL ZUM THEMA.
 */
export function articleFile(r: Random, v: Vocabulary, spec: ArticleSpec): string {
  const lines: string[] = [`# taz.de -- ${spec.title}`, INDENT];
  for (const l of wrap(sentence(r, v, 18, 40))) lines.push(`${INDENT}> ${l.slice(INDENT.length)}`);
  lines.push(INDENT);
  for (let i = 0; i < spec.images; i++) lines.push(` (IMG) Bild: ${sentence(r, v, 4, 12).join(' ')}`, INDENT);

  const tail: string[] = [INDENT, `${INDENT}${dateLine(spec.date)}`, INDENT];
  if (spec.links.length > 0) {
    tail.push(`${INDENT}## LINKS`, INDENT);
    spec.links.forEach((l, i) => tail.push(` (DIR) [${i + 1}] /${l.slug}/!${l.id}`));
    tail.push(INDENT);
  }
  tail.push(`${INDENT}## TAGS`, INDENT);
  for (const t of spec.tags) tail.push(` (DIR) ${t}`);
  if (spec.related.length > 0) {
    tail.push(INDENT, `${INDENT}## ARTIKEL ZUM THEMA`, INDENT);
    for (const t of spec.related) tail.push(` (DIR) ${t}`, INDENT, ...wrap(sentence(r, v, 12, 30)), INDENT);
  }

  const bytes = (ls: readonly string[]): number => ls.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
  let size = bytes(lines) + bytes(tail);
  let nextLink = 0;
  let paragraphs = 0;
  while (size < spec.size || nextLink < spec.links.length) {
    const para: string[] = [];
    if (paragraphs > 0 && paragraphs % 4 === 0) {
      const heading = [`${INDENT}## ${sentence(r, v, 3, 7).join(' ').replace(/[.?]$/, '')}`, INDENT];
      lines.push(...heading);
      size += bytes(heading);
    }
    for (let s = r.int(2, 5); s > 0; s--) para.push(...sentence(r, v, 6, 22));
    if (nextLink < spec.links.length) {
      // A reference wraps two to four words of the text, as taz.de marks its links.
      const at = r.int(0, para.length - 4);
      const len = r.int(2, 4);
      para[at] = `[${++nextLink}][${para[at]}`;
      para[at + len - 1] += ']';
    }
    const wrapped = [...wrap(para), INDENT];
    lines.push(...wrapped);
    size += bytes(wrapped);
    paragraphs++;
  }
  return [...lines, ...tail].join('\n') + '\n';
}
