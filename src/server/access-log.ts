/**
 * One line per request, tab-free and space-separated so `awk` can read it:
 *   <ISO time> <client> <proto> "<selector>" <type> <bytes> <ms>ms <status>
 * proto is `gopher`, `gophers` (TLS) or `http`; status is ok, error, transient, timeout, too-long,
 * busy, bad-request, reset, … for gopher, the HTTP status code for the web view.
 */
export interface AccessRecord {
  readonly client: string;
  readonly proto: 'gopher' | 'gophers' | 'http';
  readonly selector: string;
  readonly itemType: string;
  readonly bytes: number;
  readonly ms: number;
  readonly status: string;
}

export interface AccessLogger {
  (r: AccessRecord): void;
  /** false while nothing is logged (`--quiet`): the server then skips gathering the record */
  readonly enabled?: () => boolean;
}

/** The time as ISO text, made once per millisecond however many lines share it. */
let isoMs = 0;
let isoText = '';
function isoNow(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoMs = ms;
    isoText = new Date(ms).toISOString();
  }
  return isoText;
}

export function formatAccess(r: AccessRecord, time = isoNow()): string {
  const sel = JSON.stringify(r.selector.length > 200 ? r.selector.slice(0, 200) + '…' : r.selector);
  return `${time} ${r.client} ${r.proto} ${sel} ${r.itemType || '-'} ${r.bytes} ${r.ms.toFixed(1)}ms ${r.status}\n`;
}
