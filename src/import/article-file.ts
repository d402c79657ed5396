import { itemTypeInfo, LABEL_WIDTH } from '../protocol/item-type.js';
import { isListSection, sectionOf } from '../article/parse-article.js';
import { collapseSpace, wrapParagraph } from './wrap.js';

/**
 * An imported article, ready to be written in the archive's format (the lynx dump of a taz.de gopher
 * menu; README "The content format"). Built from the DOM by blocks.ts, laid out by `articleFile`.
 */
export type Block =
  /**
   * Body text with `[n][…]` references; `\n` is a hard line break. `first`/`rest` prefix its lines
   * (lists, quotes); `tight` items of a list follow the one before without an empty line, as lynx shows them.
   */
  | { readonly kind: 'paragraph'; readonly text: string; readonly first?: string; readonly rest?: string; readonly tight?: true }
  | { readonly kind: 'heading'; readonly text: string }
  /** A figure: its caption, and where the image is (for `--images`). */
  | { readonly kind: 'image'; readonly caption: string; readonly src?: string }
  /** Preformatted lines, kept as they are (code, poems laid out by hand). */
  | { readonly kind: 'pre'; readonly lines: readonly string[] };

/** One line under `## LINKS`: `[n] <target>` with the item type the server serves it as. */
export interface LinkLine {
  readonly n: number;
  readonly itemType: string;
  /** `/Slug/!123` for an article, the URL for anything else */
  readonly target: string;
}

export interface ImportedArticle {
  /** `taz.de` in `# taz.de -- title` */
  readonly site: string;
  readonly title: string;
  /** the lead paragraph, shown as `> ` lines (the article's teaser) */
  readonly lead?: string;
  readonly blocks: readonly Block[];
  readonly links: readonly LinkLine[];
  readonly tags: readonly string[];
  /** the date line that closes the body: `26 Apr 2025` */
  readonly date: string;
}

/** 75 columns of text after the seven-column indent: the width of taz.de's gopher articles as lynx prints them. */
export const TEXT_WIDTH = 75;
const INDENT = ' '.repeat(LABEL_WIDTH);
/** An item line's text: lynx reads about 1,000 bytes of a menu line, so a caption is kept well below. */
const MAX_ITEM_TEXT = 300;

function oneLine(text: string, max = MAX_ITEM_TEXT): string {
  const t = collapseSpace(text);
  if ([...t].length <= max) return t;
  const cut = [...t].slice(0, max - 1).join('');
  return cut.replace(/\s+\S*$/, '') + '…';
}

/**
 * A subheading as `## Text`. One that reads as a list section (`## Links`) would end the body for the
 * parser (parse-article.ts), so it gets a colon.
 */
function heading(text: string): string {
  const line = `## ${oneLine(text)}`;
  const section = sectionOf(line);
  return section !== undefined && isListSection(section) ? `${line}:` : line;
}

function blockLines(b: Block): string[] {
  switch (b.kind) {
    case 'paragraph':
      return wrapParagraph(b.text, TEXT_WIDTH, b.first ?? '', b.rest ?? b.first ?? '').map((l) => INDENT + l);
    case 'heading':
      return [INDENT + heading(b.text)];
    case 'image':
      return [itemTypeInfo('I').lynxLabel + oneLine(b.caption)];
    case 'pre':
      return b.lines.map((l) => INDENT + l.replace(/\t/g, '    ').replace(/\s+$/, ''));
  }
}

/**
 * The article file: `# site -- title`, the lead as `> ` lines, the body blocks with an empty info
 * line between them, the date line, then `## LINKS` and `## TAGS`. Pure: the same article gives the
 * same bytes, so an unchanged item is never rewritten.
 */
export function articleFile(a: ImportedArticle): string {
  const blank = INDENT;
  const lines = [`# ${oneLine(a.site, 100)} -- ${oneLine(a.title)}`];
  const lead = a.lead === undefined ? [] : wrapParagraph(a.lead, TEXT_WIDTH, '> ');
  if (lead.length > 0) lines.push(blank, ...lead.map((l) => INDENT + l));
  for (const b of a.blocks) {
    const body = blockLines(b);
    if (body.length === 0) continue;
    if (!(b.kind === 'paragraph' && b.tight)) lines.push(blank);
    lines.push(...body);
  }
  lines.push(blank, INDENT + a.date);
  if (a.links.length > 0) {
    lines.push(blank, `${INDENT}## LINKS`, blank);
    for (const l of a.links) lines.push(`${itemTypeInfo(l.itemType).lynxLabel}[${l.n}] ${l.target}`);
  }
  const tags = [...new Set(a.tags.map((t) => oneLine(t, 100)).filter((t) => t !== ''))];
  if (tags.length > 0) {
    lines.push(blank, `${INDENT}## TAGS`, blank);
    for (const t of tags) lines.push(itemTypeInfo('1').lynxLabel + t);
  }
  return lines.join('\n') + '\n';
}
