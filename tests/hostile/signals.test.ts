import { createHash, randomBytes } from 'node:crypto';
import { cpSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, everyWorkerServing, startCli } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import { exchange, send, waitFor } from './net.js';

const FIXTURES = path.join(REPO, 'tests/fixtures/archive');
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const exited = (proc: import('node:child_process').ChildProcess): Promise<number | null> =>
  new Promise((resolve) => (proc.exitCode !== null ? resolve(proc.exitCode) : proc.once('exit', (code) => resolve(code))));

describe('SIGTERM: stop accepting, finish what is in flight, exit 0', () => {
  const content = tempDir('gopherpress-term-', FIXTURES);
  const SIZE = 32 * 1024 * 1024;
  writeFileSync(path.join(content, 'big.bin'), randomBytes(SIZE));

  it('finishes a download in flight while refusing new connections, then exits 0', async () => {
    const server = await startCli(['serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--no-watch', '--shutdown-grace', '30']);
    await everyWorkerServing(server);
    const file = readFileSync(path.join(content, 'big.bin'));
    const idle = net.connect({ port: server.port, host: '127.0.0.1' });
    const idleClosed = new Promise<void>((r) => idle.on('close', () => r()).on('error', () => {}));
    const download = new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      let got = 0;
      let signalled = false;
      const s = net.connect({ port: server.port, host: '127.0.0.1' }, () => s.write('/big.bin\r\n'));
      s.on('data', (d) => {
        chunks.push(d);
        got += d.length;
        if (!signalled && got > 1024 * 1024) {
          signalled = true;
          // Stall the reader so the transfer is surely in flight while the server shuts down.
          s.pause();
          server.proc.kill('SIGTERM');
          setTimeout(() => s.resume(), 1000);
        }
      });
      s.on('close', () => resolve(Buffer.concat(chunks)));
      s.on('error', () => {});
    });
    await waitFor('new connections to be refused', async () => {
      const r = await new Promise<string>((resolve) => {
        const s = net.connect({ port: server.port, host: '127.0.0.1' });
        s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
        s.on('connect', () => {
          s.destroy();
          resolve('connected');
        });
      });
      return r === 'ECONNREFUSED';
    }, 10_000);
    await idleClosed; // a connection that asks for nothing is closed after a moment, not after the grace
    const data = await download;
    expect(data.length).toBe(SIZE);
    expect(sha(data)).toBe(sha(file));
    expect(await exited(server.proc)).toBe(0);
  }, 60_000);

  it('gives up on requests in flight after --shutdown-grace and still exits 0', async () => {
    const server = await startCli(['serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--no-watch', '--shutdown-grace', '1']);
    await everyWorkerServing(server);
    const s = net.connect({ port: server.port, host: '127.0.0.1' }, () => s.write('/big.bin\r\n'));
    s.pause(); // never reads: would hold the server for the idle timeout (60 s) without the grace limit
    s.on('error', () => {});
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    server.proc.kill('SIGTERM');
    expect(await exited(server.proc)).toBe(0);
    expect(Date.now() - started).toBeLessThan(8000);
    s.destroy();
  }, 30_000);
});

describe('SIGHUP: reload the configuration and rescan content/', () => {
  it('picks up added, removed and changed articles, reloads settings, and reopens the log file', async () => {
    const base = tempDir('gopherpress-hup-');
    const content = path.join(base, 'content');
    cpSync(FIXTURES, content, { recursive: true });
    const config = path.join(base, 'gopherpress.json');
    const logFile = path.join(base, 'access.log');
    writeFileSync(config, JSON.stringify({ content, hostname: '127.0.0.1', bind: '127.0.0.1', watch: false, logFile }));
    // One process: the per-address cap checked below is each worker's own (README, --workers), so with
    // several the 4th connection may reach one that holds none. SIGHUP through a cluster: tls.test.ts.
    const server = await startCli(['serve', '--config', config, '--port', '0', '--workers', '1']);
    try {
      const ask = async (sel: string): Promise<string> => (await exchange(server.port, send(`${sel}\r\n`))).data.toString('utf8');
      const article = readFileSync(path.join(content, 'Energiewende-Kurz/!1000001.txt'), 'utf8');
      writeFileSync(path.join(content, 'Energiewende-Kurz/!1000009.txt'), article.replace('Energiewende: Wind', 'Neu: Gezeiten'));
      rmSync(path.join(content, 'notes'), { recursive: true });
      writeFileSync(path.join(content, '2025/05/01/!1000002.txt'), readFileSync(path.join(content, '2025/05/01/!1000002.txt'), 'utf8') + '\n       Nachtrag.\n');
      expect(await ask('/!1000009')).toMatch(/^3/); // no watcher: not there until the rescan
      // The line is written when the connection closes on the server's side, which may come after the
      // client has its answer: wait for it, then rotate the log as logrotate would, and SIGHUP.
      await waitFor('the request logged', () => /gopher "\/!1000009" 3 /.test(readFileSync(logFile, 'utf8')));
      renameSync(logFile, logFile + '.1');
      writeFileSync(config, JSON.stringify({ content, hostname: '127.0.0.1', bind: '127.0.0.1', watch: false, logFile, maxConnectionsPerIp: 3, upstream: 'example.org:70' }));
      server.proc.kill('SIGHUP');
      await waitFor('the reload', () => server.output.join('').includes('reloaded: 3 articles'), 15_000);
      expect(server.output.join('')).toContain('reload: "upstream" changed; it takes effect on restart');
      expect(await ask('/!1000009')).toContain('Neu: Gezeiten');
      expect(await ask('/notes/notizen')).toMatch(/^3/);
      expect(await ask('/!1000002.txt')).toContain('Nachtrag.');
      // The rotated file has the old lines; the reopened one gets the new ones, with item types.
      expect(readFileSync(logFile + '.1', 'utf8')).toMatch(/ gopher "\/!1000009" 3 \d+ [\d.]+ms error\n/);
      await waitFor('a line in the new log', () => /gopher "\/!1000002\.txt" 0 \d+ [\d.]+ms ok\n/.test(readFileSync(logFile, 'utf8')));
      // The new per-address cap applies: 3 held connections, the 4th is refused.
      const held = Array.from({ length: 3 }, () => net.connect({ port: server.port, host: '127.0.0.1' }).on('error', () => {}));
      try {
        await new Promise((r) => setTimeout(r, 300));
        expect(await ask('/')).toMatch(/^3Too many connections from your address/);
      } finally {
        for (const s of held) s.destroy();
      }
      // A broken config file on reload keeps the server as it was.
      writeFileSync(config, '{ not json');
      server.proc.kill('SIGHUP');
      await waitFor('the failed reload', () => server.output.join('').includes('keeping the old configuration'), 15_000);
      await waitFor('the server to answer again', async () => (await ask('/!1000009')).includes('Neu: Gezeiten'));
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 60_000);
});
