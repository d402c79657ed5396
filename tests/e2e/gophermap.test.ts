import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { generateArchive } from '../helpers/archive-gen.js';
import { REPO, gopher, gopherRaw, lynxDump, startServer } from '../helpers/gopher.js';
import { expectValidMenu } from '../helpers/menu-check.js';
import { tempDir } from '../helpers/tmp.js';

/** Folders with a gophermap, the front page's welcome text, fallbacks and URL: redirects, over real sockets. */
describe('gophermaps on this server', () => {
  let app: App;
  const root = tempDir('gp-map-');
  const menu = async (selector: string): Promise<string[]> =>
    expectValidMenu(await gopherRaw(app.port, `${selector}\r\n`), selector).map((f) => f.join('\t').replace(`127.0.0.1\t${app.port}`, 'HERE'));

  beforeAll(async () => {
    cpSync(path.join(REPO, 'tests/fixtures/archive'), root, { recursive: true });
    writeFileSync(path.join(root, 'gophermap'), '!Das Archiv\nWillkommen im Archiv.\n1Energie\tEnergiewende-Kurz/\n*\nnot shown\n');
    mkdirSync(path.join(root, 'map/sub'), { recursive: true });
    writeFileSync(path.join(root, 'map/gophermap'), [
      'Text', '0Rel\tnotes.md', '-secret.md', '=part.map', '=sub', '=../../../etc/passwd', '=/notes/notizen.txt', '*', 'after',
    ].join('\n') + '\n');
    writeFileSync(path.join(root, 'map/part.map'), 'From part\n=part.map\n*\nnot after the star\n');
    for (const f of ['notes.md', 'secret.md', 'sub/inner.md']) writeFileSync(path.join(root, 'map', f), 'x\n');
    mkdirSync(path.join(root, 'bad'));
    writeFileSync(path.join(root, 'bad/gophermap'), Buffer.from('iBinary\0junk\t/x\n'));
    writeFileSync(path.join(root, 'bad/file.md'), 'x\n');
    generateArchive(path.join(root, 'big'), 230, 3);
    writeFileSync(path.join(root, 'big/Gen/gophermap'), 'A big folder\n*\n');
    app = await startServer(root);
  });
  afterAll(() => app.close());

  it('a folder with a gophermap serves it: items, relative selectors, hides, includes, listing at *', async () => {
    expect(await menu('/map/')).toEqual([
      'iText\t\tnull.host\t1',
      '0Rel\t/map/notes.md\tHERE',
      'iFrom part\t\tnull.host\t1',
      // part.map includes itself: bounded at four levels, and its * only ends each included copy.
      'iFrom part\t\tnull.host\t1',
      'iFrom part\t\tnull.host\t1',
      'iFrom part\t\tnull.host\t1',
      '0inner.md\t/map/sub/inner.md\tHERE',
      // =../../../etc/passwd is outside content/: nothing. =/notes/notizen.txt is inside: read as a gophermap
      // (its `# example.org -- …` heading is a comment there).
      'i       \t\tnull.host\t1',
      'i       Ein Artikel, der nicht !<id>.txt heißt, hat seinen Pfad als Selektor.\t\tnull.host\t1',
      'i       <script>alert("x")</script> & </pre> bleiben Text.\t\tnull.host\t1',
      'i       \t\tnull.host\t1',
      'i       2 Jan 2024\t\tnull.host\t1',
      '1sub\t/map/sub/\tHERE',
      '0notes.md\t/map/notes.md\tHERE',
      '9part.map\t/map/part.map\tHERE',
    ]);
    // The same without the trailing slash.
    expect(await menu('/map')).toEqual(await menu('/map/'));
  });

  it('content/gophermap is the welcome text of the front page (lynx), which still follows in full', async () => {
    const dump = await lynxDump(`gopher://127.0.0.1:${app.port}/1/`);
    const lines = dump.split('\n').slice(2).map((l) => l.trimEnd()).filter(Boolean);
    expect(lines.slice(0, 5)).toEqual([
      '       Das Archiv',
      '       Willkommen im Archiv.',
      ' (DIR) Energie',
      '       ## NEWEST ARTICLES',
      ' (DIR) 26.12.2025 Meldung 2000006: Bericht Nummer 5',
    ]);
    expect(lines).toContain(' (DIR) Archive by date');
    expect(lines).not.toContain('       not shown');
    const raw = await menu('/');
    expect(raw[0]).toBe('iDas Archiv\tTITLE\tnull.host\t1');
    expect(raw[2]).toBe('1Energie\t/Energiewende-Kurz/\tHERE');
  });

  it('a bad gophermap (binary) falls back to the generated listing', async () => {
    const m = await menu('/bad/');
    expect(m).toContain('0file.md\t/bad/file.md\tHERE');
    expect(m.join('\n')).not.toContain('Binary');
  });

  it('* in a long folder inserts the first page of its listing and a next page item', async () => {
    const m = await menu('/big/Gen/');
    expect(m[0]).toBe('iA big folder\t\tnull.host\t1');
    expect(m.filter((l) => l.startsWith('1') && l.includes('Meldung'))).toHaveLength(200);
    expect(m.at(-1)).toBe('1next page (2 of 2)\t/big/Gen/p2\tHERE');
    const p2 = await menu('/big/Gen/p2');
    expect(p2.filter((l) => l.startsWith('1') && l.includes('Meldung'))).toHaveLength(30);
  });

  it('URL: selectors answer a small HTML page that redirects, never to javascript:', async () => {
    const page = (await gopherRaw(app.port, 'URL:https://taz.de/?a=1&b=2\r\n')).toString('utf8');
    expect(page).toContain('<meta http-equiv="refresh" content="1;url=https://taz.de/?a=1&#38;b=2">');
    expect(page).toContain('<a href="https://taz.de/?a=1&#38;b=2">');
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(await gopher(app.port, 'URL:javascript:alert(1)')).toBe(`3Not a web address this server redirects to\t\t127.0.0.1\t${app.port}\r\n.\r\n`);
    expect((await gopher(app.port, 'URL:https://x/"><script>')).startsWith('3')).toBe(true);
  });
});
