import { median } from './report.js';

/** What one run of the archive-index bench measured (times in ms since spawn unless said). */
export interface IndexResult {
  readonly date: string;
  readonly machine: { readonly nproc: number; readonly cpu?: string; readonly memGB: number; readonly node: string };
  /** the commit the server was built from */
  readonly build: string;
  readonly archive: string;
  readonly articles: number;
  readonly megabytes: number;
  /** the build has `--state-dir` (the SQLite index); else its cache file in content/ was deleted for the cold start */
  readonly stateDir: boolean;
  readonly scanMs: number;
  /** the counts were kept from an earlier run (then scanMs only read the files) */
  readonly scanKept: boolean;
  readonly cold: {
    readonly listenMs: number;
    readonly articleMs?: number;
    /** the `full text indexed:` line, if the build prints one */
    readonly fullTextMs?: number;
    readonly fullTextLine?: string;
    readonly query: string;
    readonly reference: { readonly file: number; readonly text: number; readonly body: number };
    /** the count the server answered last, and when it met a reference or stopped changing */
    readonly count?: number;
    readonly countMs?: number;
    readonly countHow: string;
    readonly progress?: string;
  };
  readonly warm: readonly number[];
  readonly rss: { readonly coldRest: number; readonly coldSettledMs: number; readonly warmRest: number; readonly load: number; readonly loadRps: number; readonly loadErrors: number; readonly workers: number };
  readonly search: { readonly times: readonly number[]; readonly counts: readonly number[]; readonly errors: number; readonly minShare: number };
  readonly visible: readonly { readonly front?: number; readonly search?: number }[];
  /** how long each new article was given to show */
  readonly visibleWithinMs: number;
  /** the 1-minute load average when each figure was taken */
  readonly load: Readonly<Record<string, number>>;
  readonly tookS: number;
}

export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

const sec = (ms: number | undefined): string => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`);
const mb = (b: number): string => `${Math.round(b / 1024 ** 2)} MB`;
const met = (ok: boolean | undefined): string => (ok === undefined ? 'n/a' : ok ? 'met' : '**missed**');

/** The targets of issue 15 for an archive of this size: the 1M column from 1,000,000 articles, else the 100k one. */
function targets(articles: number) {
  const big = articles >= 1_000_000;
  return { warm: big ? 2000 : 1000, coldArticle: big ? 90_000 : 10_000, coldSearch: big ? 360_000 : 40_000, rss: (big ? 400 : 250) * 1024 ** 2, p50: 5, p99: 50, visible: 1000, column: big ? '1,000,000' : '100,000' };
}

/** Worst of the two times a new article took to show (front page, search); undefined if either never did. */
function visibleMs(v: { readonly front?: number; readonly search?: number }): number | undefined {
  return v.front === undefined || v.search === undefined ? undefined : Math.max(v.front, v.search);
}

export function indexReport(r: IndexResult): string {
  const t = targets(r.articles);
  const ld = (k: string): string => (r.load[k] === undefined ? '' : r.load[k]!.toFixed(2));
  const warm = median(r.warm);
  const c = r.cold;
  const findable = c.countHow.startsWith('matched') ? Math.max(c.countMs ?? 0, c.fullTextMs ?? 0) : undefined;
  const rest = Math.max(r.rss.coldRest, r.rss.warmRest);
  const p50 = median(r.search.times);
  const p99 = percentile(r.search.times, 99);
  // A trial in which the article never showed counts as the slowest.
  const visMed = median(r.visible.map((v) => visibleMs(v) ?? Infinity));
  const out: string[] = [];
  out.push(`Archive index, ${r.articles.toLocaleString('en')} articles (${r.megabytes.toFixed(0)} MB, ${r.archive}); ${r.date}; ${r.machine.nproc} × ${r.machine.cpu}, ${r.machine.memGB.toFixed(0)} GB, Node ${r.machine.node}; ` +
    `build ${r.build} ${r.stateDir ? 'with --state-dir' : 'without --state-dir (its cache file in content/ deleted for the cold start)'}; the bench took ${Math.floor(r.tookS / 60)} min ${Math.round(r.tookS % 60)} s.`, '');
  out.push(`| target (${t.column} articles) | target | measured | load avg (1 min) | |`);
  out.push('|---|---|---|---|---|');
  out.push(`| warm start: newest article served | < ${sec(t.warm)} | ${sec(warm)} (runs: ${r.warm.map((w) => sec(w)).join(', ')}) | ${ld('warm')} | ${met(warm < t.warm)} |`);
  out.push(`| cold start (no database): newest article served | < ${sec(t.coldArticle)} | ${sec(c.articleMs)} (listening after ${sec(c.listenMs)}) | ${ld('cold')} | ${met(c.articleMs !== undefined && c.articleMs < t.coldArticle)} |`);
  out.push(`| cold start: every article findable by search | < ${sec(t.coldSearch)} | ${sec(findable)} (${c.fullTextMs === undefined ? 'no `full text indexed:` line' : `\`full text indexed:\` at ${sec(c.fullTextMs)}`}; count ${c.countHow}) | ${ld('cold')} | ${met(findable !== undefined && findable < t.coldSearch)} |`);
  out.push(`| RSS of all ${r.rss.workers} processes, at rest / under load | < ${mb(t.rss)} | ${mb(rest)} / ${mb(r.rss.load)} (at rest after the cold start's indexing ${mb(r.rss.coldRest)}, once its processes used < 5 % of a CPU for a second, ${(r.rss.coldSettledMs / 1000).toFixed(0)} s after every article was findable; after a warm start ${mb(r.rss.warmRest)}; load: 64 connections on the article menu, ${Math.round(r.rss.loadRps)} req/s, ${r.rss.loadErrors} errors) | ${ld('rss')} | ${met(Math.max(rest, r.rss.load) < t.rss && r.rss.loadErrors === 0)} |`);
  out.push(`| two-word search matching most of the archive, p50 / p99 | < ${t.p50} ms / < ${t.p99} ms | ${p50.toFixed(1)} ms / ${p99.toFixed(1)} ms (${r.search.times.length} different pairs, one at a time; answers: median ${countText(Math.round(median(r.search.counts)))}, every word in ≥ ${(r.search.minShare * 100).toFixed(0)} % of articles; ${r.search.errors} errors) | ${ld('search')} | ${met(p50 < t.p50 && p99 < t.p99 && r.search.errors === 0)} |`);
  out.push(`| new article visible in menus and search | < ${sec(t.visible)} | ${Number.isFinite(visMed) ? `${Math.round(visMed)} ms` : `not within ${sec(r.visibleWithinMs)}`} (median of ${r.visible.length}; front page / search: ${r.visible.map((v) => `${fmtMs(v.front)}/${fmtMs(v.search)}`).join(', ')}) | ${ld('visible')} | ${met(visMed < t.visible)} |`);
  out.push('');
  out.push(`Search checked against the bench's own count over the files: \`${c.query}\` is in ${c.reference.file} articles (${c.reference.text} without the link addresses under \`## LINKS\`, ${c.reference.body} in title and text before \`## LINKS\`/\`## TAGS\`); the server answered ${c.count === undefined ? 'nothing' : countText(c.count)}.${c.fullTextLine ? ` Log: \`${c.fullTextLine.trim()}\`.` : ''}${c.progress ? ` While indexing: \`${c.progress}\`.` : ''} ${r.scanKept ? `Counts kept from an earlier run; reading the archive into the page cache: ${sec(r.scanMs)}.` : `Reading and counting the archive: ${sec(r.scanMs)}.`}`);
  return out.join('\n') + '\n';
}

function fmtMs(ms: number | undefined): string {
  return ms === undefined ? 'never' : `${Math.round(ms)}`;
}

function countText(n: number): string {
  return n > 10_000 && n === 10_001 ? 'more than 10,000' : `${n}`;
}
