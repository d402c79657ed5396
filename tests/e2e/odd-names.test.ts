import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO, gopherRaw, menuLines } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import { within } from '../helpers/wait.js';

/**
 * File names a selector cannot carry as they are (CR, LF, TAB) or that are no UTF-8 at all: each is
 * either served everywhere (its folder's listing, /files.txt, a fetch of the listed selector) or left
 * out everywhere with exactly one line on stderr naming it; never listed and then unreachable, never
 * gone without a word. The same after the watcher sees one appear and after a SIGHUP rescan.
 */
interface OddFile {
  /** ASCII before the odd byte: how the listing, /files.txt and the log are searched for it */
  readonly marker: string;
  /** ASCII after it: a log line naming the file has this on the same line */
  readonly tail: string;
  readonly name: Buffer;
  readonly body: Buffer;
}

function odd(marker: string, oddBytes: number[], tail: string): OddFile {
  return {
    marker,
    tail,
    name: Buffer.concat([Buffer.from(marker), Buffer.from(oddBytes), Buffer.from(tail)]),
    body: Buffer.from(`the bytes of ${marker}${tail}\n`),
  };
}

const AT_START = [
  odd('odd-lf-Zeile', [0x0a], 'Umbruch.bin'),
  odd('odd-cr-Wagen', [0x0d], 'Ruecklauf.bin'),
  odd('odd-tab-Tabulator', [0x09], 'Stopp.bin'),
  odd('odd-latin1-caf', [0xe9], '-Notizen.bin'), // é in Latin-1: not valid UTF-8
];
const WHILE_RUNNING = [odd('odd-late-lf-Spaet', [0x0a], 'Gekommen.bin'), odd('odd-late-latin1-Gr', [0xfc], 'n.bin')];

/** `gopherpress serve` as deployed, its stderr kept apart from stdout. */
function serve(content: string): Promise<{ proc: ChildProcess; port: number; stdout: () => string; stderr: () => string }> {
  const proc = spawn(process.execPath, [CLI, 'serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--quiet', '--workers', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line: ${out}${err}`)), 15_000);
    proc.stdout!.on('data', () => {
      const m = /listening on gopher:\/\/[^\s]*:(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, port: Number(m[1]), stdout: () => out, stderr: () => err });
      }
    });
  });
}

describe('file names with CR, LF or TAB, or not valid UTF-8', () => {
  const content = tempDir('gp-odd-names-', path.join(REPO, 'tests/fixtures/archive'));
  const dir = path.join(content, 'odd');
  let server: Awaited<ReturnType<typeof serve>>;
  const ask = (sel: string | Buffer): Promise<Buffer> => gopherRaw(server.port, Buffer.concat([Buffer.from(sel), Buffer.from('\r\n')]));

  beforeAll(async () => {
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'plain.bin'), 'an ordinary file\n');
    for (const f of AT_START) writeFileSync(Buffer.concat([Buffer.from(dir + '/'), f.name]), f.body);
    server = await serve(content);
  });
  afterAll(async () => {
    // `?.`: beforeAll may have failed before the server started.
    if (server?.proc.exitCode === null) {
      const exited = new Promise((r) => server.proc.once('exit', r));
      server.proc.kill('SIGTERM');
      await exited;
    }
  });

  /** Served everywhere, or left out everywhere with one log line naming it: which one is up to the server. */
  async function expectConsistent(f: OddFile): Promise<void> {
    const what = f.marker;
    const listing = menuLines((await ask('/odd/')).toString('utf8')).filter((l) => l[0]!.includes(f.marker));
    const browse = menuLines((await ask('/browse/odd/')).toString('utf8')).filter((l) => l[0]!.includes(f.marker));
    const files = (await ask('/files.txt')).toString('utf8').split('\n').filter((l) => l.includes(f.marker));
    const logged = server.stderr().split('\n').filter((l) => l.includes(f.marker));
    if (listing.length > 0) {
      // Served: listed once, in /files.txt once, and both selectors give back the file's bytes.
      expect(listing, what).toHaveLength(1);
      expect(browse, what).toHaveLength(1);
      expect(files, what).toHaveLength(1);
      expect(await ask(listing[0]![1]!), `${what}: the listed selector`).toEqual(f.body);
      expect(await ask(files[0]!.split('\t')[2]!), `${what}: the /files.txt selector`).toEqual(f.body);
    } else {
      // Left out: nowhere, not fetchable by its name either, and named in exactly one line on stderr.
      expect(browse, what).toEqual([]);
      expect(files, what).toEqual([]);
      const encoded = '/odd/' + [...f.name].map((b) => (b < 0x80 && b > 0x20 ? String.fromCharCode(b) : '%' + b.toString(16).toUpperCase().padStart(2, '0'))).join('');
      expect((await ask(encoded)).toString('latin1'), `${what}: fetched by its name`).toMatch(/^3/);
      expect(logged, `${what}: log lines naming it`).toHaveLength(1);
      expect(logged[0], `${what}: the log line names all of it`).toContain(f.tail);
    }
  }

  it('treats each one present at start-up the same everywhere', async () => {
    expect((await ask('/odd/plain.bin')).toString()).toBe('an ordinary file\n');
    for (const f of AT_START) await expectConsistent(f);
  });

  it('treats one that appears while the server runs the same way', async () => {
    for (const f of WHILE_RUNNING) writeFileSync(Buffer.concat([Buffer.from(dir + '/'), f.name]), f.body);
    // Seen once the watcher took it in: listed, or logged.
    for (const f of WHILE_RUNNING) {
      await within(5000, `${f.marker} noticed`, async () => (await ask('/odd/')).includes(f.marker) || server.stderr().includes(f.marker));
    }
    for (const f of [...AT_START, ...WHILE_RUNNING]) await expectConsistent(f);
  });

  it('treats them the same after a SIGHUP rescan', async () => {
    server.proc.kill('SIGHUP');
    await within(15_000, 'the reload', async () => server.stdout().includes('reloaded: '));
    for (const f of [...AT_START, ...WHILE_RUNNING]) {
      const listed = menuLines((await ask('/odd/')).toString('utf8')).some((l) => l[0]!.includes(f.marker));
      const files = (await ask('/files.txt')).toString('utf8').includes(f.marker);
      expect(files, `${f.marker}: /files.txt agrees with the listing after SIGHUP`).toBe(listed);
      if (listed) {
        const sel = menuLines((await ask('/odd/')).toString('utf8')).find((l) => l[0]!.includes(f.marker))![1]!;
        expect(await ask(sel), `${f.marker}: fetched after SIGHUP`).toEqual(f.body);
      }
    }
  });
});
