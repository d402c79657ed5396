/**
 * A copy of `s` that owns its characters. V8 represents a substring (a regex capture, a split line) as
 * a view into its parent, so a 60-character title kept from a 10 KB article file keeps the whole file
 * text alive: 100,000 of them held a gigabyte. V8 copies substrings under 13 characters itself.
 */
export function ownString(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf16le').toString('utf16le');
}

/** The same for values repeated across articles (tags, site names): one shared copy each. */
export class StringPool {
  private readonly pool = new Map<string, string>();

  get(s: string): string {
    let owned = this.pool.get(s);
    if (owned === undefined) this.pool.set((owned = ownString(s)), owned);
    return owned;
  }
}
