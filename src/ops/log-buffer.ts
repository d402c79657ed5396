/** Written when this much is waiting (as nginx's `access_log … buffer=64k`). */
export const LOG_BUFFER_BYTES = 64 * 1024;
/** …or when the oldest line has waited this long (`flush=1s`): what a killed process can lose. */
export const LOG_FLUSH_MS = 1000;

/**
 * Log lines gathered in memory and written in one call, when the buffer fills or once a second,
 * instead of a write system call per request: with a write per line the access log cost a sixth
 * of the server's throughput (bench/RESULTS.md, round 9). `flush()` writes what waits at once, for
 * a reopen (SIGHUP) and on the way out (exit, SIGTERM, an uncaught exception).
 */
export class LogBuffer {
  private pending = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (chunk: string) => void,
    private readonly maxBytes = LOG_BUFFER_BYTES,
    private readonly flushMs = LOG_FLUSH_MS,
  ) {}

  append(line: string): void {
    this.pending += line;
    if (this.pending.length >= this.maxBytes) this.flush();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), this.flushMs);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending === '') return;
    const chunk = this.pending;
    this.pending = '';
    this.write(chunk);
  }
}
