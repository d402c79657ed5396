import net from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { dumpBody, lynxDump, startServer, trimTrailing } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import { rawGopherServer, runMirror, summaryCounts } from '../helpers/mirror.js';

/**
 * A tiny hand-written gopher server with the habits of the wild: LF-only lines, no final `.`, a
 * Latin-1 menu, a line without TABs, a type-3 answer, an endless answer and one that never ends.
 */
function wildServer(): { server: net.Server; asked: string[]; port: () => number } {
  const asked: string[] = [];
  const server = rawGopherServer((s, sel) => answer(s, sel));
  const port = (): number => (server.address() as net.AddressInfo).port;
  const here = (): string => `127.0.0.1\t${port()}`;
  const answer = (s: net.Socket, sel: string): void => {
    asked.push(sel);
    switch (sel) {
      case '':
        // LF line ends, no final dot, one raw text line.
        return void s.end(iconv.encode([
          'iGrüße aus dem Loch\t\tfake\t0',
          'Ein Satz ohne Tabs',
          `0Text mit LF\t/lf.txt\t${here()}`,
          `1Latin-1 Menü\t/latin1/\t${here()}`,
          `1Ein Artikel\t/Slug/!4242\t${here()}`,
          `0Fehlt\t/missing.txt\t${here()}`,
          `9Endlos\t/endless.bin\t${here()}`,
          `0Langsam\t/slow.txt\t${here()}`,
          '1Anderswo\t/\tother.invalid\t70',
          `hWeb\tURL:http://example.org/\t${here()}`,
          `7Suche\t/search\t${here()}`,
        ].join('\n') + '\n', 'latin1'));
      case '/lf.txt':
        return void s.end('Zeile eins\nZeile zwei\n');
      case '/latin1/':
        return void s.end(iconv.encode(`iÄrger über Öl\t\tfake\t0\r\n0Text\t/lf.txt\t${here()}\r\n.\r\n`, 'latin1'));
      case '/Slug/!4242':
        return void s.end([
          'iWindkraft im Norden\t\tfake\t0', 'i\t\tfake\t0', 'iDer Ausbau kommt voran.\t\tfake\t0',
          `1[1] /Slug/!4243\t/Slug/!4243\ttaz.de\t70`, `IBild: Windräder\t/bild.jpg\t${here()}`, '.', '',
        ].join('\r\n'));
      case '/endless.bin': {
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        const pump = (): void => {
          while (!s.destroyed && s.write(chunk));
        };
        s.on('drain', pump);
        return pump();
      }
      case '/slow.txt':
        return void s.write('one byte, then nothing for ever');
      default:
        return void s.end('3Datei nicht gefunden\t\terror.host\t1\r\n.\r\n');
    }
  };
  return { server, asked, port };
}

describe('mirror against a server of the wild', () => {
  const wild = wildServer();
  let b: App | undefined;

  beforeAll(async () => {
    await new Promise<void>((r) => wild.server.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await b?.close();
    await new Promise((r) => wild.server.close(r));
  });

  it('saves what it can, reports the rest, and stops every bad answer at its limit', async () => {
    const out = tempDir('gopherpress-wild-');
    const started = Date.now();
    const r = await runMirror([`gopher://127.0.0.1:${wild.port()}/`, '--out', out, '--delay', '0', '--max-bytes', '200000', '--timeout', '1500'], 30_000);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^done \(crawl\)/m);
    expect(summaryCounts(r.stdout)).toMatchObject({ new: 4, errors: 4 });
    // One line per failure, as it happens, and nothing else on stderr.
    expect(r.stderr.split('\n').filter(Boolean).sort()).toEqual([
      `failed    gopher://127.0.0.1:${wild.port()}/0/missing.txt: server says: Datei nicht gefunden`,
      `failed    gopher://127.0.0.1:${wild.port()}/0/slow.txt: no end of answer within 1500 ms (31 bytes received)`,
      `failed    gopher://127.0.0.1:${wild.port()}/9/endless.bin: answer larger than 200000 bytes`,
      `failed    gopher://127.0.0.1:${wild.port()}/I/bild.jpg: server says: Datei nicht gefunden`,
    ]);

    // Only this server's documents were asked for, each once: no other host, no URL:, no search.
    expect([...wild.asked].sort()).toEqual(['', '/Slug/!4242', '/bild.jpg', '/caps.txt', '/endless.bin', '/latin1/', '/lf.txt', '/missing.txt', '/slow.txt']);

    // The root as a gophermap: item lines as sent (decoded from Latin-1), this server's host and port left out.
    expect(readFileSync(path.join(out, 'gophermap'), 'utf8')).toBe([
      'iGrüße aus dem Loch\t\tfake\t0',
      'iEin Satz ohne Tabs\t',
      '0Text mit LF\t/lf.txt',
      '1Latin-1 Menü\t/latin1/',
      '1Ein Artikel\t/Slug/!4242',
      '0Fehlt\t/missing.txt',
      '9Endlos\t/endless.bin',
      '0Langsam\t/slow.txt',
      '1Anderswo\t/\tother.invalid\t70',
      'hWeb\tURL:http://example.org/',
      '7Suche\t/search',
    ].join('\n') + '\n');
    expect(readFileSync(path.join(out, 'latin1/gophermap'), 'utf8')).toBe('iÄrger über Öl\t\tfake\t0\n0Text\t/lf.txt\n');
    expect(readFileSync(path.join(out, 'lf.txt'), 'latin1')).toBe('Zeile eins\nZeile zwei\n');
    expect(existsSync(path.join(out, 'endless.bin'))).toBe(false);
    expect(existsSync(path.join(out, 'slow.txt'))).toBe(false);

    // taz.de's `/Slug/!id` menu became an article file that gopherpress serves back as the same menu.
    const articleFile = readFileSync(path.join(out, 'Slug/!4242.txt'), 'utf8');
    expect(articleFile).toBe(
      '# 127.0.0.1 -- Ein Artikel\n       Windkraft im Norden\n       \n       Der Ausbau kommt voran.\n (DIR) [1] /Slug/!4243\n (IMG) Bild: Windräder\n',
    );
    b = await startServer(out);
    const dump = await lynxDump(`gopher://127.0.0.1:${b.port}/1/Slug/!4242`);
    expect(trimTrailing(dumpBody(dump))).toBe(trimTrailing(articleFile));
  });

  it('continues a crawl cut short by --max-items without fetching again what it had', async () => {
    const out = tempDir('gopherpress-wild-');
    const url = `gopher://127.0.0.1:${wild.port()}/`;
    const first = await runMirror([url, '--out', out, '--delay', '0', '--max-items', '3', '--timeout', '1500', '--max-bytes', '200000']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^stopped at --max-items \(crawl\)/m);
    wild.asked.length = 0;
    const second = await runMirror([url, '--out', out, '--delay', '0', '--timeout', '1500', '--max-bytes', '200000']);
    expect(second.code).toBe(1);
    expect(second.stdout).toContain('resuming: 3 items already fetched, 4 to go');
    expect([...wild.asked].sort()).toEqual(['/Slug/!4242', '/bild.jpg', '/caps.txt', '/endless.bin', '/missing.txt', '/slow.txt']);
  });
});
