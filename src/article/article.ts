/**
 * The document model of one archived article: the lines of a lynx-dumped gopher menu, plus what
 * they mean (title, date, links, tags, related articles). Lines are kept verbatim so the menu built
 * from them round-trips through lynx to the same file.
 */
export type LineRole =
  | { readonly kind: 'plain' }
  /** `[n] /Slug/!123` in `## LINKS`: the path is resolved against the archive or the upstream server. */
  | { readonly kind: 'link'; readonly n: number; readonly path: string }
  | { readonly kind: 'tag'; readonly name: string }
  | { readonly kind: 'related'; readonly title: string }
  /** the n-th image of the article, counted from 1 */
  | { readonly kind: 'image'; readonly n: number };

export interface InfoLine {
  readonly kind: 'info';
  readonly text: string;
  /** The file wrote this line without the seven-column indentation (a bare or short blank line). */
  readonly flush?: true;
}

export interface ItemLine {
  readonly kind: 'item';
  readonly itemType: string;
  readonly display: string;
  readonly role: LineRole;
}

export type ArticleLine = InfoLine | ItemLine;

export interface Article {
  /** `taz.de` from `# taz.de -- title`; empty when the first line has another form. */
  readonly site: string;
  readonly title: string;
  readonly lines: readonly ArticleLine[];
  /** ISO date `YYYY-MM-DD` from the date line that closes the body, if any. */
  readonly date?: string;
  /** The `> ` lead paragraph, joined into one line. */
  readonly teaser: string;
  /** Tags in first-seen order, without repeats. */
  readonly tags: readonly string[];
  /** Paths of `## LINKS`, by reference number. */
  readonly links: ReadonlyMap<number, string>;
  /** Titles of `## ARTIKEL ZUM THEMA` entries. */
  readonly related: readonly string[];
}
