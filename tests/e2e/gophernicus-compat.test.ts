import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { REPO, gopherRaw, startServer } from '../helpers/gopher.js';
import { expectValidMenu } from '../helpers/menu-check.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The same gophermap gives the same menu lines as Debian's Gophernicus, host and port normalised.
 * Gophernicus runs once per request from stdin (inetd style) over the same folder, with -nh/-nf (no
 * header, footer), -nl (no parent link: gopherpress generates none), -nd (no dates and sizes in listings)
 * and -nx (never execute anything). Where gopherpress reads a line differently on purpose (see
 * gophermap.example), the test takes those lines out on both sides and checks them on their own.
 */
const GOPHERNICUS = '/usr/sbin/gophernicus';
const FLOODGAP = '/work/shared/fixtures/gophermaps/floodgap/gophermap';

/** Lines Gophernicus reads by their first character alone and gopherpress only in their exact form. */
const DIVERGENT = [/^\*.+/, /^\..+/, /^-[-\s]/, /^=[=\s]/, /^=sub$/];
const isDivergent = (line: string): boolean => DIVERGENT.some((r) => r.test(line));

function gophernicus(root: string, port: number, selector: string): Promise<string> {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-r', root, '-nf', '-nh', '-nl', '-nd', '-nx'];
  // As root, run it as nobody, as inetd would; Gophernicus refuses to serve as root.
  const [cmd, argv] = process.getuid?.() === 0 ? ['runuser', ['-u', 'nobody', '--', GOPHERNICUS, ...args]] : [GOPHERNICUS, args];
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, argv as string[], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => p.kill('SIGKILL'), 10_000);
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.stderr.on('data', (d: Buffer) => err.push(d));
    p.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${GOPHERNICUS} (apt-get install -y gophernicus): ${e.message}`));
    });
    p.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`gophernicus exited ${code}: ${Buffer.concat(err).toString()}`));
      else resolve(Buffer.concat(out).toString('utf8'));
    });
    p.stdin.end(`${selector}\r\n`);
  });
}

describe('gophermaps as Gophernicus serves them', () => {
  let app: App;
  const root = tempDir('gp-compat-');
  const normalise = (menu: string): string[] => expectValidMenu(menu).map((f) => f.join('\t').replace(`\t127.0.0.1\t${app.port}`, '\tHERE'));
  const ours = async (selector: string): Promise<string[]> => normalise((await gopherRaw(app.port, `${selector}\r\n`)).toString('utf8'));
  const theirs = async (selector: string): Promise<string[]> => normalise(await gophernicus(root, app.port, selector));
  const asInfo = (line: string): string => `i${line}\t\tnull.host\t1`;
  const withoutDivergent = (text: string): string => text.split('\n').filter((l) => !isDivergent(l)).join('\n');

  beforeAll(async () => {
    chmodSync(root, 0o755);
    const floodgap = readFileSync(FLOODGAP, 'utf8');
    mkdirSync(path.join(root, 'floodgap'));
    writeFileSync(path.join(root, 'floodgap/gophermap'), floodgap);
    mkdirSync(path.join(root, 'floodgap-plain'));
    writeFileSync(path.join(root, 'floodgap-plain/gophermap'), withoutDivergent(floodgap));

    // gophermap.example with the files it names, once as written and once without the divergent lines.
    const example = readFileSync(path.join(REPO, 'gophermap.example'), 'utf8');
    for (const [dir, map] of [['example', example], ['example-plain', withoutDivergent(example)]] as const) {
      const d = path.join(root, dir);
      mkdirSync(path.join(d, 'sub'), { recursive: true });
      writeFileSync(path.join(d, 'gophermap'), map);
      writeFileSync(path.join(d, 'header.map'), 'Included from header.map, with an Umlaut: Grüße\n0Relative in an include\tnotes.md\n.\nnot shown after .\n');
      writeFileSync(path.join(d, 'notes.md'), 'notes\n');
      writeFileSync(path.join(d, 'secret.md'), 'hidden by -secret.md\n');
      writeFileSync(path.join(d, 'page.html'), '<html><body>page</body></html>\n');
      writeFileSync(path.join(d, 'song.mp3'), Buffer.from('ID3\x03\0\0'));
      copyFileSync(path.join(REPO, 'tests/fixtures/archive/Energiewende-Kurz/!1000001.gif'), path.join(d, 'pic.gif'));
      writeFileSync(path.join(d, 'sub/inner.md'), 'inner\n');
    }
    app = await startServer(root);
  });
  afterAll(() => app.close());

  it('floodgap: the same lines up to the ***** banner, where Gophernicus stops (the known divergence)', async () => {
    const g = await theirs('/floodgap/');
    const o = await ours('/floodgap/');
    expect(g).toHaveLength(12);
    expect(o.slice(0, 12)).toEqual(g);
    expect(o[12]).toBe(asInfo('***********************************************************'));
  });

  it('floodgap: every other line as Gophernicus gives it, banner and --- rules shown as text', async () => {
    const removed = readFileSync(FLOODGAP, 'utf8').split('\n').filter(isDivergent);
    expect(removed).toHaveLength(11); // four banner lines, seven "--- Section ---" rules
    const g = await theirs('/floodgap-plain/');
    expect(g.length).toBeGreaterThan(80);
    expect(await ours('/floodgap-plain/')).toEqual(g);
    const o = await ours('/floodgap/');
    for (const line of removed) expect(o).toContain(asInfo(line));
    expect(o.filter((l) => !removed.map(asInfo).includes(l))).toEqual(g.map((l) => l.replace('/floodgap-plain/', '/floodgap/')));
    // The lines the fixture README names: an empty selector, a relative one, a search, a URL: link.
    expect(g).toContain('1/overbite\t/overbite\tHERE');
    expect(g).toContain('1Super-Dimensional Fortress: SDF Gopherspace\t\tsdf.org\t70');
    expect(g).toContain('0RIP, Master gopher at University of Minnesota\t/floodgap-plain/umngone\tHERE');
    expect(g).toContain('7Search Veronica-2\t/v2/vs\tHERE');
    expect(g).toContain('hFloodgap.com (Web pages)\tURL:http://www.floodgap.com/\tHERE');
  });

  it('gophermap.example: the same lines as Gophernicus for every feature both servers share', async () => {
    const g = await theirs('/example-plain/');
    expect(await ours('/example-plain/')).toEqual(g);
    // Spot checks that the comparison covers each feature.
    expect(g[0]).toBe('iExample folder -- every gophermap feature\tTITLE\tnull.host\t1');
    for (const line of [
      '0Notes, a file in this folder (relative selector)\t/example-plain/notes.md\tHERE',
      '1/tags/\t/tags/\tHERE',
      '1Floodgap, another gopher server\t/\tgopher.floodgap.com\t70',
      'htaz.de on the web\tURL:https://taz.de/\tHERE',
      'iIncluded from header.map, with an Umlaut: Grüße\t\tnull.host\t1',
      '0Relative in an include\t/example-plain/notes.md\tHERE',
      'Ipic.gif\t/example-plain/pic.gif\tHERE',
    ]) expect(g).toContain(line);
    expect(g.join('\n')).not.toMatch(/secret\.md|header\.map\t|never sent|not shown/);
    expect(g.at(-1)).toBe('ssong.mp3\t/example-plain/song.mp3\tHERE');
  });

  it('gophermap.example as written: the same, plus =folder and the decoration Gophernicus would eat', async () => {
    const g = (await theirs('/example-plain/')).map((l) => l.replace('/example-plain/', '/example/'));
    const o = await ours('/example/');
    const extra = [
      '0inner.md\t/example/sub/inner.md\tHERE',
      ...readFileSync(path.join(REPO, 'gophermap.example'), 'utf8').split('\n').filter((l) => isDivergent(l) && l !== '=sub').map(asInfo),
    ];
    expect(extra).toHaveLength(6);
    for (const line of extra) expect(o).toContain(line);
    expect(o.filter((l) => !extra.includes(l))).toEqual(g);
  });
});
