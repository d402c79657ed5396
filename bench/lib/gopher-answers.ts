/** Reading gopher answers as a user's client sees them: display texts, selectors, search counts. */

function menuLines(body: Buffer): string[] {
  const lines = body.toString('utf8').split('\r\n');
  const end = lines.indexOf('.');
  return end < 0 ? [] : lines.slice(0, end);
}

/**
 * Whether `body` is the whole article menu of `fileText`: its display texts, line by line, are the
 * file's lines (item labels like ` (DIR) ` aside, blanks trimmed), which is what lynx prints. An
 * error (type 3), a placeholder or half an article fails.
 */
export function isArticleAnswer(body: Buffer, fileText: string): boolean {
  const shown = menuLines(body).map((l) => l.slice(1).split('\t')[0]!.trim());
  const lines = fileText.replace(/\n$/, '').split('\n').map((l) => l.replace(/^ \([A-Z]{3}\) /, '').trim());
  return shown.length === lines.length && shown.every((s, i) => s === lines[i]);
}

/** Whether a menu has an item that leads to `selector` (`/!123`, also as `/Some-Slug/!123`). */
export function listsSelector(body: Buffer, selector: string): boolean {
  return menuLines(body).some((l) => {
    if (l.startsWith('i') || l.startsWith('3')) return false;
    const sel = l.split('\t')[1] ?? '';
    return sel === selector || sel.endsWith(selector);
  });
}

/** The count of a search results menu (`12 articles found for: …`); `more than 10,000` gives 10,001 and `capped`. */
export function searchCount(body: Buffer): { n: number; capped: boolean } | undefined {
  const first = menuLines(body)[0] ?? '';
  const m = /^i(more than )?([\d,.]+) articles? found for: /.exec(first);
  if (!m) return undefined;
  const n = Number(m[2]!.replace(/[,.]/g, ''));
  return m[1] ? { n: n + 1, capped: true } : { n, capped: false };
}

/** `Full text indexed so far: X of Y articles.` on a results menu while the server still indexes. */
export function indexingProgress(body: Buffer): string | undefined {
  return /Full text indexed so far: [^\t]*/.exec(body.toString('utf8'))?.[0];
}
