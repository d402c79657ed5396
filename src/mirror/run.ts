import { fetchGopher, FetchError, type FetchLimits, type FetchTarget } from './fetch.js';
import type { GopherUrl } from './gopher-url.js';
import type { WriteOutcome } from './save.js';

export interface MirrorOptions {
  readonly start: GopherUrl;
  /** the start URL as given, the key of the saved state */
  readonly url: string;
  readonly out: string;
  readonly followHosts: boolean;
  readonly delayMs: number;
  readonly concurrency: number;
  /** menus this many links from the start are still fetched, their items no more; undefined: no limit */
  readonly maxDepth?: number;
  /** fetch at most this many items in this run (a later run continues) */
  readonly maxItems?: number;
  readonly limits: FetchLimits;
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: MirrorEvent) => void;
}

export interface MirrorStats {
  /** requests answered (lists and items) */
  fetched: number;
  queued: number;
  errors: number;
  /** items saved that were not there before / that differed */
  added: number;
  changed: number;
  /** fetched and equal to the copy already saved */
  unchanged: number;
  /** not fetched at all: the server's list says the saved copy is current */
  upToDate: number;
  deleted: number;
  bytes: number;
  readonly startedAt: number;
}

export type MirrorEvent =
  | { readonly kind: 'saved'; readonly selector: string; readonly path: string; readonly outcome: WriteOutcome; readonly bytes: number }
  | { readonly kind: 'deleted'; readonly path: string }
  | { readonly kind: 'failed'; readonly selector: string; readonly message: string }
  | { readonly kind: 'note'; readonly message: string }
  | { readonly kind: 'progress'; readonly stats: MirrorStats };

export interface Failure {
  readonly selector: string;
  readonly message: string;
}

export type MirrorMode = 'gopherpress' | 'crawl';

export interface MirrorResult {
  readonly mode: MirrorMode;
  readonly stats: MirrorStats;
  readonly failures: readonly Failure[];
  readonly interrupted: boolean;
  /** --max-items stopped the run before the end; the next run continues */
  readonly unfinished: boolean;
}

/** The counters, failures and events of one run, shared by both modes. */
export class Run {
  readonly stats: MirrorStats = {
    fetched: 0, queued: 0, errors: 0, added: 0, changed: 0, unchanged: 0, upToDate: 0, deleted: 0, bytes: 0, startedAt: Date.now(),
  };
  readonly failures: Failure[] = [];

  constructor(readonly opts: MirrorOptions) {}

  get aborted(): boolean {
    return this.opts.signal?.aborted === true;
  }

  emit(e: MirrorEvent): void {
    this.opts.onEvent?.(e);
  }

  async fetch(target: FetchTarget): Promise<Buffer> {
    const bytes = await fetchGopher(target, this.opts.limits, this.opts.signal);
    this.stats.fetched++;
    this.stats.bytes += bytes.length;
    return bytes;
  }

  saved(selector: string, path: string, outcome: WriteOutcome, bytes: number): void {
    if (outcome === 'new') this.stats.added++;
    else if (outcome === 'changed') this.stats.changed++;
    else this.stats.unchanged++;
    this.emit({ kind: 'saved', selector, path, outcome, bytes });
    this.emit({ kind: 'progress', stats: this.stats });
  }

  fail(selector: string, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.stats.errors++;
    this.failures.push({ selector, message });
    this.emit({ kind: 'failed', selector, message });
    this.emit({ kind: 'progress', stats: this.stats });
  }
}

export function isAbort(err: unknown): boolean {
  return err instanceof FetchError && err.failure === 'aborted';
}
