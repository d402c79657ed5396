/**
 * One line per request, tab-free and space-separated so `awk` can read it:
 *   <ISO time> <client> <proto> "<selector>" <type> <bytes> <ms>ms <status>
 * proto is `gopher`, `gophers` (TLS) or `http`; status is ok, error, timeout, too-long, reset.
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

export function formatAccess(r: AccessRecord, now = new Date()): string {
  const sel = JSON.stringify(r.selector.length > 200 ? r.selector.slice(0, 200) + '…' : r.selector);
  return `${now.toISOString()} ${r.client} ${r.proto} ${sel} ${r.itemType || '-'} ${r.bytes} ${r.ms.toFixed(1)}ms ${r.status}`;
}

export function streamLogger(write: (line: string) => void): AccessLogger {
  return (r) => write(formatAccess(r) + '\n');
}
