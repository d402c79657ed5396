import { sleep } from '../mirror/pool.js';

/**
 * Politeness per host: requests to one host start at least `delayMs` apart, whatever the concurrency;
 * requests to different hosts do not wait for each other.
 */
export class HostPacer {
  private readonly next = new Map<string, number>();

  constructor(private readonly delayMs: number, private readonly signal?: AbortSignal) {}

  /** Resolves when a request to the host of `url` may start (at once for a local file). */
  async wait(url: string): Promise<void> {
    let host: string;
    try {
      host = new URL(url).host;
    } catch {
      return;
    }
    if (host === '') return;
    const now = Date.now();
    const at = Math.max(now, this.next.get(host) ?? 0);
    this.next.set(host, at + this.delayMs);
    await sleep(at - now, this.signal);
  }
}
