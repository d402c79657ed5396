import { encodeText } from '../charset/encode.js';
import { notFound, type Document } from '../protocol/document.js';
import { fileTypeOfItemType } from '../protocol/file-types.js';
import { escapeHtml } from '../web/escape-html.js';

/** Schemes a redirect page may send a browser to; `javascript:` or `data:` from a crafted selector never. */
const SAFE_SCHEME = /^(https?|ftp|gophers?|gemini|mailto):/i;

/**
 * The page answered for a `URL:<address>` selector, as Gophernicus and pygopherd do: an `h` item that
 * points at a web address reaches clients that only speak gopher, and they hand the page to a browser.
 */
export function urlRedirect(address: string): Document {
  if (!SAFE_SCHEME.test(address) || /[\s<>"]/.test(address)) return notFound('Not a web address this server redirects to');
  const a = escapeHtml(address);
  const html = [
    '<!DOCTYPE html>',
    '<html>',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="refresh" content="1;url=${a}">`,
    '<title>URL redirect</title>',
    '</head>',
    '<body>',
    `<p>This gopher link leads to the web: <a href="${a}">${a}</a></p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
  return { kind: 'bytes', bytes: encodeText(html, 'utf-8'), type: fileTypeOfItemType('h') };
}
