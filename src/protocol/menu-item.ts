/**
 * One line of a gopher menu (RFC 1436 §3.8): `<itemType><display>\t<selector>\t<host>\t<port>`.
 * `host`/`port` left undefined mean "this server", filled in by the encoder, so menus can be built
 * (and cached) without knowing which name a client used to reach us.
 */
export interface MenuItem {
  readonly itemType: string;
  readonly display: string;
  readonly selector: string;
  readonly host?: string;
  readonly port?: number;
  /** An info line the article file wrote without indentation: the web view shows it as written. */
  readonly flush?: true;
  /**
   * The seven-column label an article file wrote for this item (`(FILE) `, `  (?)  `). The web view
   * shows it instead of gopherproxy's label, so that an article page is its file byte for byte.
   */
  readonly label?: string;
}

export function info(display: string, flush?: true): MenuItem {
  return flush ? { itemType: 'i', display, selector: '', flush } : { itemType: 'i', display, selector: '' };
}

export function link(itemType: string, display: string, selector: string, host?: string, port?: number): MenuItem {
  return host === undefined ? { itemType, display, selector } : { itemType, display, selector, host, port };
}

export function isLocal(item: MenuItem): boolean {
  return item.host === undefined;
}
