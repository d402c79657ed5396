import net from 'node:net';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawGopherServer, runMirror, summaryCounts } from '../helpers/mirror.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * A hand-written gopher server that makes up selectors without end (ever deeper menus, ever longer
 * selectors) and serves documents where the mirror saves menus (`/gophermap`, `/dir/gophermap`, an
 * article's `.txt`): what `gopherpress mirror` does with its defaults, and with a port that refuses.
 */
function endlessServer(): { server: net.Server; asked: string[]; port: () => number } {
  const asked: string[] = [];
  const server = rawGopherServer((s, sel) => s.end(answer(sel)));
  const port = (): number => (server.address() as net.AddressInfo).port;
  const line = (type: string, display: string, selector: string): string => `${type}${display}\t${selector}\t127.0.0.1\t${port()}\r\n`;
  const answer = (sel: string): string => {
    asked.push(sel);
    if (sel === '' || sel === '/') {
      return line('i', 'Ein endloser Server', '') + line('1', 'Immer tiefer', '/deep/') + line('1', 'Immer länger', '/long/') +
        line('0', 'Kein Menü', '/gophermap') + line('1', 'Ein Ordner', '/dir/') + line('9', 'Auch kein Menü', '/dir/gophermap') +
        line('1', 'Ein Artikel', '/Slug/!77') + line('0', 'Der Artikel als Text', '/Slug/!77.txt') + '.\r\n';
    }
    // Each deep menu links one level deeper, for ever.
    if (sel.startsWith('/deep/')) return line('i', `Ebene ${sel.split('/').length - 2}`, '') + line('1', 'tiefer', `${sel}x/`) + '.\r\n';
    // Each long menu links two whose selectors are 200 bytes longer.
    if (sel.startsWith('/long/')) return line('1', 'länger', `${sel}${'a'.repeat(199)}/`) + line('1', 'auch länger', `${sel}${'b'.repeat(199)}/`) + '.\r\n';
    if (sel === '/dir/') return line('i', 'Der Ordner', '') + '.\r\n';
    if (sel === '/Slug/!77') return line('i', 'Der Artikeltext', '') + '.\r\n';
    return 'WURZEL ÜBERSCHRIEBEN\r\n';
  };
  return { server, asked, port };
}

describe('mirror defaults against an endless server', () => {
  const endless = endlessServer();

  beforeAll(async () => {
    await new Promise<void>((r) => endless.server.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await new Promise((r) => endless.server.close(r));
  });

  it('stops 20 menus deep and before selectors too long for a file name, and saves no document over a menu', async () => {
    const out = tempDir('gopherpress-endless-');
    const r = await runMirror([`gopher://127.0.0.1:${endless.port()}/`, '--out', out, '--delay', '0', '--timeout', '5000'], 60_000);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^done \(crawl\)/m);

    // --max-depth 20 by default: the root is depth 0, /deep/ 1, …, /deep/x…x/ (19 x) is 20.
    const deep = endless.asked.filter((s) => s.startsWith('/deep/'));
    expect(deep).toHaveLength(20);
    expect(deep.at(-1)).toBe(`/deep/${'x/'.repeat(19)}`);
    expect(existsSync(path.join(out, 'deep', ...Array<string>(19).fill('x'), 'gophermap'))).toBe(true);
    expect(existsSync(path.join(out, 'deep', ...Array<string>(20).fill('x')))).toBe(false);

    // Paths stop at 1024 bytes: /long/ + five 200-byte segments is the last level (63 menus in all);
    // the 64 links one level further are not fetched, and are counted in one line, not one failure each.
    const long = endless.asked.filter((s) => s.startsWith('/long/'));
    expect(long).toHaveLength(1 + 2 + 4 + 8 + 16 + 32);
    expect(Math.max(...long.map((s) => s.length))).toBeLessThan(1024);
    expect(r.stdout).toContain('64 items not fetched: selector too long for a file name (over 240 bytes a name or 1024 a path)');
    expect(r.stderr).not.toMatch(/ENAMETOOLONG|too long/);

    // Documents at a menu's place are neither fetched nor saved: one failure line each.
    expect(r.stderr.split('\n').filter(Boolean).sort()).toEqual([
      `failed    gopher://127.0.0.1:${endless.port()}/0/Slug/!77.txt: not saved: Slug/!77.txt is where a menu is saved`,
      `failed    gopher://127.0.0.1:${endless.port()}/0/gophermap: not saved: gophermap is where a menu is saved`,
      `failed    gopher://127.0.0.1:${endless.port()}/9/dir/gophermap: not saved: dir/gophermap is where a menu is saved`,
    ]);
    expect(endless.asked).not.toContain('/gophermap');
    expect(endless.asked).not.toContain('/dir/gophermap');
    expect(endless.asked).not.toContain('/Slug/!77.txt');
    expect(readFileSync(path.join(out, 'gophermap'), 'utf8')).toMatch(/^iEin endloser Server\t\n1Immer tiefer\t\/deep\/\n/);
    expect(readFileSync(path.join(out, 'dir', 'gophermap'), 'utf8')).toBe('iDer Ordner\t\n');
    expect(readFileSync(path.join(out, 'Slug', '!77.txt'), 'utf8')).toBe('# 127.0.0.1 -- Ein Artikel\n       Der Artikeltext\n');
    // caps.txt (asked to see whether this is a gopherpress), the root, /dir/ and the article besides.
    expect(summaryCounts(r.stdout)).toMatchObject({ fetched: 2 + 20 + 63 + 2, errors: 3 });
  }, 90_000);

  it('reports a refused connection once and leaves no --out folder behind', async () => {
    // A port that was just closed: nothing listens there, so connecting is refused.
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const parent = tempDir('gopherpress-refused-');
    const out = path.join(parent, 'copy', 'of', 'nothing');
    const r = await runMirror([`gopher://127.0.0.1:${port}/`, '--out', out, '--delay', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`failed    gopher://127.0.0.1:${port}/1: cannot connect: ECONNREFUSED\n`);
    expect(summaryCounts(r.stdout)).toMatchObject({ fetched: 0, errors: 1 });
    expect(r.stdout).toContain(`nothing saved: ${path.join(parent, 'copy')} removed again`);
    expect(readdirSync(parent)).toEqual([]);
  });
});
