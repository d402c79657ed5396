import { randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, constants, mkdirSync, openSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, startCli, type CliServer } from '../helpers/gopher.js';
import { expectValidMenu } from '../helpers/menu-check.js';
import { tempDir } from '../helpers/tmp.js';
import { exchange, isErrorMenu, send } from './net.js';

/** What an HTTP/1.1 server wrote back, as bytes on the wire. */
interface HttpWire {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly end: string;
}

async function httpGet(port: number, target: string): Promise<HttpWire> {
  const r = await exchange(port, send(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`), 5000);
  const sep = r.data.indexOf('\r\n\r\n');
  expect(sep, `no HTTP head in ${JSON.stringify(r.data.toString('latin1').slice(0, 200))}`).toBeGreaterThan(0);
  const [statusLine, ...lines] = r.data.subarray(0, sep).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines) headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
  return { status: Number(statusLine!.split(' ')[1]), headers, body: r.data.subarray(sep + 4), end: r.end };
}

/**
 * Files that are no longer what the archive recorded, with no watcher to catch up (`--no-watch`): the
 * request path alone must refuse them, on the gopher side and in the web view alike, and never hang.
 */
describe('files that changed under a running server (the built CLI, no watcher)', () => {
  const content = tempDir('gopherpress-unsettled-', path.join(REPO, 'tests/fixtures/archive'));
  // Whole seconds, so a file can be put back exactly as the archive recorded it.
  const T = 1_750_000_000;
  const mapPath = path.join(content, 'maps/gophermap');
  const blob = randomBytes(200 * 1024);
  const notes = 'Notizen zum Archiv\n';
  let cli: CliServer;
  let webPort: number;
  const gopher = (selector: string) => exchange(cli.port, send(`${selector}\r\n`), 5000);

  beforeAll(async () => {
    mkdirSync(path.join(content, 'maps'));
    writeFileSync(mapPath, 'Hand-written map\n0The note\tnote.md\n');
    writeFileSync(path.join(content, 'maps/note.md'), 'x\n');
    mkdirSync(path.join(content, 'files'));
    writeFileSync(path.join(content, 'files/blob.bin'), blob);
    writeFileSync(path.join(content, 'files/notes.md'), notes);
    for (const f of ['files/blob.bin', 'files/notes.md']) utimesSync(path.join(content, f), T, T);
    cli = await startCli(['serve', '--content', content, '--port', '0', '--http-port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--no-watch', '--workers', '1']);
    let port: string | undefined;
    for (let i = 0; i < 100 && port === undefined; i++) {
      port = /web view on http:\/\/127\.0\.0\.1:(\d+)\//.exec(cli.output.join(''))?.[1];
      if (port === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    webPort = Number(port);
  });
  afterAll(async () => {
    await cli?.stop();
  });

  it('answers a folder whose gophermap became a FIFO at once, with the folder listing', async () => {
    const before = await gopher('/maps/');
    expect(before.data.toString('utf8')).toContain('iHand-written map\t');

    rmSync(mapPath);
    execFileSync('mkfifo', [mapPath]);
    try {
      const r = await gopher('/maps/');
      expect(r.end).toBe('close');
      const items = expectValidMenu(r.data, '/maps/').map((f) => f.slice(0, 2).join('\t'));
      // The generated listing, as for any map that can't be read: the folder's files stay reachable.
      expect(items).toEqual(['iFolder /maps\t', 'i\t', '0note.md\t/maps/note.md']);
      // And the server goes on answering.
      expect((await gopher('/maps/note.md')).data.toString('utf8')).toBe('x\n');
    } finally {
      // Should a reader be stuck in open() (the defect this guards against), a writer frees it.
      try {
        closeSync(openSync(mapPath, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // ENXIO: nobody is reading it, as it should be
      }
      rmSync(mapPath);
    }
  });

  it('refuses a file appended to since it was recorded, over HTTP (503, not the longer file) and over gopher (a type-3 line)', async () => {
    const blobPath = path.join(content, 'files/blob.bin');
    const notesPath = path.join(content, 'files/notes.md');
    // As recorded: served whole.
    const ok = await httpGet(webPort, '/9/files/blob.bin');
    expect(ok.status).toBe(200);
    expect(ok.body.equals(blob)).toBe(true);

    const more = Buffer.from('APPENDED-AFTER-THE-SCAN\n');
    appendFileSync(blobPath, more);
    appendFileSync(notesPath, more);
    try {
      for (const target of ['/9/files/blob.bin', '/0/files/notes.md']) {
        const r = await httpGet(webPort, target);
        expect(r.status, target).toBe(503);
        expect(r.headers['retry-after']).toBe('5');
        expect(r.headers['cache-control']).toBe('no-store');
        expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(r.body.toString('utf8')).toContain('File is being updated or unreadable; try again in a moment');
        expect(r.body.includes(more)).toBe(false);
        expect(r.end).toBe('close');
      }
      for (const selector of ['/files/blob.bin', '/files/notes.md']) {
        const r = await gopher(selector);
        expect(isErrorMenu(r.data), selector).toBe(true);
        expect(r.data.toString('latin1')).toMatch(/^3File is being updated or unreadable; try again in a moment\t/);
      }

      // Put back as recorded (size and mtime): served again, so it was the version that was refused.
      truncateSync(blobPath, blob.length);
      truncateSync(notesPath, Buffer.byteLength(notes));
      for (const p of [blobPath, notesPath]) utimesSync(p, T, T);
      const back = await httpGet(webPort, '/0/files/notes.md');
      expect(back.status).toBe(200);
      expect(back.body.toString('utf8')).toBe(notes);
      expect((await gopher('/files/blob.bin')).data.equals(blob)).toBe(true);
    } finally {
      rmSync(blobPath, { force: true });
      rmSync(notesPath, { force: true });
    }
  });
});
