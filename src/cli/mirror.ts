import path from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../usage-error.js';
import { CRAWL_DEFAULTS } from '../mirror/crawl.js';
import { DEFAULT_FETCH_LIMITS } from '../mirror/fetch.js';
import { formatGopherUrl, parseGopherUrl } from '../mirror/gopher-url.js';
import type { MirrorEvent, MirrorResult, MirrorStats } from '../mirror/run.js';
import { nonNegativeInt, positiveInt } from './options.js';
import { interruptSignal } from './interrupt.js';
import { progressBar, terminalProgress } from './progress.js';

interface MirrorFlags {
  out?: string;
  followHosts: boolean;
  delay: number;
  concurrency: number;
  maxDepth?: number;
  maxItems?: number;
  maxBytes: number;
  timeout: number;
}

const rate = (s: MirrorStats): number => s.fetched / Math.max(0.001, (Date.now() - s.startedAt) / 1000);

/** One line a terminal redraws in place: a bar of fetched against fetched + queued, and the counters. */
function progressLine(s: MirrorStats): string {
  return `${progressBar(s.fetched, s.fetched + s.queued)} ${s.fetched} fetched, ${s.queued} queued, ${s.errors} errors, ${rate(s).toFixed(1)}/s`;
}

export function summaryLine(r: MirrorResult): string {
  const s = r.stats;
  const secs = (Date.now() - s.startedAt) / 1000;
  return `${s.fetched} fetched, ${s.added} new, ${s.changed} changed, ${s.unchanged} unchanged, ${s.upToDate} up to date, ` +
    `${s.deleted} deleted, ${s.errors} errors, ${s.bytes} bytes in ${secs.toFixed(1)} s`;
}

/** Events → output: a progress bar on a terminal (stderr), one plain line per event otherwise (stdout). */
function reporter(tty: boolean): { onEvent: (e: MirrorEvent) => void; end: () => void } {
  const out = terminalProgress(tty);
  return {
    onEvent: (e) => {
      switch (e.kind) {
        case 'progress':
          return out.draw(() => progressLine(e.stats));
        case 'saved':
          if (!tty) out.line(`${e.outcome.padEnd(9)} ${e.path} (${e.bytes} bytes)`);
          return;
        case 'deleted':
          return out.line(`deleted   ${e.path}`);
        case 'failed':
          return out.line(`failed    ${e.selector}: ${e.message}`, true);
        case 'note':
          return out.line(e.message);
      }
    },
    end: out.clear,
  };
}

export function addMirrorCommand(program: Command): void {
  program
    .command('mirror <gopher-url>')
    .description('copy a gopher server into a folder that `gopherpress serve` republishes')
    .option('-o, --out <dir>', 'folder to mirror into (default: the host name, plus _port when not 70)')
    .option('--follow-hosts', 'also fetch items on other servers (saved under <host>_<port>/)', false)
    .option('--delay <ms>', 'pause between the starts of two requests', nonNegativeInt, 200)
    .option('--concurrency <n>', 'requests at a time', positiveInt, 1)
    .option('--max-depth <n>', `follow links this many menus deep at most (default: ${CRAWL_DEFAULTS.maxDepth} for a crawl, all of a gopherpress archive)`, nonNegativeInt)
    .option('--max-items <n>', `fetch at most this many items in this run, the next run continues (default: ${CRAWL_DEFAULTS.maxItems} for a crawl, all of a gopherpress archive)`, positiveInt)
    .option('--max-bytes <n>', 'largest answer accepted', positiveInt, DEFAULT_FETCH_LIMITS.maxBytes)
    .option('--timeout <ms>', 'longest time one request may take', positiveInt, DEFAULT_FETCH_LIMITS.timeoutMs)
    .action(async (url: string, flags: MirrorFlags) => {
      const start = parseGopherUrl(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `gopher://${url}`);
      if (!start) throw new UsageError(`not a gopher URL: ${url} (expected gopher://host[:port]/[type][selector])`);
      const out = path.resolve(flags.out ?? (start.port === 70 ? start.host : `${start.host}_${start.port}`));
      const signal = interruptSignal();
      const report = reporter(process.stderr.isTTY === true);
      const normalised = formatGopherUrl(start);
      process.stdout.write(`mirroring ${normalised} into ${out}\n`);
      // Loaded when used, as in render.ts.
      const { mirror } = await import('../mirror/mirror.js');
      const r = await mirror({
        start,
        url: normalised,
        out,
        followHosts: flags.followHosts,
        delayMs: flags.delay,
        concurrency: flags.concurrency,
        maxDepth: flags.maxDepth,
        maxItems: flags.maxItems,
        limits: { maxBytes: flags.maxBytes, timeoutMs: flags.timeout },
        signal,
        onEvent: (e) => report.onEvent(e),
      });
      report.end();
      const head = r.interrupted ? 'interrupted' : r.unfinished ? 'stopped at --max-items' : 'done';
      process.stdout.write(`${head} (${r.mode === 'gopherpress' ? 'gopherpress archive' : 'crawl'}): ${summaryLine(r)}\n`);
      if (r.interrupted || r.unfinished) process.stdout.write('run the same command again to continue where this run stopped\n');
      // Each failure was one line on stderr as it happened; the summary counts them.
      process.exitCode = r.interrupted ? 130 : r.failures.length > 0 ? 1 : 0;
    });
}
