import type { Answer } from './answer.js';

/** 32 MB holds ~6,000 rendered articles; with 100,000 in memory it keeps RSS under 400 MB (bench/RESULTS.md) */
export const ANSWER_CACHE_BYTES = 32 * 1024 * 1024;

/**
 * Request lines answered once, most recent last: an answer is remembered only when its line comes
 * again within this many others (as nginx's `proxy_cache_min_uses 2`), so one-off requests (a
 * crawler's walk, 3,000 different searches) neither fill the cache nor push the popular answers out.
 */
const SEEN_ONCE = 8192;

/** What a file answer costs here: its path and numbers, not its bytes (those are hot-files.ts's). */
const FILE_ANSWER_BYTES = 256;

/** A remembered answer; `used` gives it a second chance when the cache is full (the CLOCK policy). */
interface Cached {
  readonly answer: Answer;
  readonly size: number;
  used: boolean;
}

/**
 * Answers by raw request line (latin1), for one archive generation: the first change to the archive
 * drops them all, so nothing stale is served and nothing is rendered twice.
 */
export class AnswerCache {
  private cache = new Map<string, Cached>();
  private bytes = 0;
  private readonly seenOnce = new Set<string>();
  private generation = -1;

  constructor(private readonly maxBytes = ANSWER_CACHE_BYTES) {}

  /** The answer remembered for this line, if the archive is still at `generation`. */
  get(key: string, generation: number): Answer | undefined {
    if (generation !== this.generation) {
      this.cache = new Map();
      this.bytes = 0;
      this.generation = generation;
      return undefined;
    }
    const hit = this.cache.get(key);
    if (hit === undefined) return undefined;
    hit.used = true;
    return hit.answer;
  }

  /** Offer an answer rendered from `generation`; kept from the second time its line is offered. */
  offer(key: string, answer: Answer, generation: number): void {
    if (generation !== this.generation) return;
    if (answer.kind === 'bytes' && answer.status !== 'ok') return;
    const size = answer.kind === 'bytes' ? answer.bytes.length : FILE_ANSWER_BYTES;
    if (size > this.maxBytes / 16 || this.cache.has(key)) return;
    if (!this.seenOnce.delete(key)) {
      if (this.seenOnce.size === SEEN_ONCE) this.seenOnce.delete(this.seenOnce.values().next().value!);
      this.seenOnce.add(key);
      return;
    }
    this.cache.set(key, { answer, size, used: false });
    this.bytes += size;
    // Oldest first; one used since its last chance moves to the back instead of going.
    for (const [k, v] of this.cache) {
      if (this.bytes <= this.maxBytes) break;
      this.cache.delete(k);
      if (v.used) {
        v.used = false;
        this.cache.set(k, v);
      } else this.bytes -= v.size;
    }
  }
}
