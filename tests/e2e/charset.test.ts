import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { Charset } from '../../src/charset/charset.js';
import { REPO, curl, dumpBody, gopherRaw, lynxDump, startServer, trimTrailing } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Input: the same article as UTF-8 (tests/fixtures/archive), as Windows-1252 with CRLF and as UTF-8
 * with a BOM and CRLF (tests/fixtures/charsets) reads identically through lynx and curl.
 * Output: each --charset checked byte for byte over a real socket against bytes written out by hand.
 */
const execFileAsync = promisify(execFile);
const UTF8_TWIN = path.join(REPO, 'tests/fixtures/archive/Energiewende-Kurz/!1000001.txt');

describe.each(['cp1252', 'utf8-bom'])('the %s twin of a UTF-8 article', (variant) => {
  let app: App;
  beforeAll(async () => {
    // A copy: a server writes its start-up cache into the folder it serves, and this one is the repository's.
    app = await startServer(tempDir('gp-twin-', path.join(REPO, 'tests/fixtures/charsets', variant)));
  });
  afterAll(() => app.close());

  it('is really stored that way (the fixture is not silently UTF-8 with LF)', () => {
    const bytes = readFileSync(path.join(REPO, 'tests/fixtures/charsets', variant, 'Energiewende-Kurz/!1000001.txt'));
    expect(bytes.includes(Buffer.from('\r\n'))).toBe(true);
    // "Über" in Windows-1252 is DC 62 65 72; in UTF-8 it is C3 9C 62 65 72.
    if (variant === 'cp1252') expect(bytes.includes(Buffer.from([0x20, 0xdc, 0x62, 0x65, 0x72]))).toBe(true);
    else expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('round-trips through lynx exactly like its UTF-8 twin', async () => {
    const dump = await lynxDump(`gopher://127.0.0.1:${app.port}/1/Energiewende-Kurz/!1000001`);
    expect(trimTrailing(dumpBody(dump))).toBe(trimTrailing(readFileSync(UTF8_TWIN, 'utf8')));
  });

  it('is served as type 0 with the UTF-8 twin’s bytes and LF line ends', async () => {
    const r = await curl([`gopher://127.0.0.1:${app.port}/0/Energiewende-Kurz/!1000001.txt`]);
    expect(r.stdout).toBe(readFileSync(UTF8_TWIN, 'utf8'));
  });

  it('is found by a search for a word with an umlaut', async () => {
    const r = await curl([`gopher://127.0.0.1:${app.port}/7/search%09%C3%9Cbertragungsnetze`]);
    expect(r.stdout).toContain('1 article found for: Übertragungsnetze');
  });
});

/** One line with everything a German article throws at an old terminal, plus letters Latin-1 lacks. */
const ARTICLE = [
  '# taz.de -- Straße „Zukunft“',
  '       ',
  '       Grüße aus Köln – 5 € … Łódź, ‚ja‘ — Ä Ö Ü',
  '       ',
  '       9 Nov 2025',
].join('\n') + '\n';

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');

/** Written out by hand, byte by byte: never computed by the encoder under test. */
const EXPECTED: Record<Charset, { title: Buffer; line: Buffer; about: string; caps: string }> = {
  'utf-8': {
    title: latin1('Stra\xc3\x9fe \xe2\x80\x9eZukunft\xe2\x80\x9c'),
    line: latin1('Gr\xc3\xbc\xc3\x9fe aus K\xc3\xb6ln \xe2\x80\x93 5 \xe2\x82\xac \xe2\x80\xa6 \xc5\x81\xc3\xb3d\xc5\xba, \xe2\x80\x9aja\xe2\x80\x98 \xe2\x80\x94 \xc3\x84 \xc3\x96 \xc3\x9c'),
    about: 'Charset of menus and texts: UTF-8',
    caps: 'ServerDefaultEncoding=UTF-8',
  },
  'iso-8859-1': {
    title: latin1('Stra\xdfe "Zukunft"'),
    line: latin1('Gr\xfc\xdfe aus K\xf6ln - 5 EUR ... L\xf3dz, \'ja\' - \xc4 \xd6 \xdc'),
    about: 'Charset of menus and texts: ISO-8859-1',
    caps: 'ServerDefaultEncoding=ISO-8859-1',
  },
  'us-ascii': {
    title: latin1('Strasse "Zukunft"'),
    line: latin1('Gruesse aus Koeln - 5 EUR ... Lodz, \'ja\' - Ae Oe Ue'),
    about: 'Charset of menus and texts: US-ASCII',
    caps: 'ServerDefaultEncoding=US-ASCII',
  },
};

describe.each(Object.keys(EXPECTED) as Charset[])('--charset %s', (charset) => {
  let app: App;
  const want = EXPECTED[charset];
  beforeAll(async () => {
    const content = tempDir('gopherpress-charset-');
    writeFileSync(path.join(content, '!1000030.txt'), ARTICLE);
    app = await startServer(content, { charset });
  });
  afterAll(() => app.close());

  // Info lines point nowhere: Gophernicus's dummy host and port.
  const tail = (): Buffer => latin1('\t\tnull.host\t1\r\n');

  it('encodes the article menu byte for byte', async () => {
    const got = await gopherRaw(app.port, '/!1000030\r\n');
    const expected = Buffer.concat([
      latin1('i# taz.de -- '), want.title, tail(),
      latin1('i'), tail(),
      latin1('i'), want.line, tail(),
      latin1('i'), tail(),
      latin1('i9 Nov 2025'), tail(),
      latin1('.\r\n'),
    ]);
    expect(got.toString('hex')).toBe(expected.toString('hex'));
  });

  it('encodes the article as type-0 text byte for byte', async () => {
    const got = await gopherRaw(app.port, '/!1000030.txt\r\n');
    const expected = Buffer.concat([latin1('# taz.de -- '), want.title, latin1('\n       \n       '), want.line, latin1('\n       \n       9 Nov 2025\n')]);
    expect(got.toString('hex')).toBe(expected.toString('hex'));
  });

  it('announces the charset in the about menu and caps.txt', async () => {
    expect((await gopherRaw(app.port, '/about\r\n')).toString('latin1')).toContain(`i${want.about}\t`);
    expect((await gopherRaw(app.port, '/caps.txt\r\n')).toString('latin1').split('\n')).toContain(want.caps);
  });

  it('never writes a question mark for a character it cannot encode', async () => {
    for (const sel of ['/!1000030', '/!1000030.txt', '/', '/date/2025/11/09/']) {
      expect((await gopherRaw(app.port, `${sel}\r\n`)).includes('?'), sel).toBe(false);
    }
  });

  it('reaches a terminal of that charset through lynx unchanged', async () => {
    // lynx passes a gopher menu's bytes to a terminal of the same charset as they came; stdout kept as bytes.
    const { stdout: dump } = await execFileAsync('lynx', ['-dump', '-nolist', '-width=1000', `-display_charset=${charset}`, `gopher://127.0.0.1:${app.port}/1/!1000030`], {
      env: { ...process.env, LANG: 'C' },
      timeout: 15_000,
      encoding: 'buffer',
    });
    expect(dump.includes(Buffer.concat([latin1('       '), want.line, latin1('\n')]))).toBe(true);
  });
});

describe('a BOM in front of Windows-1252 text (a UTF-8 file an old editor appended to)', () => {
  let app: App;
  beforeAll(async () => {
    const content = tempDir('gopherpress-bom-');
    // EF BB BF, then "# taz.de -- Gr" FC DF "e" (Grüße in Windows-1252), CRLF
    writeFileSync(path.join(content, '!1000031.txt'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), latin1('# taz.de -- Gr\xfc\xdfe\r\n       \r\n       8 Nov 2025\r\n')]));
    app = await startServer(content);
  });
  afterAll(() => app.close());

  it('drops the BOM and reads the rest as Windows-1252', async () => {
    const got = await gopherRaw(app.port, '/!1000031\r\n');
    expect(got.subarray(0, 21).toString('hex')).toBe(latin1('i# taz.de -- Gr\xc3\xbc\xc3\x9fe\t').toString('hex'));
  });
});
