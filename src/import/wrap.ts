/**
 * Word wrapping for article text, as lynx lays out taz.de's gopher menus: at most `width` characters a
 * line, breaking only at spaces. A word longer than a line (a URL, a compound) stays whole on a line of
 * its own: nothing is cut and no word is lost, unlike taz.de's own menus, which end long lines in `…`.
 */

/** Spaces, tabs and line ends become one space; a no-break space (U+00A0, U+202F) is part of a word. */
export function collapseSpace(text: string): string {
  return text.replace(/[ \t\r\n\f\v]+/g, ' ').trim();
}

/** Characters a line counts: code points, so `„` or `€` is one column as in lynx. */
export function columns(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** One paragraph's text → its lines, each at most `width` columns unless a single word is longer. */
export function wrapText(text: string, width: number): string[] {
  const words = collapseSpace(text).split(' ').filter((w) => w !== '');
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const word of words) {
    const w = columns(word);
    if (used === 0) {
      line = word;
      used = w;
    } else if (used + 1 + w <= width) {
      line += ' ' + word;
      used += 1 + w;
    } else {
      lines.push(line);
      line = word;
      used = w;
    }
  }
  if (used > 0) lines.push(line);
  return lines;
}

/**
 * A paragraph with a first-line prefix (`* `, `> `, `1. `) and a prefix for the lines after it, both
 * counted in the width. Hard line breaks (`\n`, from `<br>`) start a new line; an empty segment
 * (two breaks) is an empty line.
 */
export function wrapParagraph(text: string, width: number, first = '', rest = first): string[] {
  const out: string[] = [];
  for (const segment of text.split('\n')) {
    const prefix = out.length === 0 ? first : rest;
    const lines = wrapText(segment, Math.max(1, width - columns(prefix)));
    if (lines.length === 0) {
      if (out.length > 0) out.push('');
      continue;
    }
    lines.forEach((l, i) => out.push((out.length === 0 && i === 0 ? first : rest) + l));
  }
  // A trailing break adds nothing: lynx ends the paragraph there too.
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}
