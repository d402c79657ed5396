import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ListedFile } from './list-content.js';
import { parseChunk, type ParsedChunk } from './parse-chunk.js';
import type { ArticleEntry } from './entry.js';

/** Below this many articles a thread costs more to start than it saves. */
const PER_THREAD_MIN = 2000;

/** What a parse thread posts: its entries a batch at a time (`last` on the final one), then its index (and errors) with no entries. */
export type ThreadMessage = { readonly batch: ArticleEntry[]; readonly last: boolean } | { readonly chunk: ParsedChunk };

/**
 * Parse and index many articles on every core: one worker thread per CPU takes a contiguous share,
 * so that the shares' segments, joined in order, number the articles as one thread would have. A
 * thread that fails (it should not) has its share parsed here instead.
 *
 * `onEntries` gets every entry, in the order of `files`, while the threads are still parsing: the
 * first share's batches as they come, a later share's once every earlier one has handed on its last
 * entry. So the archive is filled while the threads still build their indexes (1–2 s at 50,000
 * articles each), instead of after them.
 */
export async function parseOnThreads(root: string, files: readonly ListedFile[], onEntries: (entries: readonly ArticleEntry[]) => void): Promise<ParsedChunk[]> {
  const threads = Math.min(os.availableParallelism(), Math.floor(files.length / PER_THREAD_MIN));
  if (threads <= 1) {
    const chunk = parseChunk(root, files);
    onEntries(chunk.entries);
    return [chunk];
  }
  const share = Math.ceil(files.length / threads);
  const shares = Array.from({ length: threads }, (_, t) => files.slice(t * share, (t + 1) * share));
  const order = new InOrder(threads, onEntries);
  return Promise.all(
    shares.map(async (s, t) => {
      let chunk: ParsedChunk;
      try {
        chunk = await onThread(root, s, (batch, last) => {
          order.add(t, batch);
          if (last) order.complete(t);
        });
      } catch {
        // Its batches so far are replaced by these (an article applied again replaces itself).
        chunk = parseChunk(root, s);
        order.restart(t, chunk.entries);
      }
      order.complete(t);
      return chunk;
    }),
  );
}

function onThread(root: string, files: ListedFile[], onBatch: (entries: ArticleEntry[], last: boolean) => void): Promise<ParsedChunk> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./parse-worker.js', import.meta.url), { workerData: { root, files } });
    const entries: ArticleEntry[] = [];
    w.on('message', (m: ThreadMessage) => {
      if ('batch' in m) {
        for (const e of m.batch) entries.push(e);
        onBatch(m.batch, m.last);
      } else resolve({ ...m.chunk, entries });
    });
    w.once('error', reject);
    w.once('exit', (code) => reject(new Error(`parse thread exited (${code})`)));
  });
}

/** Hands on the batches of several shares in the order of the shares, holding back a share's until every one before it has handed on its last entry. */
class InOrder {
  private current = 0;
  private readonly held: ArticleEntry[][][];
  private readonly done = new Set<number>();

  constructor(
    shares: number,
    private readonly deliver: (entries: readonly ArticleEntry[]) => void,
  ) {
    this.held = Array.from({ length: shares }, () => []);
  }

  add(share: number, batch: ArticleEntry[]): void {
    if (share === this.current) this.deliver(batch);
    else this.held[share]!.push(batch);
  }

  restart(share: number, entries: ArticleEntry[]): void {
    // A thread that failed after its last entry: every one of them was handed on already.
    if (this.done.has(share)) return;
    this.held[share] = [];
    this.add(share, entries);
  }

  complete(share: number): void {
    this.done.add(share);
    while (this.done.has(this.current)) {
      this.current++;
      for (const batch of this.held[this.current] ?? []) this.deliver(batch);
      if (this.held[this.current]) this.held[this.current] = [];
    }
  }
}
