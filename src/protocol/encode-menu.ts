import type { MenuItem } from './menu-item.js';

export interface Origin {
  readonly host: string;
  readonly port: number;
}

/** TAB, CR and LF would split a menu line into more or fewer than four fields (RFC 1436 §3.8). */
function field(s: string): string {
  return /[\t\r\n]/.test(s) ? s.replace(/\t/g, '    ').replace(/\r\n|\r|\n/g, ' ') : s;
}

/**
 * A selector must still name its file when that name holds a control character (which the charset
 * encoder drops): it goes as %XX, which the server decodes once (content-path.ts), like lynx and curl.
 */
function selectorField(s: string): string {
  return s.replace(/[\0-\x1F\x7F-\x9F]/g, (c) => encodeURIComponent(c));
}

/**
 * Info lines point nowhere. They carry Gophernicus's dummy `null.host` port 1 rather than this server,
 * so a client or crawler that treats an unknown type as a link never fetches our front page by mistake.
 */
export const INFO_ORIGIN: Origin = { host: 'null.host', port: 1 };

export function menuLine(item: MenuItem, origin: Origin): string {
  const local = item.itemType === 'i' ? INFO_ORIGIN : origin;
  const host = item.host ?? local.host;
  const port = item.port ?? local.port;
  // The type is one character; none, or a control character (which would split the line or be
  // dropped by the charset encoder), makes the item an error line.
  const t = item.itemType.charAt(0);
  const itemType = t === '' || selectorField(t) !== t ? '3' : t;
  return `${itemType}${field(item.display)}\t${selectorField(item.selector)}\t${field(host)}\t${port}\r\n`;
}

/** A whole menu: one line per item, then the lone `.` that ends a directory (RFC 1436 §3.8). */
export function renderMenu(items: readonly MenuItem[], origin: Origin): string {
  let out = '';
  for (const item of items) out += menuLine(item, origin);
  return out + '.\r\n';
}

/**
 * A menu for a Gopher+ `TAB $` request: `+-1` (length unknown, ended by `.`), then each item as its
 * own `+INFO:` block. The UMN `gopher` client opens a server this way and shows nothing otherwise.
 */
export function renderPlusDirectory(items: readonly MenuItem[], origin: Origin): string {
  let out = '+-1\r\n';
  for (const item of items) out += '+INFO: ' + menuLine(item, origin);
  return out + '.\r\n';
}

/** A type-3 error as a one-line menu, which every client shows as the error text. */
export function renderError(message: string, origin: Origin): string {
  return renderMenu([{ itemType: '3', display: message, selector: '' }], origin);
}
