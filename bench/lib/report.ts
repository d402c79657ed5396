import type { LoadResult } from './gopherload.js';

export interface Cell extends LoadResult {
  readonly server: string;
  readonly kind: string;
  readonly conns: number;
  /** largest RSS of the server's process tree during the run, bytes */
  readonly rss: number;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const mb = (b: number): string => (b / 1024 ** 2).toFixed(0);
const f = (x: number, d = 0): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

interface Result {
  date: string;
  machine: { nproc: number; cpu?: string; memGB: number; node: string; load: number[]; loadStart?: number[] };
  options: { articles: number; seconds: number; repeat: number; quick: boolean };
  cold: { ms: number; rss: number; runs?: number[]; preread?: number };
  warm: { ms: number; rss: number; allMs?: number; workers?: number; rssSettled?: number; pssSettled?: number }[];
  indexed: boolean;
  cells: Cell[];
  searchRuns: LoadResult[];
  visibleMs?: number;
  stream?: { before: number; max: number; bytes: number[] };
  rssIdle: number;
  /** the whole bench, archive generation included */
  tookS?: number;
  /** gopherpress's access log over the whole run */
  logged?: { lines: number; bytes: number };
}

/** The median over the repeats of a per-repeat ratio of gopherpress to `other` (each pair ran at one moment). */
function ratio(cells: readonly Cell[], other: string, kind: string, conns: number, of: (c: Cell) => number): number {
  const a = cells.filter((y) => y.server === 'gopherpress' && y.kind === kind && y.conns === conns);
  const b = cells.filter((y) => y.server === other && y.kind === kind && y.conns === conns);
  if (a.length === 0 || b.length === 0) return NaN;
  return median(a.map((y, i) => of(y) / (b[i] === undefined ? NaN : of(b[i]!))));
}

/** Issue 16's targets, from this run alone. */
function targets(cells: readonly Cell[]): string[] {
  const out = ['| target (issue 16, access log on) | measured in this run | met? |', '|---|---|---|'];
  const errors = cells.filter((c) => c.server === 'gopherpress').reduce((n, c) => n + c.errors, 0);
  const yes = (ok: boolean): string => (ok ? 'yes' : '**no**');
  for (const kind of ['article', 'text']) {
    const bare = ratio(cells, 'bare node', kind, 64, (c) => c.rps);
    const gn = ratio(cells, 'gophernicus', kind, 64, (c) => c.rps);
    out.push(`| ${kind} at 64 connections ≥ 0.9 × bare Node | ${f(bare, 2)}× | ${Number.isNaN(bare) ? 'n/a' : yes(bare >= 0.9)} |`);
    out.push(`| ${kind} at 64 connections ≥ 10 × gophernicus | ${f(gn, 1)}× | ${Number.isNaN(gn) ? 'n/a' : yes(gn >= 10)} |`);
  }
  const kinds = [...new Set(cells.filter((c) => c.conns === 256).map((c) => c.kind))];
  const p99 = kinds.map((k) => [k, ratio(cells, 'bare node', k, 256, (c) => c.p99)] as const).filter(([, x]) => !Number.isNaN(x));
  if (p99.length > 0) {
    out.push(`| p99 at 256 connections ≤ 1.5 × bare Node's | ${p99.map(([k, x]) => `${k} ${f(x, 2)}×`).join(', ')} | ${yes(p99.every(([, x]) => x <= 1.5))} |`);
  }
  out.push(`| 0 errors | ${errors} | ${yes(errors === 0)} |`);
  return out;
}

/** The run as Markdown: medians over the repeats, and gopherpress's ratio to each other server. */
export function report(r: Result): string {
  const out: string[] = [];
  const m = r.machine;
  const load = (xs: number[]): string => xs.map((x) => x.toFixed(2)).join(' ');
  out.push(`Run ${r.date}: ${m.nproc} × ${m.cpu}, ${m.memGB.toFixed(0)} GB, Node ${m.node}, load average ${m.loadStart ? `at the start ${load(m.loadStart)}, ` : ''}at the end ${load(m.load)}`);
  out.push(`${r.options.articles} articles; ${r.options.seconds} s per run (at 1 connection at most 2,000 requests), median of ${r.options.repeat}${r.tookS === undefined ? '' : `; the bench took ${Math.floor(r.tookS / 60)} min ${Math.round(r.tookS % 60)} s`}.`, '');
  out.push(`- cold start (no index, archive in the page cache), serving: ${f(r.cold.ms / 1000, 2)} s${r.cold.runs ? ` (runs: ${r.cold.runs.map((ms) => (ms / 1000).toFixed(2)).join(', ')})` : ''}, RSS ${mb(r.cold.rss)} MB; full text indexed: ${r.indexed}`);
  out.push(`- warm start (cache): ${f(median(r.warm.map((w) => w.ms)) / 1000, 2)} s (runs: ${r.warm.map((w) => (w.ms / 1000).toFixed(2)).join(', ')}), RSS ${mb(median(r.warm.map((w) => w.rss)))} MB`);
  const all = r.warm.flatMap((w) => (w.allMs === undefined ? [] : [w.allMs]));
  const workers = r.warm[0]?.workers ?? 1;
  if (all.length > 0 && workers > 1) out.push(`- every one of the ${workers} workers serving after: ${f(median(all) / 1000, 2)} s (runs: ${all.map((ms) => (ms / 1000).toFixed(2)).join(', ')})`);
  const settled = r.warm.flatMap((w) => (w.rssSettled === undefined ? [] : [w.rssSettled]));
  const pss = r.warm.flatMap((w) => (w.pssSettled === undefined ? [] : [w.pssSettled]));
  if (settled.length > 0) out.push(`- RSS 5 s after every worker serves (after their one full GC), watcher on, all ${workers === 1 ? 'of the process' : `${workers + 1} processes`}: ${mb(median(settled))} MB (runs: ${settled.map(mb).join(', ')})${pss.length > 0 ? `; PSS ${mb(median(pss))} MB` : ''}`);
  out.push(`- RSS after the whole run: ${mb(r.rssIdle)} MB`);
  if (r.logged) out.push(`- access log (a file, as deployed): ${r.logged.lines} lines, ${mb(r.logged.bytes)} MB`);
  const s = r.searchRuns;
  out.push(`- search, 1000 different two-word queries, 1 connection: p50 ${f(median(s.map((x) => x.p50)), 2)} ms, p99 ${f(median(s.map((x) => x.p99)), 2)} ms, ${f(median(s.map((x) => x.rps)))} req/s, errors ${s.map((x) => x.errors).join('/')}`);
  out.push(`- new article visible after: ${r.visibleMs === undefined ? 'not within 5 s (no watcher in this build)' : `${f(r.visibleMs)} ms`}`);
  if (r.stream) {
    const b = r.stream.bytes;
    out.push(`- 1 GB file to 50 clients reading 2 MB/s each for 15 s: RSS ${mb(r.stream.before)} MB before, ${mb(r.stream.max)} MB at most (+${mb(r.stream.max - r.stream.before)} MB); clients received ${mb(Math.min(...b))}–${mb(Math.max(...b))} MB each`);
  }
  out.push('');
  const servers = [...new Set(r.cells.map((c) => c.server))];
  const others = servers.filter((x) => x !== 'gopherpress');
  out.push(`| kind | conns | ${servers.map((x) => `${x} req/s (p50/p99 ms, errors, RSS MB)`).join(' | ')} | ${others.map((x) => `÷ ${x}`).join(' | ')} |`);
  out.push(`|---|---|${servers.map(() => '---').join('|')}|${others.map(() => '---').join('|')}|`);
  const kinds = [...new Set(r.cells.map((c) => c.kind))];
  const concs = [...new Set(r.cells.map((c) => c.conns))];
  for (const k of kinds) {
    for (const c of concs) {
      const med = (server: string): { rps: number; p50: number; p99: number; errors: number; rss: number } | undefined => {
        const xs = r.cells.filter((x) => x.server === server && x.kind === k && x.conns === c);
        if (xs.length === 0) return undefined;
        return { rps: median(xs.map((x) => x.rps)), p50: median(xs.map((x) => x.p50)), p99: median(xs.map((x) => x.p99)), errors: xs.reduce((n, x) => n + x.errors, 0), rss: median(xs.map((x) => x.rss)) };
      };
      const gp = med('gopherpress');
      const cols = servers.map((x) => {
        const v = med(x);
        return v ? `${f(v.rps)} (${f(v.p50, 2)}/${f(v.p99, 2)}, ${v.errors}, ${mb(v.rss)})` : 'n/a';
      });
      // Ratios per repeat, then their median: each pair of runs shares one moment's load.
      const ratios = others.map((x) => {
        const q = gp ? ratio(r.cells, x, k, c, (y) => y.rps) : NaN;
        return Number.isNaN(q) ? 'n/a' : `${f(q, 2)}×`;
      });
      out.push(`| ${k} | ${c} | ${cols.join(' | ')} | ${ratios.join(' | ')} |`);
    }
  }
  out.push('', ...targets(r.cells));
  return out.join('\n') + '\n';
}
