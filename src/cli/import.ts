import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULTS } from '../config.js';
import { UsageError } from '../usage-error.js';
import { DEFAULT_HTTP_LIMITS } from '../import/http.js';
import type { ImportEvent, ImportStats } from '../import/run.js';
import { sleep } from '../mirror/pool.js';
import { nonNegativeInt, positiveInt } from './options.js';
import { interruptSignal } from './interrupt.js';
import { progressBar, terminalProgress, type Progress } from './progress.js';

interface ImportFlags {
  content: string;
  opml?: string[];
  every?: number;
  images: boolean;
  delay: number;
  concurrency: number;
  timeout: number;
  maxBytes: number;
  maxRedirects: number;
  verbose: boolean;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30m`, `1h`, `1h30m`, `90s` → milliseconds; at least a second, so `--every` cannot hammer a server. */
export function durationOption(v: string): number {
  const parts = [...v.matchAll(/(\d+)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== v) throw new InvalidArgumentError('expected a duration like 30m, 1h, 1h30m or 90s');
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0);
  if (ms < 1000) throw new InvalidArgumentError('expected a duration of a second or more');
  return ms;
}

/** A command-line input → the URL `import` fetches: http(s) as given, a local file as a file: URL. */
export function inputUrl(input: string): string {
  if (/^https?:\/\//i.test(input)) {
    try {
      return new URL(input).href;
    } catch {
      throw new UsageError(`not a valid URL: ${input}`);
    }
  }
  if (/^gophers?:\/\//i.test(input)) throw new UsageError(`${input}: gopher servers are copied with \`gopherpress mirror\`, not imported`);
  if (/^file:/i.test(input)) return input;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) throw new UsageError(`${input}: only http, https and local files can be imported`);
  if (!existsSync(input)) throw new UsageError(`no such file, and not an http(s) URL: ${input}`);
  return pathToFileURL(path.resolve(input)).href;
}

export function summaryLine(s: ImportStats, secs: number): string {
  return `${s.new} new, ${s.changed} changed, ${s.unchanged} unchanged, ${s.failed} failed (${s.total} in ${secs.toFixed(1)} s)`;
}

/** Which extraction gave how many articles: `2 by rule taz.de, 1 by readability, 1 from content:encoded`. */
function viaLine(s: ImportStats): string | undefined {
  const parts = Object.entries(s.via).map(([via, n]) => `${n} by ${via}`);
  return parts.length > 0 ? `extracted: ${parts.join(', ')}` : undefined;
}

function progressLine(s: ImportStats): string {
  const done = s.new + s.changed + s.unchanged + s.failed;
  return `${progressBar(done, s.total)} ${done}/${s.total}: ${s.new} new, ${s.changed} changed, ${s.unchanged} unchanged, ${s.failed} failed`;
}

/** Events → output: a bar redrawn on a terminal (stderr); failures one line each; each item with --verbose. */
function reporter(out: Progress, verbose: boolean): (e: ImportEvent) => void {
  return (e) => {
    switch (e.kind) {
      case 'progress':
        return out.draw(() => progressLine(e.stats));
      case 'item':
        if (verbose) out.line(`${e.outcome.padEnd(9)} ${e.relPath} ${e.url}${e.via ? ` (${e.via})` : ''}${e.detail ? `: ${e.detail}` : ''}`);
        return;
      case 'failed':
        return out.line(`failed    ${e.url}: ${e.message}`, true);
      case 'note':
        if (verbose) out.line(`note      ${e.message}`);
        return;
    }
  };
}

export function addImportCommand(program: Command): void {
  program
    .command('import [inputs...]')
    .description('import articles from RSS, Atom and JSON feeds, OPML lists and web pages (http, https, local files) into the archive')
    .option('-c, --content <dir>', 'the archive to write into', DEFAULTS.content)
    .option('--opml <file>', 'an OPML list of feeds to import (may be given more than once)', (v: string, all: string[] = []) => [...all, v])
    .option('--every <duration>', 'run again and again, this long apart (30m, 1h, 90s), until stopped', durationOption)
    .option('--images', 'save each figure\'s image beside its article, for the server to serve', false)
    .option('--delay <ms>', 'pause between two requests to one host (one at a time to each host)', nonNegativeInt, 1000)
    .option('--concurrency <n>', 'requests at a time, to different hosts', positiveInt, 4)
    .option('--timeout <ms>', 'longest time one page or feed may take', positiveInt, DEFAULT_HTTP_LIMITS.timeoutMs)
    .option('--max-bytes <n>', 'largest page or feed accepted', positiveInt, DEFAULT_HTTP_LIMITS.maxBytes)
    .option('--max-redirects <n>', 'redirects followed at most', nonNegativeInt, DEFAULT_HTTP_LIMITS.maxRedirects)
    .option('-v, --verbose', 'one line per article: what became of it and which extraction gave it', false)
    .action(async (inputs: string[], flags: ImportFlags) => {
      const urls = [...inputs, ...(flags.opml ?? [])].map(inputUrl);
      if (urls.length === 0) throw new UsageError('give at least one feed, page or file to import (or --opml <file>)');
      const content = path.resolve(flags.content);
      if (existsSync(content) && !statSync(content).isDirectory()) throw new UsageError(`not a folder: ${flags.content}`);
      await mkdir(content, { recursive: true }).catch((err: NodeJS.ErrnoException) => {
        throw new UsageError(`cannot create ${flags.content}: ${err.code ?? err.message}`);
      });
      // Loaded when used, as in render.ts: feedsmith, linkedom and Readability weigh on every other command.
      const { runImport } = await import('../import/run.js');
      const signal = interruptSignal();
      const tty = process.stderr.isTTY === true;
      for (let run = 1; ; run++) {
        const started = Date.now();
        const out = terminalProgress(tty);
        const onEvent = reporter(out, flags.verbose);
        const r = await runImport({
          inputs: urls, content, images: flags.images, delayMs: flags.delay, concurrency: flags.concurrency,
          limits: { timeoutMs: flags.timeout, maxBytes: flags.maxBytes, maxRedirects: flags.maxRedirects },
          signal, onEvent,
        });
        out.clear();
        const via = viaLine(r.stats);
        if (via) process.stdout.write(via + '\n');
        process.stdout.write(`${r.interrupted ? 'interrupted' : 'imported'}: ${summaryLine(r.stats, (Date.now() - started) / 1000)}\n`);
        const imported = r.stats.new + r.stats.changed + r.stats.unchanged;
        process.exitCode = r.interrupted ? 130 : r.stats.failed > 0 && imported === 0 ? 1 : 0;
        if (flags.every === undefined || signal.aborted) return;
        await sleep(flags.every, signal);
        if (signal.aborted) {
          process.exitCode = 0;
          return;
        }
      }
    });
}
