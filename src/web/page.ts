import { itemTypeInfo, LABEL_WIDTH } from '../protocol/item-type.js';
import { info, link, type MenuItem } from '../protocol/menu-item.js';
import { escapeHtml } from './escape-html.js';
import { encodeSelector, itemHref } from './urls.js';

/**
 * A gopher menu as an HTML5 page, the way web gateways show taz.de: the whole menu is one `<pre>`,
 * an info line is seven spaces + its text, any other item its label + its text as a link. The same
 * MenuItem[] the gopher encoder writes, so the web view can never disagree with lynx.
 *
 * The labels are the seven-column ones of the article format (lynx's, as in item-type.ts), so the
 * text of an article page is the article file itself, byte for byte. Pure: no I/O, no clock.
 */

const INDENT = ' '.repeat(LABEL_WIDTH);
export const FEED_PATH = '/feed.xml';

// Horizontal scroll rather than reflow: the lines are a fixed-width layout, as in a terminal.
const STYLE = `body{margin:0;padding:.5em;background:#fffff8;color:#111}
pre{margin:0;overflow-x:auto;font:15px/1.35 monospace;white-space:pre;-webkit-text-size-adjust:100%;text-size-adjust:100%}
a{color:#0645ad}a:visited{color:#551a8b}
input{font:inherit;margin:0 0 0 1ch;padding:0 .2em}
@media (prefers-color-scheme:dark){body{background:#111;color:#ddd}a{color:#8ab4f8}a:visited{color:#c58af9}}`;

/** `# taz.de -- Title` → `Title – taz.de`; any other first info line as it is. */
export function pageTitle(items: readonly MenuItem[]): string {
  const first = items[0];
  if (first?.itemType !== 'i') return 'gopherpress';
  const m = /^#\s*(.*?) -- (.*)$/.exec(first.display.trim());
  const title = m ? `${m[2]!.trim()} – ${m[1]}` : first.display.replace(/^#\s*/, '').trim();
  return title || 'gopherpress';
}

/** German where the archive says so: an article whose heading names a German-language site. */
export function pageLang(items: readonly MenuItem[]): string | undefined {
  const first = items[0];
  return first?.itemType === 'i' && /^#\s*\S+\.(?:de|at|ch) -- /.test(first.display) ? 'de' : undefined;
}

interface Forms {
  readonly html: string[];
}

function itemLine(item: MenuItem, forms: Forms): string {
  if (item.itemType === 'i') return item.flush ? escapeHtml(item.display) : INDENT + escapeHtml(item.display);
  // gopherproxy's labels, except where an article wrote its own: then the page is the file.
  const label = item.label ?? ` (${itemTypeInfo(item.itemType).webLabel}) `;
  const text = escapeHtml(item.display);
  const href = itemHref(item);
  if (item.itemType === '7' && item.host === undefined) {
    // A search: the form lives after the <pre> (a form is not phrasing content); its fields join it by id.
    const id = `s${forms.html.length + 1}`;
    forms.html.push(`<form id="${id}" action="/7${escapeHtml(encodeSelector(item.selector))}" method="get" role="search"></form>`);
    return `${label}<label for="${id}q">${text}</label><input id="${id}q" form="${id}" name="q" type="search" size="24"><input form="${id}" type="submit" value="Search">`;
  }
  return href === undefined ? label + text : `${label}<a href="${escapeHtml(href)}">${text}</a>`;
}

/** The page for a menu. `<pre>` is followed by a newline, which HTML drops, so a first empty line survives. */
export function renderPage(items: readonly MenuItem[]): string {
  const forms: Forms = { html: [] };
  const lines = items.map((item) => itemLine(item, forms));
  const lang = pageLang(items);
  return `<!DOCTYPE html>
<html${lang ? ` lang="${lang}"` : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(pageTitle(items))}</title>
<link rel="alternate" type="application/atom+xml" title="Newest articles" href="${FEED_PATH}">
<style>
${STYLE}
</style>
</head>
<body>
<pre>
${lines.join('\n')}
</pre>
${forms.html.join('\n')}
</body>
</html>
`;
}

/** The page for a gopher error (type 3): its text, and the way back. */
export function errorPage(message: string): string {
  return renderPage([info(`# ${message}`), info(''), link('1', 'Back to the front page', '/')]);
}
