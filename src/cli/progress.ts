/**
 * What the long-running commands (import, mirror) print while they work: on a terminal, one line on
 * stderr redrawn in place at most every 100 ms and cleared before any other line; elsewhere only the lines.
 */
const CLEAR_LINE = '\r\x1b[K';
const REDRAW_MS = 100;
const BAR_WIDTH = 20;

/** `[##########----------]`: done of total. */
export function progressBar(done: number, total: number): string {
  const full = total <= 0 ? 0 : Math.min(BAR_WIDTH, Math.round((BAR_WIDTH * done) / total));
  return `[${'#'.repeat(full)}${'-'.repeat(BAR_WIDTH - full)}]`;
}

export interface Progress {
  /** Redraw the progress line (only on a terminal, and not more often than every 100 ms). */
  draw(text: () => string): void;
  /** One line on stdout (stderr for a failure), below nothing: the progress line is cleared first. */
  line(text: string, toErr?: boolean): void;
  /** Clear the progress line, before the summary. */
  clear(): void;
}

export function terminalProgress(tty: boolean): Progress {
  let drawn = false;
  let last = 0;
  const clear = (): void => {
    if (drawn) process.stderr.write(CLEAR_LINE);
    drawn = false;
  };
  return {
    draw: (text) => {
      const now = Date.now();
      if (!tty || now - last < REDRAW_MS) return;
      last = now;
      process.stderr.write(CLEAR_LINE + text());
      drawn = true;
    },
    line: (text, toErr = false) => {
      clear();
      (toErr ? process.stderr : process.stdout).write(text + '\n');
    },
    clear,
  };
}
