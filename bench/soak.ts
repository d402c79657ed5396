/**
 * Soak (bench, not CI): mixed gopherload traffic against the built CLI for --minutes (default 30)
 * while a writer adds and removes articles, with a SIGHUP rescan every 10 s (the file watcher, when
 * present, picks changes up by itself). Reports requests served, errors, RSS and open descriptors at
 * start and end. Needs `npm run build` and /work/shared/tools/gopherload built (make).
 *   node dist/bench/soak.js [--minutes 30] [--gopherload PATH]
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : dflt;
};
const minutes = Number(arg('--minutes', '30'));
const load = arg('--gopherload', '/work/shared/tools/gopherload/gopherload');
const rssMb = (pid: number): number => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))![1]) / 1024;
const fds = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gopherpress-soak-'));
  const content = path.join(dir, 'content');
  cpSync(path.join(REPO, 'content'), content, { recursive: true });
  cpSync(path.join(REPO, 'tests/fixtures/archive'), content, { recursive: true });
  mkdirSync(path.join(content, 'Soak'));
  const seed = readFileSync(path.join(REPO, 'content/Friedensverhandlungen-Ukraine/!6084887.txt'), 'utf8');
  const server = spawn(process.execPath, [path.join(REPO, 'dist/src/cli/main.js'), 'serve', '--content', content, '--port', '0',
    '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--quiet', '--max-connections-per-ip', '4096'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => {
    let out = '';
    server.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /listening on gopher:\/\/[^\s]*:(\d+)\//.exec(out);
      if (m) resolve(Number(m[1]));
    });
  });
  const pid = server.pid!;
  await sleep(500);
  const start = { rss: rssMb(pid), fds: fds(pid) };

  // Writer: a new article every 200 ms (written aside, renamed in: never half a file), the oldest
  // of its own removed once 50 exist; a rescan every 10 s.
  let written = 0;
  const mine: string[] = [];
  let writing = true;
  const writer = (async () => {
    let tick = 0;
    while (writing) {
      const id = 7_000_000 + written++;
      const file = path.join(content, 'Soak', `!${id}.txt`);
      writeFileSync(file + '.tmp', seed.replace('Friedensverhandlungen Ukraine', `Soak ${id}`));
      renameSync(file + '.tmp', file);
      mine.push(file);
      if (mine.length > 50) rmSync(mine.shift()!, { force: true });
      if (++tick % 50 === 0) server.kill('SIGHUP');
      await sleep(200);
    }
  })();

  // Load: rounds of 60 s, each a mix of menus, articles, text, search and a binary file.
  const selectors = ['/', '/Friedensverhandlungen-Ukraine/!6084887', '/!6084887.txt', '/all/', '/tags/', '/date/', '/search\\tUkraine', '/Energiewende-Kurz/!1000001.gif', '/about'];
  let ok = 0;
  let errors = 0;
  const end = Date.now() + minutes * 60_000;
  while (Date.now() < end) {
    const secs = Math.max(1, Math.min(60, Math.round((end - Date.now()) / 1000)));
    // Asynchronous, so that the writer keeps writing while the load runs.
    const { stdout: out } = await promisify(execFile)(load, ['-p', String(port), '-c', '16', '-d', String(secs), ...selectors.flatMap((s) => ['-s', s])], { encoding: 'utf8' });
    const last = out.trim().split('\n').at(-1)!;
    ok += Number(/ok=(\d+)/.exec(last)![1]);
    errors += Number(/errors=(\d+)/.exec(last)![1]);
  }
  writing = false;
  await writer;
  await sleep(1000);
  const endState = { rss: rssMb(pid), fds: fds(pid) };
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
  console.log(`soak ${minutes} min: requests ok=${ok} errors=${errors}, articles written=${written}, ` +
    `RSS ${start.rss.toFixed(0)} MB → ${endState.rss.toFixed(0)} MB, fds ${start.fds} → ${endState.fds}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
