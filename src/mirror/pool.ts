/** Sleep that an abort ends early (resolves, never rejects: the caller checks the signal). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface PoolOptions<T> {
  /** the next task, or undefined when there is none right now (more may come from tasks in flight) */
  readonly take: () => T | undefined;
  readonly run: (task: T) => Promise<void>;
  readonly concurrency: number;
  /** politeness: at least this long between the starts of two requests, whatever the concurrency */
  readonly delayMs: number;
  readonly signal?: AbortSignal;
}

/**
 * Run tasks with at most `concurrency` in flight, starting them `delayMs` apart. Ends when no task is
 * left and none is in flight (a running task may queue more), or at once when the signal aborts.
 */
export async function runPool<T>(opts: PoolOptions<T>): Promise<void> {
  let inFlight = 0;
  let nextStart = 0;
  let waiting: (() => void)[] = [];
  const changed = (): Promise<void> => new Promise((r) => waiting.push(r));
  const notify = (): void => {
    const w = waiting;
    waiting = [];
    for (const r of w) r();
  };
  opts.signal?.addEventListener('abort', notify, { once: true });
  const worker = async (): Promise<void> => {
    while (!opts.signal?.aborted) {
      const task = opts.take();
      if (task === undefined) {
        if (inFlight === 0) return notify();
        await changed();
        continue;
      }
      inFlight++;
      try {
        const now = Date.now();
        const at = Math.max(now, nextStart);
        nextStart = at + opts.delayMs;
        await sleep(at - now, opts.signal);
        await opts.run(task);
      } finally {
        inFlight--;
        notify();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker));
}
