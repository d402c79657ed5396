import { itemTypeForLabel, LABEL_WIDTH } from '../protocol/item-type.js';
import type { Article, ArticleLine, InfoLine, ItemLine, LineRole } from './article.js';

const INDENT = ' '.repeat(LABEL_WIDTH);
const HEADING = /^# (.*?) -- (.*)$/;
const SECTION = /^## (.+?)\s*$/;
const LINK = /^\[(\d+)\] (\S+)$/;
const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, 'mär': 3, apr: 4, may: 5, mai: 5, jun: 6, jul: 7, aug: 8,
  sep: 9, oct: 10, okt: 10, nov: 11, dec: 12, dez: 12,
};
const DATE_LINE = /^(\d{1,2})\.? ([A-Za-zä]{3})\.? (\d{4})$/;

/** Parse one line of a lynx dump: a seven-column label makes an item, seven spaces an info line. */
function parseLine(line: string): InfoLine | { kind: 'item'; itemType: string; display: string } {
  if (line.startsWith(INDENT)) return { kind: 'info', text: line.slice(LABEL_WIDTH) };
  const itemType = itemTypeForLabel(line.slice(0, LABEL_WIDTH));
  if (itemType !== undefined) return { kind: 'item', itemType, display: line.slice(LABEL_WIDTH) };
  // An empty info line may be written as nothing at all, or trimmed to fewer than seven blanks:
  // kept as written, so the plain text and the web view give the file back byte for byte.
  return { kind: 'info', text: line, flush: true };
}

/** `26 Apr 2025` → `2025-04-26`, or undefined. */
export function parseDateLine(text: string): string | undefined {
  // Most lines are body text, far longer than any date line: no trim, no regex for them.
  if (text.length > 64) return undefined;
  const m = DATE_LINE.exec(text.trim());
  if (!m) return undefined;
  const month = MONTHS[m[2]!.toLowerCase()];
  const day = Number(m[1]);
  if (!month || day < 1 || day > 31) return undefined;
  return `${m[3]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Whether the first line of a file is its heading: flush left, and not an item line. */
export function isHeadingLine(raw: string): boolean {
  return !raw.startsWith(INDENT) && itemTypeForLabel(raw.slice(0, LABEL_WIDTH)) === undefined;
}

/** Site and title from the heading line (`# site -- title`, else `# title`); a blank one keeps `fallbackTitle`. */
export function parseHeading(raw: string, fallbackTitle: string): { site: string; title: string } {
  const m = HEADING.exec(raw);
  if (m) return { site: m[1]!, title: m[2]! };
  if (raw.trim() !== '') return { site: '', title: raw.replace(/^#\s*/, '').trim() };
  return { site: '', title: fallbackTitle };
}

/** The section an info line opens (`## Links` → `LINKS`), or undefined. */
export function sectionOf(text: string): string | undefined {
  // Checked before the regex: a cold start asks this of every info line of 100,000 articles.
  if (!text.startsWith('## ')) return undefined;
  const s = SECTION.exec(text);
  return s ? s[1]!.toUpperCase() : undefined;
}

/** The sections whose lines are lists, not body text: a date there is not the article's date. */
export const LIST_SECTIONS: readonly string[] = ['LINKS', 'TAGS', 'ARTIKEL ZUM THEMA'];

export function isListSection(section: string): boolean {
  return LIST_SECTIONS.includes(section);
}

/** What an item line is, in its section; `image` is the number it gets if it is an image. */
export function itemRole(itemType: string, display: string, section: string, image: number): LineRole {
  const link = LINK.exec(display);
  if (itemType === 'I' || itemType === 'g') return { kind: 'image', n: image };
  if (section === 'LINKS' && link) return { kind: 'link', n: Number(link[1]), path: link[2]! };
  if (section === 'TAGS' && itemType === '1') return { kind: 'tag', name: display.trim() };
  if (section === 'ARTIKEL ZUM THEMA' && itemType === '1') return { kind: 'related', title: display.trim() };
  if (link) return { kind: 'link', n: Number(link[1]), path: link[2]! };
  return { kind: 'plain' };
}

/**
 * Parse the decoded lines of an article file (a lynx dump of a gopher menu with `# site -- title` first).
 * Pure and total: any input gives an Article; a file in another form just has fewer roles filled in.
 */
export function parseArticle(fileLines: readonly string[], fallbackTitle = ''): Article {
  const lines: ArticleLine[] = [];
  let site = '';
  let title = fallbackTitle;
  let section = '';
  let date: string | undefined;
  let imageCount = 0;
  const teaser: string[] = [];
  const tags: string[] = [];
  const links = new Map<number, string>();
  const related: string[] = [];

  fileLines.forEach((raw, index) => {
    if (index === 0 && isHeadingLine(raw)) {
      // The heading line: lynx prints it indented like any info line; the file stores it flush left.
      ({ site, title } = parseHeading(raw, fallbackTitle));
      lines.push({ kind: 'info', text: raw });
      return;
    }
    const parsed = parseLine(raw);
    if (parsed.kind === 'info') {
      section = sectionOf(parsed.text) ?? section;
      if (section === '' && parsed.text.startsWith('> ')) teaser.push(parsed.text.slice(2).trim());
      if (!isListSection(section)) date = parseDateLine(parsed.text) ?? date;
      lines.push(parsed satisfies InfoLine);
      return;
    }
    const role = itemRole(parsed.itemType, parsed.display, section, imageCount + 1);
    if (role.kind === 'image') imageCount++;
    else if (role.kind === 'link' && section === 'LINKS') links.set(role.n, role.path);
    else if (role.kind === 'tag' && !tags.includes(role.name)) tags.push(role.name);
    else if (role.kind === 'related') related.push(role.title);
    lines.push({ ...parsed, role } satisfies ItemLine);
  });

  return { site, title, lines, date, teaser: teaser.join(' '), tags, links, related };
}
