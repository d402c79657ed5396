import net from 'node:net';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gopherRaw } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import { runMirror, summaryCounts } from '../helpers/mirror.js';

/**
 * The test is inetd: one gophernicus per connection with the socket on its stdin and stdout, as the
 * Debian package runs it (so CI containers need no systemd-socket-activate).
 */
function inetd(sock: net.Socket, cmd: readonly string[]): void {
  const child = spawn(cmd[0]!, cmd.slice(1), { stdio: ['pipe', 'pipe', 'ignore'] });
  sock.on('error', () => child.kill());
  child.stdin.on('error', () => undefined);
  child.on('error', () => sock.destroy());
  sock.pipe(child.stdin);
  child.stdout.pipe(sock);
}

/** A small gopher hole: texts, a binary with every byte value, an image, a folder with its own gophermap. */
function hole(): string {
  const root = tempDir('gophernicus-root-');
  mkdirSync(path.join(root, 'sub'));
  mkdirSync(path.join(root, 'docs'));
  writeFileSync(path.join(root, 'hello.txt'), 'Hallo, Welt.\r\nZweite Zeile ohne Ende');
  writeFileSync(path.join(root, 'pic.gif'), Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'));
  writeFileSync(path.join(root, 'sub', 'data.bin'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 256)));
  writeFileSync(path.join(root, 'sub', 'README'), 'no extension\n');
  writeFileSync(path.join(root, 'docs', 'gophermap'), [
    'Documents of this hole',
    '',
    '0The greeting\t/hello.txt',
    '1Elsewhere\t/\texample.org\t70',
    '9The data\t/sub/data.bin',
  ].join('\n') + '\n');
  // Gophernicus serves only what everyone may read; mkdtemp makes the folder private.
  for (const p of ['', 'sub', 'docs']) chmodSync(path.join(root, p), 0o755);
  for (const p of ['hello.txt', 'pic.gif', 'sub/data.bin', 'sub/README', 'docs/gophermap']) chmodSync(path.join(root, p), 0o644);
  return root;
}

describe('mirror of a folder served by Debian\'s gophernicus', () => {
  let root: string;
  let port: number;
  let server: net.Server;

  beforeAll(async () => {
    root = hole();
    // The port goes into gophernicus's menus: listen first, then start one gophernicus per connection.
    server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
    const gophernicus = ['/usr/sbin/gophernicus', '-h', '127.0.0.1', '-p', String(port), '-r', root, '-nf'];
    // As nobody when we are root (CI), as the Debian package runs it.
    const cmd = process.getuid?.() === 0 ? ['runuser', '-u', 'nobody', '--', ...gophernicus] : gophernicus;
    server.on('connection', (sock) => inetd(sock, cmd));
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('copies texts and binaries byte for byte and menus as gophermaps of the lines it sent', async () => {
    const out = tempDir('gopherpress-mirror-');
    const r = await runMirror([`gopher://127.0.0.1:${port}/`, '--out', out, '--delay', '0']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^done \(crawl\)/m);
    // Each file as gophernicus sent it; binaries are its files byte for byte (texts come with CRLF line ends).
    for (const f of ['hello.txt', 'pic.gif', 'sub/data.bin', 'sub/README']) {
      expect(readFileSync(path.join(out, f)).equals(await gopherRaw(port, `/${f}\r\n`)), f).toBe(true);
    }
    for (const f of ['pic.gif', 'sub/data.bin']) {
      expect(readFileSync(path.join(out, f)).equals(readFileSync(path.join(root, f))), f).toBe(true);
    }
    for (const [selector, file] of [['/', 'gophermap'], ['/sub/', 'sub/gophermap'], ['/docs/', 'docs/gophermap']] as const) {
      const sent = (await gopherRaw(port, `${selector}\r\n`)).toString('utf8').split('\r\n').filter((l) => l !== '' && l !== '.');
      // What gophernicus sent, with its own host and port left out: the copy links to wherever it is served.
      const expected = sent.map((l) => l.replace(new RegExp(`\\t127\\.0\\.0\\.1\\t${port}$`), ''));
      expect(readFileSync(path.join(out, file), 'utf8').split('\n').slice(0, -1), selector).toEqual(expected);
      expect(expected.length).toBeGreaterThan(2);
    }
    expect(readFileSync(path.join(out, 'docs/gophermap'), 'utf8')).toContain('1Elsewhere\t/\texample.org\t70\n');

    // Nothing changed on the server: the next run fetches again (gophernicus offers no list of versions) but writes nothing.
    const again = await runMirror([`gopher://127.0.0.1:${port}/`, '--out', out, '--delay', '0']);
    expect(again.code).toBe(0);
    expect(summaryCounts(again.stdout)).toMatchObject({ new: 0, changed: 0, unchanged: 7, errors: 0 });
  });
});
