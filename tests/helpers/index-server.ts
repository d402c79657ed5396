import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { CLI, gopherRaw } from './gopher.js';

/**
 * The built CLI run as a user runs it, for the tests of the SQLite index (issue 15): stdout and
 * stderr kept apart (the damaged-database line goes to stderr), the process in its own group so a
 * SIGKILL takes its workers with it, and a server may be killed before it ever listens.
 */
export interface Served {
  readonly proc: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
  /** resolves once the process (the primary) has exited */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** the port of its `listening on gopher://host:port/` line, waiting at most `timeoutMs` */
  port(timeoutMs?: number): Promise<number>;
  /** the first stdout or stderr line matching `re`, waiting at most `timeoutMs` */
  line(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** SIGKILL to the whole process group (the server and its workers), then wait for the exit */
  kill(): Promise<void>;
  /** SIGTERM, SIGKILL after 5 s; resolves with the exit code */
  stop(): Promise<number | null>;
  /** everything it printed so far, for failure messages */
  log(): string;
}

const live = new Set<Served>();

/** `serve` with the flags every index test uses: loopback only, this host in menus, one process unless `extra` says `--workers`. */
export function serveArgs(content: string, stateDir: string | undefined, extra: string[] = []): string[] {
  const state = stateDir === undefined ? [] : ['--state-dir', stateDir];
  const workers = extra.includes('--workers') ? [] : ['--workers', '1'];
  return ['serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--quiet', ...workers, ...state, ...extra];
}

export function spawnServe(args: string[], opts: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {}): Served {
  const proc = spawn(process.execPath, [CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: opts.env ?? process.env,
    uid: opts.uid,
    gid: opts.gid,
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: (() => void)[] = [];
  const wake = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  proc.stdout!.on('data', (d: Buffer) => {
    stdout.push(d.toString());
    wake();
  });
  proc.stderr!.on('data', (d: Buffer) => {
    stderr.push(d.toString());
    wake();
  });
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.once('close', (code, signal) => {
      done = true;
      live.delete(served);
      wake();
      resolve({ code, signal });
    });
  });
  const log = (): string => `--- stdout\n${stdout.join('')}--- stderr\n${stderr.join('')}`;
  const line = async (re: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> => {
    const until = Date.now() + timeoutMs;
    for (let i = 0; i < 100_000; i++) {
      for (const text of [stdout.join(''), stderr.join('')]) {
        // Whole lines only: a line may arrive in two chunks.
        for (const l of text.split('\n').slice(0, -1)) {
          const m = re.exec(l);
          if (m) return m;
        }
      }
      if (done) throw new Error(`server exited before printing ${re}:\n${log()}`);
      const left = until - Date.now();
      if (left <= 0) break;
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 200));
        waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    throw new Error(`no line matching ${re} within ${timeoutMs} ms:\n${log()}`);
  };
  const signalGroup = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-proc.pid!, sig);
    } catch {
      // already gone
    }
  };
  const served: Served = {
    proc,
    stdout,
    stderr,
    exited,
    log,
    line,
    port: async (timeoutMs = 20_000) => Number((await line(/^listening on gopher:\/\/[^\s]*:(\d+)\/$/, timeoutMs))[1]),
    kill: async () => {
      signalGroup('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (done) return proc.exitCode;
      signalGroup('SIGTERM');
      const t = setTimeout(() => signalGroup('SIGKILL'), 5000);
      const { code } = await exited;
      clearTimeout(t);
      // Workers left behind by a primary that exited first.
      signalGroup('SIGKILL');
      return code;
    },
  };
  live.add(served);
  return served;
}

/** For afterAll: kill every server this file started and has not stopped (also after a failure). */
export async function killAll(): Promise<void> {
  await Promise.all([...live].map((s) => s.kill()));
}

/** The `full text indexed: <N> articles in <S> s` line: N, waiting at most `timeoutMs`. */
export async function fullTextIndexed(s: Served, timeoutMs = 30_000): Promise<number> {
  return Number((await s.line(/^full text indexed: ([\d,]+) articles? in \d+(?:\.\d+)? s$/, timeoutMs))[1]!.replace(/,/g, ''));
}

/** One request, the answer as UTF-8. */
export async function ask(port: number, selector: string, query?: string): Promise<string> {
  const line = query === undefined ? `${selector}\r\n` : `${selector}\t${query}\r\n`;
  return (await gopherRaw(port, line, 15_000)).toString('utf8');
}

/** Menu lines as fields, without the final `.`. */
export function fields(menu: string): string[][] {
  const lines = menu.split('\r\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.at(-1) === '.') lines.pop();
  return lines.map((l) => l.split('\t'));
}

export interface Hit {
  /** `26.04.2025 Title` */
  readonly display: string;
  readonly selector: string;
}

export interface Results {
  /** the first line without its item type: `3 articles found for: …` */
  readonly count: string;
  /** the articles listed, in menu order */
  readonly hits: Hit[];
  readonly items: string[][];
  readonly raw: string;
}

const HIT = /^1(\d\d\.\d\d\.\d{4}|--\.--\.----) /;

export function results(raw: string): Results {
  const items = fields(raw);
  return {
    count: (items[0]?.[0] ?? '').slice(1),
    hits: items.filter((f) => HIT.test(f[0]!)).map((f) => ({ display: f[0]!.slice(1), selector: f[1]! })),
    items,
    raw,
  };
}

/** A search as a gopher client sends it: `/search`, TAB, the query. */
export async function search(port: number, query: string): Promise<Results> {
  return results(await ask(port, '/search', query));
}

/** The item with exactly this display text (type included, e.g. `1Most relevant first`), or undefined. */
export function item(r: { items: string[][] }, typeAndDisplay: string): string[] | undefined {
  return r.items.find((f) => f[0] === typeAndDisplay);
}

/** Every file and folder under `dir` with its size and mtime, sorted: to show nothing in it changed. */
export function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(dir, rel))) {
      const r = rel === '' ? name : `${rel}/${name}`;
      const st = statSync(path.join(dir, r));
      out.push(`${r}\t${st.isDirectory() ? 'dir' : st.size}\t${st.mtimeMs}`);
      if (st.isDirectory()) walk(r);
    }
  };
  walk('');
  return out.sort();
}

/** mulberry32: a small seeded generator, so a failing run can be repeated. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2025-04-26` → `26 Apr 2025`, the date line as taz.de writes it. */
export function dateLine(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${Number(d)} ${MONTHS[Number(m) - 1]} ${y}`;
}

/** `2025-04-26` → `26.04.2025`, as listings show it. */
export function shownDate(iso: string): string {
  return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
}

export interface ArticleSpec {
  readonly title: string;
  /** ISO date; undefined writes no date line */
  readonly date?: string;
  /** body lines, written indented as info lines; a line starting with ` (DIR) ` is written as an item */
  readonly body: readonly string[];
  /** `## LINKS` entries: [n, path] */
  readonly links?: readonly (readonly [number, string])[];
  readonly tags?: readonly string[];
  /** `## ARTIKEL ZUM THEMA` titles */
  readonly related?: readonly string[];
}

/** An article file in the content format (see /work/shared/seed): heading, body, date line, lists. */
export function articleText(a: ArticleSpec): string {
  const ind = (l: string): string => (l.startsWith(' (DIR) ') ? l : `       ${l}`);
  const lines = [`# taz.de -- ${a.title}`, '       ', ...a.body.map(ind)];
  if (a.date !== undefined) lines.push('       ', `       ${dateLine(a.date)}`);
  if (a.links && a.links.length > 0) lines.push('       ', '       ## LINKS', '       ', ...a.links.map(([n, p]) => ` (DIR) [${n}] ${p}`));
  if (a.tags && a.tags.length > 0) lines.push('       ', '       ## TAGS', '       ', ...a.tags.map((t) => ` (DIR) ${t}`));
  if (a.related && a.related.length > 0) lines.push('       ', '       ## ARTIKEL ZUM THEMA', '       ', ...a.related.map((t) => ` (DIR) ${t}`));
  return lines.join('\n') + '\n';
}

/**
 * Walk a server from its front page: every local menu (type 1) and text (type 0) it links to, plus
 * the given searches and `extra` selectors, each once, at most `limit`; not the relevance-sorted
 * copy of a search (`Most relevant first`). Answers are kept with this
 * server's host and port replaced, so two servers' walks compare line for line.
 */
export async function crawl(port: number, searches: readonly string[], extra: readonly string[] = [], limit = 8000): Promise<Map<string, string>> {
  const self = `\t127.0.0.1\t${port}\r\n`;
  const out = new Map<string, string>();
  const queue: string[] = ['1', ...extra.map((s) => `1${s}`), ...searches.map((q) => `7/search\t${q}`)];
  for (let i = 0; i < queue.length && out.size < limit; i++) {
    const key = queue[i]!;
    if (out.has(key)) continue;
    const req = key.slice(1);
    const body = (await gopherRaw(port, `${req}\r\n`, 15_000)).toString('utf8').split(self).join('\t(self)\r\n');
    out.set(key, body);
    if (key[0] !== '1' && key[0] !== '7') continue;
    for (const f of fields(body)) {
      // Relevance order among equal bm25 scores is not the files' to decide: newest-first menus only.
      if (f.length < 3 || f[2] !== '(self)' || f[0] === '1Most relevant first') continue;
      const type = f[0]!.charAt(0);
      if (type === '1' || type === '0') queue.push(`${type}${f[1]!}`);
    }
  }
  return out;
}

/** Differences between two walks, as short readable lines (at most `max`). */
export function walkDifferences(a: Map<string, string>, b: Map<string, string>, max = 12): string[] {
  const diffs: string[] = [];
  for (const [k, va] of a) {
    const vb = b.get(k);
    if (vb === undefined) diffs.push(`${JSON.stringify(k)} only in the first walk`);
    else if (va !== vb) {
      const la = va.split('\r\n');
      const lb = vb.split('\r\n');
      let i = 0;
      while (i < la.length && la[i] === lb[i]) i++;
      diffs.push(`${JSON.stringify(k)} line ${i}: ${JSON.stringify(la[i])} vs ${JSON.stringify(lb[i])}`);
    }
    if (diffs.length >= max) return diffs;
  }
  for (const k of b.keys()) {
    if (!a.has(k)) diffs.push(`${JSON.stringify(k)} only in the second walk`);
    if (diffs.length >= max) break;
  }
  return diffs;
}
