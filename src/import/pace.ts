import { sleep } from '../mirror/pool.js';

/**
 * Politeness per host: one request at a time to a host, the next starting `delayMs` after the last one
 * ended, so a slow server is asked less often. Requests to different hosts do not wait for each other.
 */
export class HostPacer {
  private readonly tail = new Map<string, Promise<unknown>>();
  private readonly lastEnd = new Map<string, number>();

  constructor(private readonly delayMs: number, private readonly signal?: AbortSignal) {}

  /** Run `request` when the host of `url` is free and rested (at once for a local file). */
  run<T>(url: string, request: () => Promise<T>): Promise<T> {
    let host = '';
    try {
      host = new URL(url).host;
    } catch {
      // not a URL: nothing to be polite to
    }
    if (host === '') return request();
    const go = async (): Promise<T> => {
      const last = this.lastEnd.get(host);
      if (last !== undefined) await sleep(last + this.delayMs - Date.now(), this.signal);
      try {
        return await request();
      } finally {
        this.lastEnd.set(host, Date.now());
      }
    };
    const result = (this.tail.get(host) ?? Promise.resolve()).then(go, go);
    this.tail.set(host, result.catch(() => undefined));
    return result;
  }
}
