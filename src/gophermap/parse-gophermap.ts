import type { MenuItem } from '../protocol/menu-item.js';

/**
 * One meaningful line of a gophermap, in Gophernicus's syntax (see gophermap.example):
 * - item: a line with a TAB (`Xdisplay<TAB>selector<TAB>host<TAB>port`), or a line without one as info text
 * - listing: `*`, the folder's automatic listing goes here and the map ends
 * - include: `=file` (another gophermap) or `=folder` (that folder's listing)
 * - hide: `-name` keeps a file out of the automatic listing
 * - filetype: `:ext=X` gives files with that extension item type X in the listing
 */
export type GophermapLine =
  | { readonly kind: 'item'; readonly item: MenuItem }
  | { readonly kind: 'listing' }
  | { readonly kind: 'include'; readonly target: string }
  | { readonly kind: 'hide'; readonly name: string }
  | { readonly kind: 'filetype'; readonly ext: string; readonly itemType: string };

export interface GophermapOptions {
  /** the selector of the folder the map belongs to, ending in `/`; relative selectors are joined to it */
  readonly folderSelector: string;
}

const infoLine = (text: string): GophermapLine => ({ kind: 'item', item: { itemType: 'i', display: text, selector: '' } });

/**
 * The Gophernicus/Bucktooth item line. Missing host and port stay undefined, which the encoder fills
 * with this server's; a selector that is neither absolute (`/…`), a `URL:` link nor on another host
 * is relative to the folder; a line that ends right after its first TAB uses its display text as
 * selector (`1/overbite<TAB>`), as both servers do.
 */
function itemLine(line: string, opts: GophermapOptions): GophermapLine | undefined {
  const itemType = line.charAt(0);
  // A line that starts with a TAB has no item type: Gophernicus would send a broken line; we drop it.
  if (itemType === '\t') return undefined;
  const [display, ...rest] = line.slice(1).split('\t');
  let selector = rest.length === 1 && rest[0] === '' ? display! : rest[0]!;
  const host = rest[1] === undefined || rest[1] === '' ? undefined : rest[1];
  // atoi(): leading digits count, anything after them (a Gopher+ `+` field) is ignored.
  const portDigits = rest[2] === undefined ? undefined : /^\s*(\d+)/.exec(rest[2])?.[1];
  const port = portDigits === undefined ? undefined : Number(portDigits);
  if (host === undefined && !selector.startsWith('/') && !selector.startsWith('URL:')) selector = opts.folderSelector + selector;
  const item: MenuItem = { itemType, display: display!, selector, ...(host !== undefined && { host }), ...(port !== undefined && { port }) };
  return { kind: 'item', item };
}

/**
 * Parse a gophermap (decoded text) into lines. Pure and total: every input gives a list.
 *
 * Where Gophernicus reads a directive from a line's first character alone, this parser asks for the
 * directive's exact form and reads anything else as text, because Bucktooth-era maps use such lines
 * as decoration: `*****` banners, `--- Section ---` rules, `=====` underlines and `...` would otherwise
 * cut the menu short or vanish. Directives written as Gophernicus documents them behave identically.
 */
export function parseGophermap(text: string, opts: GophermapOptions): GophermapLine[] {
  const out: GophermapLine[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const first = line.charAt(0);
    const name = line.slice(1);
    const bare = line.trimEnd();
    if (first === '#') continue;
    if (bare === '.') break;
    if (bare === '*') {
      out.push({ kind: 'listing' });
      break;
    }
    // `~` (users' gopherspaces) and `%` (virtual hosts) list things this server does not have.
    if (bare === '~' || bare === '%') continue;
    // Directives come before the TAB test, in Gophernicus's order.
    if (first === '!') {
      // The title as Gophernicus sends it: an info line whose selector is `TITLE`, which clients show as the menu's title.
      out.push({ kind: 'item', item: { itemType: 'i', display: name, selector: 'TITLE' } });
    } else if (first === '=' && /^[^=\s]/.test(name)) {
      out.push({ kind: 'include', target: name.trimEnd() });
    } else if (first === '-' && /^[^-\s]/.test(name)) {
      out.push({ kind: 'hide', name: name.trimEnd() });
    } else if (first === ':' && /^:[A-Za-z0-9]+=[^\s]$/.test(bare)) {
      const [ext, itemType] = bare.slice(1).split('=');
      out.push({ kind: 'filetype', ext: ext!.toLowerCase(), itemType: itemType! });
    } else if (line.includes('\t')) {
      const item = itemLine(line, opts);
      if (item) out.push(item);
    } else {
      out.push(infoLine(line));
    }
  }
  return out;
}
