/** A parsed `gopher://host[:port]/[type][selector]` URL (RFC 4266). */
export interface GopherUrl {
  readonly host: string;
  readonly port: number;
  readonly itemType: string;
  readonly selector: string;
}

/**
 * Parse a gopher URL as curl and lynx read it: the first path character is the item type (`1` when
 * the path is empty), the rest is the %-decoded selector. Undefined for anything else.
 */
export function parseGopherUrl(url: string): GopherUrl | undefined {
  const m = /^gopher:\/\/(\[[^\]]+\]|[^/:?#\s]+)(?::(\d{1,5}))?(\/.*)?$/i.exec(url.trim());
  if (!m) return undefined;
  const host = m[1]!.replace(/^\[|\]$/g, '');
  const port = m[2] === undefined ? 70 : Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  const pathPart = m[3] ?? '/';
  const itemType = pathPart.length > 1 ? pathPart.charAt(1) : '1';
  let selector = pathPart.slice(2);
  try {
    selector = decodeURIComponent(selector);
  } catch {
    return undefined;
  }
  // A search (`%09query`) is not something to mirror; the selector is what comes before it.
  selector = selector.split('\t')[0]!;
  return { host, port, itemType, selector };
}

export function formatGopherUrl(u: GopherUrl): string {
  const host = u.host.includes(':') ? `[${u.host}]` : u.host;
  return `gopher://${host}${u.port === 70 ? '' : ':' + u.port}/${u.itemType}${u.selector}`;
}
