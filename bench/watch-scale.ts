/**
 * What watching costs at issue 6's scale: N articles in N/50 folders. Starts the built CLI with the
 * watcher (inotify and --poll) and without it, and reports time to listen, RSS, inotify watches, idle
 * CPU and how long a new article takes to show in the root menu after its write completes.
 *
 *   npm run build && node dist/bench/watch-scale.js [articles=100000] [dir=/tmp/gopherpress-scale]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inotifyWatches } from './lib/proc.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/cli/main.js');
const N = Number(process.argv[2] ?? 100_000);
const DIR = process.argv[3] ?? '/tmp/gopherpress-scale';
const PER_FOLDER = 50;

function article(id: number): string {
  return [
    `# taz.de -- Artikel ${id}: Über Straßen, Netze und „Zukunft“`,
    '       ',
    `       Berlin taz | Text Nummer ${id} mit Umlauten – äöüß – und einem Link [1][hier].`,
    '       ',
    `       ${(id % 28) + 1} ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun'][id % 6]} ${2000 + (id % 25)}`,
    '       ',
    '       ## LINKS',
    '       ',
    ` (DIR) [1] /Slug/!${id + 1}`,
    '       ',
    '       ## TAGS',
    '       ',
    ` (DIR) Tag ${id % 500}`,
  ].join('\n') + '\n';
}

function generate(): void {
  const marker = path.join(DIR, `.generated-${N}`);
  if (existsSync(marker)) return;
  rmSync(DIR, { recursive: true, force: true });
  for (let i = 0; i < N; i++) {
    const folder = path.join(DIR, `Ressort-${Math.floor(i / PER_FOLDER)}`);
    if (i % PER_FOLDER === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, `!${3_000_000 + i}.txt`), article(3_000_000 + i));
  }
  writeFileSync(marker, '');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function get(port: number, selector: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = net.connect({ port, host: '127.0.0.1' }, () => s.write(`${selector}\r\n`));
    s.setTimeout(10_000, () => s.destroy(new Error('timeout')));
    s.on('data', (d) => chunks.push(d));
    s.on('error', reject);
    s.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** user+system CPU seconds of a process so far */
function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

async function start(flags: string[]): Promise<{ proc: ChildProcess; port: number; ms: number }> {
  const t0 = performance.now();
  const proc = spawn(process.execPath, [CLI, 'serve', '--content', DIR, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--quiet', ...flags], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line in 300 s: ${out}`)), 300_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on gopher:\/\/[^\s]*:(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.once('exit', (c) => reject(new Error(`exited ${c}: ${out}`)));
  });
  return { proc, port, ms: performance.now() - t0 };
}

async function latency(port: number, i: number): Promise<number> {
  const id = 9_000_000 + i;
  const file = path.join(DIR, 'Ressort-7', `!${id}.txt`);
  writeFileSync(file, article(id).replace('# taz.de -- Artikel', '# taz.de -- Neuer Artikel').replace(/\n {7}\d+ \w+ \d+\n/, '\n       1 Jan 2099\n'));
  const t0 = performance.now();
  for (let k = 0; k < 1000; k++) {
    if ((await get(port, '/')).includes(`Neuer Artikel ${id}`)) {
      const ms = performance.now() - t0;
      rmSync(file);
      await sleep(600);
      return ms;
    }
    await sleep(10);
  }
  rmSync(file);
  return NaN;
}

async function measure(label: string, flags: string[]): Promise<void> {
  const { proc, port, ms } = await start(flags);
  await sleep(2000);
  const pid = proc.pid!;
  const cpu0 = cpuSeconds(pid);
  await sleep(10_000);
  const idleCpu = (cpuSeconds(pid) - cpu0) / 10;
  const lat: number[] = [];
  if (!flags.includes('--no-watch')) for (let i = 0; i < 5; i++) lat.push(await latency(port, i));
  lat.sort((a, b) => a - b);
  const median = lat.length ? `${lat[Math.floor(lat.length / 2)]!.toFixed(0)} ms (min ${lat[0]!.toFixed(0)}, max ${lat.at(-1)!.toFixed(0)})` : '-';
  console.log(`| ${label} | ${(ms / 1000).toFixed(1)} s | ${rssMb(pid)} MB | ${inotifyWatches(pid)} | ${(idleCpu * 100).toFixed(0)} % | ${median} |`);
  proc.kill('SIGTERM');
  await new Promise((r) => proc.once('exit', r));
}

generate();
console.log(`${N} articles in ${Math.ceil(N / PER_FOLDER)} folders under ${DIR}\n`);
console.log('| mode | start to listening | RSS | inotify watches | idle CPU | new article in root menu after write (median of 5) |');
console.log('| --- | --- | --- | --- | --- | --- |');
await measure('--no-watch', ['--no-watch']);
await measure('watch (inotify)', []);
await measure('--poll', ['--poll']);
