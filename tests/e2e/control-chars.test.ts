import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { Charset } from '../../src/charset/charset.js';
import { curl, dumpBody, gopherRaw, lynxDump, menuLines, startServer, trimTrailing } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * ESC, BEL, NUL, DEL and C1 controls in an article and in file names never reach a client: a curl
 * user's terminal would run them (`ESC [2J` clears it, `ESC ]0;…BEL` retitles it, U+009B is a CSI).
 */
const ESC = '\x1b';
const BEL = '\x07';
const CSI = '\u009b'; // C1: one character, two bytes in UTF-8 (C2 9B)
const ARTICLE = [
  `# taz.de -- Steuern: ${ESC}[31mRot${ESC}[0m und ${BEL}laut`,
  '       ',
  `       Ein Satz mit NUL\x00, DEL\x7f, ${CSI}2J und ${ESC}]0;pwned${BEL} darin.`,
  '       ',
  '       7 Jun 2025',
  '       ',
  '       ## TAGS',
  '       ',
  ` (DIR) Steuer${ESC}[5mblink`,
].join('\n') + '\n';
// A type-0 text file, and a binary whose name alone is hostile.
const NOTE_NAME = `Notiz${ESC}]0;pwned${BEL}.txt`;
const BIN_NAME = `bild${ESC}[2J${BEL}.bin`;

/** What a client may see in text: TAB, CR and LF are the only controls; no DEL, no C1 (UTF-8 C2 80–9F). */
function controlsIn(bytes: Buffer): string[] {
  const found: string[] = [];
  bytes.forEach((b, i) => {
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) found.push(`0x${b.toString(16)} at ${i}`);
    if (b === 0xc2 && bytes[i + 1]! >= 0x80 && bytes[i + 1]! <= 0x9f) found.push(`U+00${bytes[i + 1]!.toString(16)} at ${i}`);
  });
  return found;
}

describe('control characters in content/', () => {
  const content = tempDir('gp-controls-');
  const apps = new Map<Charset, App>();
  const port = (c: Charset = 'utf-8'): number => apps.get(c)!.port;

  beforeAll(async () => {
    mkdirSync(path.join(content, 'Steuer'));
    writeFileSync(path.join(content, 'Steuer', '!1000050.txt'), ARTICLE);
    writeFileSync(path.join(content, 'Steuer', NOTE_NAME), `# taz.de -- Notiz\n       Nur ${ESC}[2Jeine Zeile.\n`);
    writeFileSync(path.join(content, 'Steuer', BIN_NAME), Buffer.from([0x1b, 0x00, 0x07, 0xff]));
    for (const charset of ['utf-8', 'iso-8859-1', 'us-ascii'] as const) apps.set(charset, await startServer(content, { charset, httpPort: charset === 'utf-8' ? 0 : undefined }));
  });
  afterAll(async () => {
    for (const app of apps.values()) await app.close();
  });

  it('leaves them out of every gopher menu and text, in every charset, over raw sockets', async () => {
    const selectors = ['', '/Steuer/', '/Steuer/!1000050', '/Steuer/!1000050.txt', '/all/', '/index.txt', '/files.txt', '/tags/', '/date/2025/06/07/', `/nope${ESC}[2J`];
    for (const charset of apps.keys()) {
      for (const sel of selectors) {
        const bytes = await gopherRaw(port(charset), `${sel}\r\n`);
        expect(bytes.length, `${charset} ${JSON.stringify(sel)}`).toBeGreaterThan(0);
        expect(controlsIn(bytes), `${charset} ${JSON.stringify(sel)}`).toEqual([]);
      }
      const search = await gopherRaw(port(charset), '/search\tpwned\r\n');
      expect(controlsIn(search), `${charset} search`).toEqual([]);
    }
    // What is left is the readable text, the sequences' printable tails as lynx shows them too.
    const menu = (await gopherRaw(port(), '/Steuer/!1000050\r\n')).toString('utf8');
    expect(menu).toContain('i# taz.de -- Steuern: [31mRot[0m und laut\t');
    expect(menu).toContain('iEin Satz mit NUL, DEL, 2J und ]0;pwned darin.\t');
    expect((await gopherRaw(port(), '/Steuer/!1000050.txt\r\n')).toString('utf8')).toBe(
      '# taz.de -- Steuern: [31mRot[0m und laut\n       \n       Ein Satz mit NUL, DEL, 2J und ]0;pwned darin.\n' +
        '       \n       7 Jun 2025\n       \n       ## TAGS\n       \n (DIR) Steuer[5mblink\n',
    );
    expect((await gopherRaw(port(), `/nope${ESC}[2J\r\n`)).toString('utf8')).toBe(`3Resource not found\t\t127.0.0.1\t${port()}\r\n.\r\n`);
  });

  it('still leads to a file whose name holds them: the selector carries them as %XX', async () => {
    const items = menuLines((await gopherRaw(port(), '/Steuer/\r\n')).toString('utf8'));
    const bin = items.find((f) => f[0]!.startsWith('9'))!;
    expect(bin.slice(0, 2)).toEqual(['9bild[2J.bin', '/Steuer/bild%1B[2J%07.bin']);
    const note = items.find((f) => f[1]!.includes('Notiz'))!;
    expect(note[1]).toBe('/Steuer/Notiz%1B]0;pwned%07');
    // As a client that sends the selector as it got it …
    expect(await gopherRaw(port(), `${bin[1]}\r\n`)).toEqual(Buffer.from([0x1b, 0x00, 0x07, 0xff]));
    expect((await gopherRaw(port(), `${note[1]}\r\n`)).toString('utf8')).toContain('iNur [2Jeine Zeile.\t');
    // … and as curl, which decodes %XX before sending.
    const r = await curl(['-g', `gopher://127.0.0.1:${port()}/1${note[1]}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('iNur [2Jeine Zeile.\t');
  });

  it('leaves them out of what curl prints', async () => {
    for (const url of ['1/Steuer/', '1/Steuer/!1000050', '0/Steuer/!1000050.txt', '0/files.txt']) {
      const r = await curl(['-g', `gopher://127.0.0.1:${port()}/${url}`]);
      expect(r.code, url).toBe(0);
      expect(controlsIn(Buffer.from(r.stdout, 'utf8')), url).toEqual([]);
    }
  });

  it('leaves them out of the web view: pages, texts, errors and the feed', async () => {
    const web = `http://127.0.0.1:${apps.get('utf-8')!.httpPort}`;
    for (const url of ['/', '/1/Steuer/', '/1/Steuer/!1000050', '/0/Steuer/!1000050.txt', '/1/Steuer/Notiz%1B]0;pwned%07', '/1/nope%1B[2J', '/feed.xml']) {
      const r = await curl(['-g', '-i', web + url]);
      expect(r.code, url).toBe(0);
      expect(controlsIn(Buffer.from(r.stdout, 'utf8')), url).toEqual([]);
    }
    const page = await curl(['-g', `${web}/1/Steuer/!1000050`]);
    expect(page.stdout).toContain('       Ein Satz mit NUL, DEL, 2J und ]0;pwned darin.\n');
  });

  it('leaves them out of what lynx prints, whose only change is the text after a NUL (lynx cut the line there)', async () => {
    const dump = await lynxDump(`gopher://127.0.0.1:${port()}/1/Steuer/!1000050`);
    expect(trimTrailing(dumpBody(dump))).toBe(
      trimTrailing('# taz.de -- Steuern: [31mRot[0m und laut\n\n       Ein Satz mit NUL, DEL, 2J und ]0;pwned darin.\n\n       7 Jun 2025\n\n       ## TAGS\n\n (DIR) Steuer[5mblink\n'),
    );
  });
});
