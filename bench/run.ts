/**
 * `npm run bench [-- --quick] [--articles N] [--seconds S] [--repeat R] [--dir D]`
 *
 * Full: generates (or reuses) the 100,000-article archive, measures cold and warm start, then runs
 * gopherload against gopherpress, gophernicus, pygopherd, a bare Node server and nginx's stream
 * `return` side by side, for each request kind at 1, 64 and 256 connections, R times interleaved;
 * prints medians, ratios and the targets of issue 16.
 * Quick (CI, under a minute): a 2,000-article archive, gopherpress alone at 64 connections, and a
 * non-zero exit if any answer was wrong or missing. It checks correctness under load, not speed.
 * gopherpress runs as deployed: its access log on, written to a file (<dir>/access-<pid>.log).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, openSync, closeSync, ftruncateSync } from 'node:fs';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { generateArchive, MANIFEST, type Manifest } from './gen-archive.js';
import { Random } from './gen/random.js';
import { Vocabulary } from './gen/vocabulary.js';
import { buildGopherload, findGopherloadSource, runLoad, type LoadResult } from './lib/gopherload.js';
import { fetchGopher, freePort, slowClients } from './lib/fetch.js';
import { everyWorkerServing, sampleRss, servingPids, settle, sleep, startProcess, treePss, treeRss, type Running } from './lib/proc.js';
import { STATIC_SELECTORS, writeCompareRoot } from './lib/compare-root.js';
import { writeNginxReturnConf } from './lib/nginx-return.js';
import { median, report, type Cell } from './lib/report.js';
import { slugify } from '../src/archive/selectors.js';
import { runIndexScale } from './index-scale.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(REPO, 'dist/src/cli/main.js');

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      articles: { type: 'string' },
      seed: { type: 'string', default: '1' },
      seconds: { type: 'string' },
      repeat: { type: 'string' },
      dir: { type: 'string', default: path.join(os.tmpdir(), 'gopherpress-bench') },
      workers: { type: 'string' },
      'index-1m': { type: 'string' },
    },
  });
  const quick = values.quick!;
  const num = (v: string | undefined, d: number): number => (v === undefined ? d : Number(v));
  return {
    quick,
    articles: num(values.articles, quick ? 2000 : 100_000),
    seed: num(values.seed, 1),
    seconds: num(values.seconds, quick ? 1 : 2),
    repeat: num(values.repeat, quick ? 1 : 3),
    dir: values.dir!,
    workers: values.workers,
    index1m: values['index-1m'],
  };
}

/** 256 connections from one address exceed the default per-address limit: raise it by flag, or by the bench launcher. */
const PER_IP_FLAG = execFileSync(process.execPath, [CLI, 'serve', '--help'], { encoding: 'utf8' }).includes('--max-connections-per-ip');

/** Where gopherpress writes its access log: a file, as an operator runs it (the log costs what it costs). */
let accessLog = '';
/** gopherpress's index (--state-dir): removed for a cold start, kept for a warm one. */
let stateDir = '';

function gopherpressArgs(content: string, port: number, workers?: string): string[] {
  const base = ['serve', '--content', content, '--port', String(port), '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--log-file', accessLog, '--state-dir', stateDir];
  const args = PER_IP_FLAG ? [CLI, ...base, '--max-connections-per-ip', '100000'] : [path.join(REPO, 'dist/bench/serve.js'), ...base];
  return workers ? [...args, '--workers', workers] : args;
}

async function startGopherpress(content: string, workers?: string): Promise<Running> {
  const port = await freePort();
  return startProcess('gopherpress', process.execPath, gopherpressArgs(content, port, workers), port, { readyLine: /listening on gopher:/, timeoutMs: 300_000 });
}

/** Waits for the line that says every article is searchable; false if it did not come in time. */
async function fullTextIndexed(run: Running, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!run.output.join('').includes('full text indexed:')) {
    if (Date.now() > until || run.proc.exitCode !== null) return false;
    await sleep(100);
  }
  return true;
}

/** Read every file under `dir` once (sparse media aside); returns the bytes read. */
function readTree(dir: string): number {
  let bytes = 0;
  for (const d of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!d.isFile() || d.name.endsWith('.bin')) continue;
    bytes += readFileSync(path.join(d.parentPath, d.name)).length;
  }
  return bytes;
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadStart = os.loadavg();
  const o = options();
  const log = (s: string): void => void process.stderr.write(s + '\n');
  mkdirSync(o.dir, { recursive: true });
  // Named for this run: another bench sharing --dir must not unlink or write the file counted here.
  accessLog = path.join(o.dir, `access-${process.pid}.log`);
  rmSync(accessLog, { force: true });
  const archive = path.join(o.dir, `archive-${o.articles}-seed${o.seed}`);
  let manifest: Manifest | undefined;
  try {
    manifest = JSON.parse(readFileSync(path.join(archive, MANIFEST), 'utf8')) as Manifest;
  } catch {
    // generate below
  }
  let generated = false;
  if (!manifest || manifest.articles !== o.articles || manifest.seed !== o.seed) {
    log(`generating ${o.articles} articles into ${archive} ...`);
    manifest = generateArchive(archive, o.articles, o.seed);
    generated = true;
  }
  const bin = buildGopherload(findGopherloadSource(REPO), path.join(o.dir, 'build'));
  const big1g = path.join(archive, 'media/big-1gb.bin');
  if (!o.quick && !existsSync(big1g)) {
    // Sparse: a gigabyte to stream that costs no disk.
    const fd = openSync(big1g, 'w');
    ftruncateSync(fd, 1024 ** 3);
    closeSync(fd);
  }

  // Start-up: cold (no index), then warm (from the index the cold start wrote). The archive is read
  // once first: this VM's page-reclaim daemon evicts idle file pages, which would add seconds of
  // disk reads to whichever start came first and measure the disk, not the server. An archive just
  // generated is in the page cache already (reading it costs ~17 s on this machine).
  if (!generated) log('reading the archive into the page cache ...');
  const preread = generated ? 0 : readTree(archive);
  stateDir = path.join(o.dir, 'state');
  const colds: { ms: number; rss: number }[] = [];
  let indexed = true;
  let gp!: Running;
  for (let i = 0; i < (o.quick ? 1 : 3); i++) {
    rmSync(stateDir, { recursive: true, force: true });
    log('cold start ...');
    gp = await startGopherpress(archive, o.workers);
    colds.push({ ms: gp.readyMs, rss: treeRss(gp.proc.pid!) });
    // The warm starts use the last cold start's index, once all of it is written.
    indexed = (await fullTextIndexed(gp, 900_000)) && indexed;
    await gp.stop();
  }
  const cold = { ms: median(colds.map((c) => c.ms)), rss: median(colds.map((c) => c.rss)), runs: colds.map((c) => c.ms), preread };
  const warm: { ms: number; rss: number; allMs: number; workers: number; rssSettled: number; pssSettled: number }[] = [];
  for (let i = 0; i < (o.quick ? 1 : 3); i++) {
    log('warm start ...');
    gp = await startGopherpress(archive, o.workers);
    const w = { ms: gp.readyMs, rss: treeRss(gp.proc.pid!) };
    // With workers (the default), the first serves at `listening`, the others join after it.
    const allMs = gp.readyMs + (await everyWorkerServing(gp));
    // Steady state: each process collects start-up's garbage once, a second after it is ready.
    await sleep(5000);
    warm.push({ ...w, allMs, workers: servingPids(gp.proc.pid!).length, rssSettled: treeRss(gp.proc.pid!), pssSettled: treePss(gp.proc.pid!) });
    if (i < (o.quick ? 0 : 2)) await gp.stop();
  }

  const words = new Vocabulary(new Random(o.seed), 150_000).words;
  const kinds = [
    { name: 'root', line: '/' },
    { name: 'article', line: manifest.article.selector },
    { name: 'text', line: `${manifest.article.selector}.txt` },
    { name: 'tag', line: `/tag/${slugify(manifest.tag)}` },
    { name: 'search', line: `/search\t${manifest.searchWords.join(' ')}` },
    { name: 'file', line: `/${manifest.bigFile}` },
  ];
  const answers = new Map<string, Buffer>();
  for (const k of kinds) {
    log(`fetch ${k.name} ...`);
    const body = await fetchGopher(gp.port, k.line);
    if (body.length === 0 || body[0] === 0x33) throw new Error(`gopherpress answers ${JSON.stringify(k.line)} with an error: ${body.subarray(0, 200).toString()}`);
    answers.set(k.name, body);
  }

  // The other servers, started only for the full run (CI has none of them installed).
  // `port`: where to ask for a kind, for a server with one port per answer (nginx); `minConns`: not below.
  const servers: { name: string; run: Running; line: (kind: string) => string | undefined; size: Map<string, number>; port?: (kind: string) => number | undefined; minConns?: number }[] = [];
  const sizes = (m: Map<string, Buffer>): Map<string, number> => new Map([...m].map(([k, v]) => [k, v.length]));
  servers.push({ name: 'gopherpress', run: gp, line: (k) => kinds.find((x) => x.name === k)!.line, size: sizes(answers) });
  if (!o.quick) {
    // nginx's stream `return`: the same bytes from C with nothing else to do, the machine's limit.
    const ports = new Map<string, number>();
    for (const k of kinds) ports.set(k.name, await freePort());
    const conf = writeNginxReturnConf(o.dir, kinds.map((k) => ({ port: ports.get(k.name)!, bytes: answers.get(k.name)! })));
    const nginx = await startProcess('nginx return', 'nginx', ['-c', conf.file, '-p', o.dir], ports.get('article')!).catch((e: Error) => (log(`nginx: ${e.message}`), undefined));
    if (nginx) {
      const port = (k: string): number | undefined => (conf.ports.has(ports.get(k)!) ? ports.get(k) : undefined);
      servers.push({ name: 'nginx return', run: nginx, line: (k) => (port(k) === undefined ? undefined : '/'), size: sizes(answers), port, minConns: 64 });
    }
    const compare = path.join(o.dir, 'compare-root');
    writeCompareRoot(compare, answers, path.join(archive, manifest.bigFile));
    const barePort = await freePort();
    const bareSizes = Object.fromEntries(kinds.map((k) => [k.line, answers.get(k.name)!.length]));
    writeFileSync(path.join(o.dir, 'bare-answers.json'), JSON.stringify(bareSizes));
    const bare = await startProcess('bare node', process.execPath, [path.join(REPO, 'dist/bench/bare-server.js'), String(barePort), path.join(o.dir, 'bare-answers.json')], barePort, { readyLine: /listening/ });
    servers.push({ name: 'bare node', run: bare, line: (k) => kinds.find((x) => x.name === k)!.line, size: sizes(answers) });
    const gnPort = await freePort();
    const gn = await startProcess('gophernicus', 'setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'systemd-socket-activate', '-a', '--inetd', '-l', `127.0.0.1:${gnPort}`,
      '/usr/sbin/gophernicus', '-h', '127.0.0.1', '-p', String(gnPort), '-r', compare, '-nf', '-nh', '-nv', '-nl', '-i', '100000000', '-k', '1000000000'], gnPort).catch((e: Error) => (log(`gophernicus: ${e.message}`), undefined));
    const pyPort = await freePort();
    const pyConf = path.join(o.dir, 'pygopherd.conf');
    let py: Running | undefined;
    try {
      writeFileSync(pyConf, readFileSync('/etc/pygopherd/pygopherd.conf', 'utf8')
        .replace(/^port = .*$/m, `port = ${pyPort}`).replace(/^servertype = .*$/m, 'servertype = ThreadingTCPServer')
        .replace(/^usechroot = .*$/m, 'usechroot = no').replace(/^root = .*$/m, `root = ${compare}`)
        .replace(/^pidfile = .*$/m, `pidfile = ${path.join(o.dir, 'pygopherd.pid')}`).replace(/^logmethod = .*$/m, 'logmethod = none'));
      py = await startProcess('pygopherd', 'pygopherd', [pyConf], pyPort);
    } catch (e) {
      log(`pygopherd: ${(e as Error).message}`);
    }
    for (const [name, run] of [['gophernicus', gn], ['pygopherd', py]] as const) {
      if (!run) continue;
      const size = new Map<string, number>();
      // Twice: pygopherd answers a folder's first request before writing its listing cache, then differently.
      for (const [kind, sel] of Object.entries(STATIC_SELECTORS)) {
        await fetchGopher(run.port, sel);
        size.set(kind, (await fetchGopher(run.port, sel)).length);
      }
      servers.push({ name, run, line: (k) => STATIC_SELECTORS[k], size });
    }
  }

  // The load matrix, servers interleaved within each repeat so they share the same moment's noise.
  // Each cell starts with another server (rotation) and every run with an idle machine: who ran
  // just before must not decide a ratio.
  const concs = o.quick ? [64] : [1, 64, 256];
  const cells: Cell[] = [];
  let turn = 0;
  for (let rep = 0; rep < o.repeat; rep++) {
    for (const k of kinds) {
      for (const c of concs) {
        const first = turn++ % servers.length;
        for (const s of [...servers.slice(first), ...servers.slice(0, first)]) {
          if (!o.quick) await settle();
          const line = s.line(k.name);
          if (line === undefined || c < (s.minConns ?? 0)) continue;
          log(`run ${rep + 1}/${o.repeat}: ${s.name} ${k.name} c=${c}`);
          const rss = sampleRss(s.run.proc.pid!);
          // One connection: 2,000 requests are plenty for p50/p99, and the slow servers still stop at `seconds`.
          const r = await runLoad(bin, { port: s.port?.(k.name) ?? s.run.port, conns: c, seconds: o.seconds, selector: line, expectBytes: s.size.get(k.name), requests: c === 1 ? 2000 : undefined });
          cells.push({ server: s.name, kind: k.name, conns: c, ...r, rss: rss.stop() });
        }
      }
    }
  }

  log('search, uncached ...');
  // Search without the answer cache: 1,000 different two-word queries per repeat, each asked once (-n).
  const searchRuns: LoadResult[] = [];
  for (let rep = 0; rep < o.repeat; rep++) {
    const queries = path.join(o.dir, `queries-${rep}.txt`);
    writeFileSync(queries, Array.from({ length: 1000 }, (_, i) => `/search\\t${words[100 + rep * 7 + (i % 300)]} ${words[500 + ((i * 13 + rep) % 1000)]}`).join('\n') + '\n');
    searchRuns.push(await runLoad(bin, { port: gp.port, conns: 1, seconds: 120, selectorFile: queries, requests: 1000 }));
  }

  log('new article ...');
  // A new article: visible how soon (needs the watcher; without one it never appears).
  const fresh = path.join(archive, '2025/12/!9999999.txt');
  writeFileSync(fresh, readFileSync(path.join(archive, manifest.article.relPath), 'utf8').replace(/^# taz\.de -- /, '# taz.de -- Neu: '));
  const t0 = performance.now();
  let visibleMs: number | undefined;
  while (performance.now() - t0 < 5000) {
    const body = await fetchGopher(gp.port, '/!9999999').catch(() => Buffer.alloc(0));
    if (body.length > 0 && body[0] !== 0x33) {
      visibleMs = performance.now() - t0;
      break;
    }
    await sleep(25);
  }
  rmSync(fresh, { force: true });

  // A gigabyte to 50 slow readers: the server may hold only its stream buffers, not the file.
  let stream: { before: number; max: number; bytes: number[] } | undefined;
  if (!o.quick) {
    log('1 GB to 50 slow clients ...');
    const before = treeRss(gp.proc.pid!);
    const rss = sampleRss(gp.proc.pid!, 250);
    const bytes = await slowClients(gp.port, '/media/big-1gb.bin', 50, 2 * 1024 * 1024, 15);
    stream = { before, max: rss.stop(), bytes };
  }

  const rssIdle = treeRss(gp.proc.pid!);
  for (const s of servers) await s.run.stop();
  // Every request gopherpress answered has its line in the file (the log is flushed on SIGTERM).
  const logged = { lines: readFileSync(accessLog, 'latin1').split('\n').length - 1, bytes: statSync(accessLog).size };

  const result = {
    date: new Date().toISOString(), machine: { nproc: os.cpus().length, cpu: os.cpus()[0]?.model, memGB: os.totalmem() / 1024 ** 3, node: process.version, load: os.loadavg(), loadStart },
    options: o, manifest, cold, warm, indexed, cells, searchRuns, visibleMs, stream, rssIdle, logged,
    tookS: (performance.now() - started) / 1000,
  };
  writeFileSync(path.join(o.dir, 'results.json'), JSON.stringify(result, null, 2));
  process.stdout.write(report(result));
  // The archive index (issue 15) on this archive, and on a million articles when given one.
  for (const dir of o.quick ? [] : [archive, ...(o.index1m ? [o.index1m] : [])]) process.stdout.write('\n' + (await runIndexScale({ archive: dir, log })).markdown);
  const errors = cells.filter((c) => c.server === 'gopherpress').reduce((n, c) => n + c.errors, 0) + median(searchRuns.map((r) => r.errors));
  // Every answer gopherload counted has its line: nothing lost in the buffer, not even at SIGTERM.
  const answered = cells.filter((c) => c.server === 'gopherpress').reduce((n, c) => n + c.ok, 0) + searchRuns.reduce((n, r) => n + r.ok, 0);
  const unlogged = Math.max(0, answered - logged.lines);
  if (errors > 0 || !indexed || unlogged > 0) {
    process.stderr.write(`FAIL: ${errors} gopherpress errors under load${indexed ? '' : ', the full text never indexed'}${unlogged > 0 ? `, ${unlogged} of ${answered} answers not in the access log (kept: ${accessLog})` : ''}\n`);
    process.exit(1);
  }
  rmSync(accessLog, { force: true });
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
