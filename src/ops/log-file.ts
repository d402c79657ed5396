import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { streamLogger, type AccessRecord } from '../server/access-log.js';
import type { Logs } from '../app.js';

/**
 * Logs whose access lines go to stdout or, with --log-file, appended to a file that SIGHUP reopens
 * (rotation is left to logrotate: move the file, send SIGHUP). Errors always go to stderr.
 */
export class SwitchableLogs implements Logs {
  private quiet: boolean;
  private file?: string;
  private stream?: WriteStream;

  constructor(quiet: boolean, file?: string) {
    this.quiet = quiet;
    this.file = file;
    this.stream = file === undefined ? undefined : openLog(file);
  }

  readonly access: Logs['access'] = Object.assign((r: AccessRecord) => {
    if (!this.quiet) this.writeAccess(r);
  }, { enabled: () => !this.quiet });

  private readonly writeAccess = streamLogger((line) => (this.stream ? this.stream.write(line) : process.stdout.write(line)));

  readonly info = (line: string): void => void process.stdout.write(line + '\n');
  readonly error = (line: string): void => void process.stderr.write(line + '\n');

  /** Apply new settings and reopen the file; a file that cannot be opened keeps the old one and says why. */
  reopen(quiet: boolean, file?: string): void {
    this.quiet = quiet;
    if (file === undefined) {
      this.stream?.end();
      this.stream = undefined;
      this.file = undefined;
      return;
    }
    try {
      const next = openLog(file);
      this.stream?.end();
      this.stream = next;
      this.file = file;
    } catch (err) {
      this.error(`cannot open log file ${file} (${(err as NodeJS.ErrnoException).code ?? err}); still logging to ${this.file ?? 'stdout'}`);
    }
  }
}

function openLog(file: string): WriteStream {
  // Opened synchronously so that a bad path is an error now (exit 2 at start), not a stream event later.
  const s = createWriteStream(file, { fd: openSync(file, 'a') });
  s.on('error', (err) => process.stderr.write(`log file ${file}: ${err.message}\n`));
  return s;
}
