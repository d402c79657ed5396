import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App, type Logs } from '../../src/app.js';
import { DEFAULTS } from '../../src/config.js';
import type { AccessRecord } from '../../src/server/access-log.js';
import { DEFAULT_LIMITS } from '../../src/server/limits.js';
import { REPO, curl, menuLines } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import { exchange, isErrorMenu, send, waitFor } from './net.js';

const BIG = 48 * 1024 * 1024;

/** Connect from `localAddress`, send nothing, and collect what the server says before it closes. */
function connectAndRead(port: number, localAddress: string): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s = net.connect({ port, host: '127.0.0.1', localAddress });
    s.on('data', (d) => chunks.push(d)).on('close', () => resolve(Buffer.concat(chunks))).on('error', () => {});
  });
}

describe('hostile request lines, slow clients and connection caps', () => {
  const content = tempDir('gopherpress-limits-', path.join(REPO, 'tests/fixtures/archive'));
  const records: AccessRecord[] = [];
  const logs: Logs = { access: (r) => records.push(r), info: () => {}, error: () => {} };
  let app: App;
  let root: Buffer;

  beforeAll(async () => {
    writeFileSync(path.join(content, 'big.bin'), randomBytes(BIG));
    app = await startApp(
      {
        ...DEFAULTS, content, port: 0, bind: '127.0.0.1', hostname: '127.0.0.1', watch: false, http: false, // the fallback page, not the web view
        limits: { ...DEFAULT_LIMITS, requestTimeoutMs: 1500, idleTimeoutMs: 1500, maxConnectionsPerIp: 8, maxConnections: 12 },
      },
      logs,
    );
    await app.writer?.fullTextReady;
    root = (await exchange(app.port, send('/\r\n'))).data;
    expect(root.toString('latin1')).toContain('NEWEST ARTICLES');
  });
  afterAll(() => app.close());

  it('answers a selector over the 4 KB limit with "Request too long" and closes', async () => {
    const r = await exchange(app.port, send('/' + 'a'.repeat(DEFAULT_LIMITS.maxRequestBytes + 1) + '\r\n'));
    expect(r.end).toBe('close');
    expect(r.data.toString('latin1')).toMatch(/^3Request too long\t/);
    expect(isErrorMenu(r.data)).toBe(true);
  });

  it('stops reading an endless line after the limit: a 64 MB upload is cut off, not buffered', async () => {
    let written = 0;
    const r = await exchange(app.port, (s) => {
      const chunk = Buffer.alloc(64 * 1024, 0x41);
      const pump = (): void => {
        while (written < 64 * 1024 * 1024 && !s.destroyed) {
          written += chunk.length;
          if (!s.write(chunk)) return void s.once('drain', pump);
        }
      };
      s.on('error', () => {});
      pump();
    }, 10_000);
    expect(r.end).not.toBe('timeout');
    expect(r.data.toString('latin1')).toMatch(/^3Request too long\t/);
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it('times out a request line that never ends (no CR LF, connection left open)', async () => {
    const r = await exchange(app.port, send('/notes/notizen'), 10_000);
    expect(r.ms).toBeGreaterThanOrEqual(1400);
    expect(r.ms).toBeLessThan(6000);
    expect(r.data.toString('latin1')).toMatch(/^3Request timed out\t/);
  });

  it('answers a selector with no line end when the client half-closes', async () => {
    const r = await exchange(app.port, (s) => s.end('/'));
    expect(r.data).toEqual(root);
  });

  it('times out a slowloris client sending one byte a second: trickling does not extend the deadline', async () => {
    const r = await exchange(app.port, (s) => {
      const timer = setInterval(() => (s.destroyed ? clearInterval(timer) : s.write('a')), 1000);
      s.on('close', () => clearInterval(timer));
      s.on('error', () => {});
    }, 15_000);
    expect(r.end).not.toBe('timeout');
    expect(r.ms).toBeLessThan(6000);
    expect(r.data.toString('latin1')).toMatch(/^3Request timed out\t/);
  });

  it('drops a slow reader: a client that reads nothing of a 48 MB file is cut after the idle timeout', async () => {
    const before = records.length;
    const s = net.connect({ port: app.port, host: '127.0.0.1' }, () => s.write('/big.bin\r\n'));
    s.pause(); // never read
    s.on('error', () => {});
    try {
      await waitFor('the server to give up on the slow reader', () => records.slice(before).some((r) => r.selector === '/big.bin'), 20_000);
      const rec = records.slice(before).find((r) => r.selector === '/big.bin')!;
      expect(rec.status).toBe('idle-timeout');
      // Backpressure: what was handed to the socket is a few buffers' worth, never the whole file.
      expect(rec.bytes).toBeLessThan(BIG / 2);
      await waitFor('no connections left', () => app.gopher.connections === 0);
    } finally {
      s.destroy();
    }
  });

  it('answers binary garbage (no line end, then half-close) with a type-3 line', async () => {
    const garbage = Buffer.from(randomBytes(2000).filter((b) => b !== 0x0a && b !== 0x16));
    const r = await exchange(app.port, (s) => s.end(garbage));
    expect(isErrorMenu(r.data), r.data.toString('latin1')).toBe(true);
  });

  it('answers any random request line with a valid menu, text or type-3 line, and keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (bytes) => {
        const line = Buffer.concat([Buffer.from(bytes.filter((b) => b !== 0x0a)), Buffer.from('\r\n')]);
        const r = await exchange(app.port, send(line), 8000);
        expect(r.end).toBe('close');
        // A first byte 0x16 is a TLS ClientHello; with no certificate configured the server just closes.
        if (line[0] === 0x16) return void expect(r.data.length).toBe(0);
        const text = r.data.toString('latin1');
        if (text.startsWith('HTTP/1.1 200')) return; // the line happened to start like an HTTP request
        // Every menu line has four fields and the menu ends with the lone dot.
        expect(text.endsWith('.\r\n')).toBe(true);
        for (const fields of menuLines(text)) expect(fields.length).toBe(4);
      }),
      { numRuns: 60 },
    );
    expect((await exchange(app.port, send('/\r\n'))).data).toEqual(root);
  });

  it('treats many TABs as a plain request for the selector before them', async () => {
    const r = await exchange(app.port, send('/' + '\t'.repeat(3000) + '\r\n'));
    expect(r.data).toEqual(root);
  });

  it('answers a huge search query (just under the limit) in bounded time', async () => {
    const query = 'Energiewende '.repeat(300).slice(0, DEFAULT_LIMITS.maxRequestBytes - 16);
    const r = await exchange(app.port, send(`/search\t${query}\r\n`), 10_000);
    expect(r.end).toBe('close');
    expect(r.data.toString('latin1')).toMatch(/\r\n\.\r\n$/);
  });

  it('answers Gopher+ requests (TAB +, TAB !) as a plain gopher server, TAB $ with +INFO blocks for the UMN client', async () => {
    for (const plus of ['+', '!', '+application/gopher-menu']) {
      expect((await exchange(app.port, send(`/\t${plus}\r\n`))).data).toEqual(root);
    }
    // Debian's `gopher` opens a menu with TAB $ and shows nothing unless it gets +-1 and +INFO lines.
    const dollar = (await exchange(app.port, send('/\t$\r\n'))).data.toString('latin1');
    expect(dollar.startsWith('+-1\r\n+INFO: i')).toBe(true);
    expect(dollar.endsWith('\r\n.\r\n')).toBe(true);
    const article = (await exchange(app.port, send('/!1000001\r\n'))).data;
    expect((await exchange(app.port, send('/!1000001\t+\r\n'))).data).toEqual(article);
    expect((await exchange(app.port, send('/search\tEnergiewende\t+\r\n'))).data).toEqual(
      (await exchange(app.port, send('/search\tEnergiewende\r\n'))).data,
    );
  });

  it('answers an HTTP request on the gopher port with a page that links to gopher://', async () => {
    const r = await exchange(app.port, send('GET /notes/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: test\r\n\r\n'));
    const text = r.data.toString('utf8');
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text).toContain('Content-Type: text/html; charset=utf-8');
    expect(text).toContain(`href="gopher://127.0.0.1:${app.port}/1/notes/"`);
    expect(text).toContain('This is a gopher server');
  });

  it('answers curl speaking HTTP, and HEAD without a body', async () => {
    const r = await curl(['-i', `http://127.0.0.1:${app.port}/`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`gopher://127.0.0.1:${app.port}`);
    const head = await curl(['-I', `http://127.0.0.1:${app.port}/`]);
    expect(head.stdout).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(head.stdout).not.toContain('<html');
  });

  it('never hangs on an HTTP request line whose headers never end', async () => {
    const r = await exchange(app.port, send('GET / HTTP/1.1\r\n'), 10_000);
    expect(r.end).not.toBe('timeout');
    expect(r.data.toString('utf8')).toMatch(/^HTTP\/1\.1 200 OK/);
  });

  it('closes a TLS ClientHello when no certificate is configured, without an answer', async () => {
    const r = await exchange(app.port, send(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5])));
    expect(r.end).not.toBe('timeout');
    expect(r.data.length).toBe(0);
  });

  it('caps connections per address, and other addresses are still served', async () => {
    const held: net.Socket[] = [];
    try {
      for (let i = 0; i < 8; i++) {
        const s = net.connect({ port: app.port, host: '127.0.0.1', localAddress: '127.0.0.9' });
        s.on('error', () => {});
        held.push(s);
      }
      await waitFor('8 connections held', () => app.gopher.connections >= 8);
      const refused = await connectAndRead(app.port, '127.0.0.9');
      expect(refused.toString('latin1')).toMatch(/^3Too many connections from your address/);
      expect((await exchange(app.port, send('/\r\n'))).data).toEqual(root);
    } finally {
      for (const s of held) s.destroy();
    }
    await waitFor('held connections closed', () => app.gopher.connections === 0);
  });

  it('counts an address from its first connection, also those opened before the server began counting', async () => {
    // Addresses are counted only from `maxConnectionsPerIp` open connections on (8 here): six from A
    // and two from B start the counting, and A's six must already be in it.
    const held: net.Socket[] = [];
    const hold = (localAddress: string): void => {
      const s = net.connect({ port: app.port, host: '127.0.0.1', localAddress });
      s.on('error', () => {});
      held.push(s);
    };
    try {
      for (let i = 0; i < 6; i++) hold('127.0.2.1');
      for (let i = 0; i < 2; i++) hold('127.0.2.2');
      await waitFor('8 connections held', () => app.gopher.connections >= 8);
      for (let i = 0; i < 2; i++) hold('127.0.2.1');
      await waitFor('10 connections held', () => app.gopher.connections >= 10);
      const refused = await connectAndRead(app.port, '127.0.2.1');
      expect(refused.toString('latin1')).toMatch(/^3Too many connections from your address/);
    } finally {
      for (const s of held) s.destroy();
    }
    await waitFor('held connections closed', () => app.gopher.connections === 0);
  });

  it('closes an answered connection whose client never closes its side, after the idle timeout', async () => {
    const s = net.connect({ port: app.port, host: '127.0.0.1', allowHalfOpen: true }, () => s.write('/\r\n'));
    s.on('error', () => {});
    const chunks: Buffer[] = [];
    let serverEnded = false;
    s.on('data', (d) => chunks.push(d));
    s.on('end', () => (serverEnded = true)); // the server's FIN; we keep our side open (allowHalfOpen)
    try {
      await waitFor('the answer and the server\'s FIN', () => serverEnded);
      expect(Buffer.concat(chunks)).toEqual(root);
      expect(app.gopher.connections).toBe(1); // waiting for our FIN
      const t0 = Date.now();
      await waitFor('the server to drop the half-closed connection', () => app.gopher.connections === 0, 10_000);
      expect(Date.now() - t0).toBeLessThan(6000);
    } finally {
      s.destroy();
    }
  });

  it('caps connections in total with a "busy" line', async () => {
    const held: net.Socket[] = [];
    try {
      for (let i = 0; i < 12; i++) {
        const s = net.connect({ port: app.port, host: '127.0.0.1', localAddress: `127.0.1.${i + 1}` });
        s.on('error', () => {});
        held.push(s);
      }
      await waitFor('12 connections held', () => app.gopher.connections >= 12);
      const r = await exchange(app.port, send('/\r\n'));
      expect(r.data.toString('latin1')).toMatch(/^3Server busy; try again later\t/);
    } finally {
      for (const s of held) s.destroy();
    }
    await waitFor('held connections closed', () => app.gopher.connections === 0);
    expect((await exchange(app.port, send('/\r\n'))).data).toEqual(root);
  });
});
