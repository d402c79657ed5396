import { closeSync, openSync, writeSync } from 'node:fs';
import { formatAccess, type AccessRecord } from '../server/access-log.js';
import { LogBuffer } from './log-buffer.js';
import type { Logs } from '../app.js';

/**
 * Logs whose access lines go to stdout or, with --log-file, appended to a file that SIGHUP reopens
 * (rotation is left to logrotate: move the file, send SIGHUP). Access lines are buffered
 * (log-buffer.ts) and written whole, so workers appending to one file never interleave within a
 * line. Errors and notices are written at once: errors to stderr, the rest to stdout.
 */
export class SwitchableLogs implements Logs {
  private quiet: boolean;
  private file?: string;
  private fd?: number;
  private failed = false;
  private readonly buffer = new LogBuffer((chunk) => this.writeOut(chunk));

  constructor(quiet: boolean, file?: string) {
    this.quiet = quiet;
    this.file = file;
    // Opened synchronously so that a bad path is an error now (exit 2 at start), not an event later.
    this.fd = file === undefined ? undefined : openSync(file, 'a');
    // Whatever way the process leaves (process.exit after SIGTERM, an uncaught exception), the lines go first.
    process.on('exit', () => this.buffer.flush());
  }

  readonly access: Logs['access'] = Object.assign((r: AccessRecord) => {
    if (!this.quiet) this.buffer.append(formatAccess(r));
  }, { enabled: () => !this.quiet });

  readonly info = (line: string): void => void process.stdout.write(line + '\n');
  readonly error = (line: string): void => void process.stderr.write(line + '\n');

  /** Write the access lines waiting in the buffer now. */
  flush(): void {
    this.buffer.flush();
  }

  /** Apply new settings and reopen the file; a file that cannot be opened keeps the old one and says why. */
  reopen(quiet: boolean, file?: string): void {
    // The lines so far belong to the file they were logged under (the one logrotate just moved).
    this.buffer.flush();
    this.quiet = quiet;
    let next: number | undefined;
    try {
      next = file === undefined ? undefined : openSync(file, 'a');
    } catch (err) {
      this.error(`cannot open log file ${file} (${(err as NodeJS.ErrnoException).code ?? err}); still logging to ${this.file ?? 'stdout'}`);
      return;
    }
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = next;
    this.file = file;
    this.failed = false;
  }

  private writeOut(chunk: string): void {
    if (this.fd === undefined) return void process.stdout.write(chunk);
    try {
      const bytes = Buffer.from(chunk, 'utf8');
      for (let at = 0; at < bytes.length; ) at += writeSync(this.fd, bytes, at);
    } catch (err) {
      // A full disk: say so once per file, keep serving.
      if (!this.failed) this.error(`log file ${this.file}: ${(err as Error).message}`);
      this.failed = true;
    }
  }
}
