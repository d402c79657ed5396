/**
 * `npm run bench:index -- --archive <dir> [--timeout <s>] [--json <file>]`: the archive index (issue 15)
 * measured from outside, through the CLI and gopher sockets, on an archive made by `npm run gen-archive`:
 * cold start (no index), warm start, RSS of every process at rest and under load, two-word searches
 * that match most of the archive, and how soon a new article shows. Prints the targets as a
 * Markdown table. `npm run bench` runs it on its 100,000-article archive (and `--index-1m <dir>` on another).
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MANIFEST, type Manifest } from './gen-archive.js';
import { Random } from './gen/random.js';
import { Vocabulary } from './gen/vocabulary.js';
import { buildGopherload, findGopherloadSource, runLoad } from './lib/gopherload.js';
import { fetchGopher } from './lib/fetch.js';
import { sampleRss, sleep, treePids, treeRss, untilAtRest } from './lib/proc.js';
import { scanArchiveOnce } from './lib/reference-count.js';
import { isArticleAnswer } from './lib/gopher-answers.js';
import { killGroups, serveFlags, pollUntil, startIndexServer, type IndexServer } from './lib/index-server.js';
import { indexReport, type IndexResult } from './lib/index-report.js';
import { newArticleTrials, pickPairs, searchLatencies, untilFindable } from './lib/index-probes.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(REPO, 'dist/src/cli/main.js');
/** The start-up cache of builds before the SQLite index. */
const LEGACY_CACHE = '.gopherpress-cache';
const FULL_TEXT = /^full text indexed: .*$/m;
/** How long a new article gets to show before the trial counts it as never shown. */
export const VISIBLE_WITHIN_MS = 30_000;

export interface IndexScaleOptions {
  readonly archive: string;
  /** bound on each start and on indexing, seconds (default: 2 min + 1.5 s per 1,000 articles) */
  readonly timeoutS?: number;
  readonly log?: (line: string) => void;
}

export async function runIndexScale(o: IndexScaleOptions): Promise<{ result: IndexResult; markdown: string }> {
  const started = performance.now();
  const log = o.log ?? ((s: string) => void process.stderr.write(s + '\n'));
  const archive = path.resolve(o.archive);
  const manifest = JSON.parse(readFileSync(path.join(archive, MANIFEST), 'utf8')) as Manifest;
  const timeoutMs = (o.timeoutS ?? 120 + manifest.articles * 0.0015) * 1000;
  const flags = serveFlags(CLI);
  const withStateDir = flags.stateDir;
  const work = mkdtempSync(path.join(os.tmpdir(), 'gopherpress-index-'));
  const stateDir = path.join(work, 'state');
  const legacyCache = path.join(archive, LEGACY_CACHE);
  const added: string[] = [];
  const load: Record<string, number> = {};
  const loadNow = (k: string): void => void (load[k] = os.loadavg()[0]!);
  // Every server process from its spawn on, so that an interrupted run leaves none behind.
  const spawned = new Set<ChildProcess>();
  let interrupted = false;
  const cleanUp = async (): Promise<void> => {
    await killGroups(spawned);
    for (const f of added) rmSync(f, { force: true });
    if (!withStateDir) rmSync(legacyCache, { force: true });
    rmSync(work, { recursive: true, force: true });
  };
  const onSignal = (): void => {
    interrupted = true;
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const start = async (): Promise<IndexServer> => {
      if (interrupted) throw new Error('interrupted');
      return startIndexServer({ cli: CLI, content: archive, stateDir, logFile: path.join(work, 'access.log'), flags, timeoutMs, onSpawn: (p) => spawned.add(p) });
    };
    const newest = readFileSync(path.join(archive, manifest.article.relPath), 'utf8');
    const articleOk = (b: Buffer): boolean => isArticleAnswer(b, newest);

    log(`reading ${manifest.articles} articles for reference counts ...`);
    const { scan, candidates } = referenceCounts(archive, manifest, log);
    const exact = scan.queries.filter((q) => q.counts.file <= 10_000);
    const ref = exact.includes(scan.queries[0]!) ? scan.queries[0]! : exact.sort((a, b) => b.counts.file - a.counts.file)[0] ?? scan.queries[0]!;
    const refLine = `/search\t${ref.words.join(' ')}`;

    // Cold start: no index at all.
    rmSync(stateDir, { recursive: true, force: true });
    if (!withStateDir) rmSync(legacyCache, { force: true });
    log('cold start ...');
    const cold = await start();
    const until = cold.spawnAt + timeoutMs;
    const articleMs = pollUntil(cold.port, manifest.article.selector, articleOk, cold.spawnAt, until, 20);
    const findable = await untilFindable(cold, refLine, ref.counts, withStateDir ? FULL_TEXT : undefined, until);
    const coldResult = {
      listenMs: cold.run.readyMs, articleMs: await articleMs, fullTextMs: cold.lineAt(FULL_TEXT), fullTextLine: cold.line(FULL_TEXT),
      query: ref.words.join(' '), reference: ref.counts, ...findable,
    };
    loadNow('cold');
    log(`cold: article ${coldResult.articleMs?.toFixed(0)} ms, search count ${findable.countHow} at ${findable.countMs?.toFixed(0)} ms`);
    await everyWorker(cold);
    const coldSettledMs = await untilAtRest(cold.run.proc.pid!, 120_000);
    const coldRest = treeRss(cold.run.proc.pid!);
    // A build with a cache file writes it after it serves: the warm starts need it complete.
    if (!withStateDir) await cacheSettled(legacyCache, timeoutMs);
    await cold.stop();

    const warm: number[] = [];
    let server!: IndexServer;
    for (let i = 0; i < 3; i++) {
      log('warm start ...');
      server = await start();
      const ms = await pollUntil(server.port, manifest.article.selector, articleOk, server.spawnAt, server.spawnAt + timeoutMs, 10);
      if (ms === undefined) throw new Error('warm start: the newest article was never served');
      warm.push(ms);
      if (i < 2) await server.stop();
    }
    loadNow('warm');
    await everyWorker(server);
    await untilAtRest(server.run.proc.pid!, 60_000);
    const warmRest = treeRss(server.run.proc.pid!);
    const workers = treePids(server.run.proc.pid!).length;

    log('two-word searches ...');
    const pairs = pickPairs(candidates, scan.articlesWith, scan.articles, 200, manifest.seed);
    const searched = await searchLatencies(server.port, pairs);
    loadNow('search');

    log('RSS under load ...');
    const bin = buildGopherload(findGopherloadSource(REPO), path.join(work, 'build'));
    const menu = await fetchGopher(server.port, manifest.article.selector);
    const rss = sampleRss(server.run.proc.pid!, 100);
    const loaded = await runLoad(bin, { port: server.port, conns: 64, seconds: 10, selector: manifest.article.selector, expectBytes: menu.length });
    const loadRss = rss.stop();
    loadNow('rss');

    log('new articles ...');
    const visible = await newArticleTrials(server.port, archive, manifest.article.relPath, newest, 5, VISIBLE_WITHIN_MS, (f) => added.push(f));
    loadNow('visible');
    await server.stop();

    const result: IndexResult = {
      date: new Date().toISOString(),
      machine: { nproc: os.cpus().length, cpu: os.cpus()[0]?.model, memGB: os.totalmem() / 1024 ** 3, node: process.version },
      build: commitOf(REPO), archive, articles: manifest.articles, megabytes: scan.bytes / 1e6, stateDir: withStateDir, scanMs: scan.ms, scanKept: scan.kept,
      cold: coldResult, warm,
      rss: { coldRest, coldSettledMs, warmRest, load: loadRss, loadRps: loaded.rps, loadErrors: loaded.errors, workers },
      search: { ...searched, minShare: pairs.minShare },
      visible, visibleWithinMs: VISIBLE_WITHIN_MS, load, tookS: (performance.now() - started) / 1000,
    };
    return { result, markdown: indexReport(result) };
  } finally {
    await cleanUp();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function commitOf(repo: string): string {
  try {
    return execFileSync('git', ['-C', repo, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/**
 * The bench's own counts: the manifest's two words (with a third, rarer word where they meet in more
 * than 10,000 articles, the most the server counts exactly) and the 60 most frequent words of the
 * generator's vocabulary. Reading every file also puts the archive in the page cache, so the cold
 * start measures the server, not the disk.
 */
export function referenceCounts(archive: string, manifest: Manifest, log: (line: string) => void) {
  const words = new Vocabulary(new Random(manifest.seed), 150_000).words;
  const pair = [...manifest.searchWords];
  const thirds = Array.from({ length: 16 }, (_, i) => words[150 + i * 25]!);
  const candidates = words.slice(0, 60);
  const scan = scanArchiveOnce(archive, JSON.stringify(manifest), [pair, ...thirds.map((w) => [...pair, w])], candidates, (n, all) => log(`  ${n} of ${all}`));
  return { scan, candidates };
}

/** With workers, until the primary says every one serves (builds that never say so: 30 s at most). */
async function everyWorker(s: IndexServer): Promise<void> {
  for (let i = 0; i < 300 && s.lineAt(/\d+ workers serving/) === undefined; i++) await sleep(100);
}

/** Until the legacy cache file exists and has not changed for 2 s. */
async function cacheSettled(file: string, timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  let last = -1;
  while (performance.now() < until) {
    const m = existsSync(file) ? statSync(file).mtimeMs : -1;
    if (m > 0 && m === last) return;
    last = m;
    await sleep(2000);
  }
  throw new Error(`${file} not written within ${timeoutMs} ms`);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ options: { archive: { type: 'string' }, timeout: { type: 'string' }, json: { type: 'string' } } }));
  } catch (err) {
    return usage((err as Error).message);
  }
  if (!values.archive) return usage('--archive <dir> is required');
  if (!existsSync(path.join(values.archive, MANIFEST))) return usage(`${values.archive} has no ${MANIFEST}: make it with npm run gen-archive -- --articles <n> --out <dir>`);
  if (values.timeout !== undefined && !/^\d+$/.test(values.timeout)) return usage('--timeout must be whole seconds');
  const { result, markdown } = await runIndexScale({ archive: values.archive, timeoutS: values.timeout === undefined ? undefined : Number(values.timeout) });
  if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(markdown);
}

function usage(message: string): void {
  process.stderr.write(`bench:index: ${message}\nusage: npm run bench:index -- --archive <dir> [--timeout <seconds>] [--json <file>]\n`);
  process.exitCode = 2;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench:index: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
