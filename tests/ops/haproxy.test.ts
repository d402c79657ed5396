import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/lib/fetch.js';
import { REPO, startCli, type CliServer } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import { makeCert } from '../helpers/tls-cert.js';
import { exchange, send, waitFor } from '../hostile/net.js';

const FIXTURES = path.join(REPO, 'tests/fixtures/archive');
const PER_IP = 2;

/** One request from `localAddress` (a loopback address of the client's choosing), read to the end. */
function askFrom(localAddress: string, port: number, line: string, secure = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const tcp = net.connect({ host: '127.0.0.1', port, localAddress }, () => secure || tcp.write(`${line}\r\n`));
    // A self-signed certificate: what is checked here is who the server thinks we are, not who it is.
    const s = secure ? tls.connect({ socket: tcp, rejectUnauthorized: false }, () => s.write(`${line}\r\n`)) : tcp;
    const timer = setTimeout(() => s.destroy(new Error(`no answer to ${line} within 10 s`)), 10_000);
    s.on('data', (d: Buffer) => chunks.push(d));
    s.on('error', reject);
    s.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/** A connection from `localAddress` that sends half a request and holds on; resolves with what came back within `ms`. */
function holdFrom(localAddress: string, port: number, ms: number): Promise<{ socket: net.Socket; got: string }> {
  return new Promise((resolve) => {
    let got = '';
    const socket = net.connect({ host: '127.0.0.1', port, localAddress }, () => socket.write('/'));
    socket.on('data', (d: Buffer) => (got += d.toString('utf8')));
    socket.on('error', () => {});
    setTimeout(() => resolve({ socket, got }), ms);
  });
}

describe('behind HAProxy (deploy/haproxy.cfg, PROXY protocol v2)', () => {
  const dir = tempDir('gopherpress-haproxy-');
  const contents = ['gp1', 'gp2'].map((name) => ({ name, content: tempDir(`gopherpress-haproxy-${name}-`, FIXTURES) }));
  const replicas: { server: CliServer; log: string }[] = [];
  let haproxy: ChildProcess;
  let front: number;

  beforeAll(async () => {
    const { cert, key } = makeCert(dir, 'cert', 'gopherpress-haproxy');
    for (const { name, content } of contents) {
      const log = path.join(dir, `${name}.log`);
      const server = await startCli(['serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--no-watch', '--workers', '1',
        '--trusted-proxy', '127.0.0.1', '--max-connections-per-ip', String(PER_IP), '--log-file', log, '--tls-cert', cert, '--tls-key', key]);
      replicas.push({ server, log });
    }
    front = await freePort();
    // The shipped config, moved to loopback ports.
    const cfg = readFileSync(path.join(REPO, 'deploy/haproxy.cfg'), 'utf8')
      .replace(/^\s*bind :::70 v6only\n/m, '')
      .replace('bind :70', `bind 127.0.0.1:${front}`)
      .replace('127.0.0.1:7071', `127.0.0.1:${replicas[0]!.server.port}`)
      .replace('127.0.0.1:7072', `127.0.0.1:${replicas[1]!.server.port}`);
    const cfgFile = path.join(dir, 'haproxy.cfg');
    writeFileSync(cfgFile, cfg);
    haproxy = spawn('haproxy', ['-db', '-f', cfgFile], { stdio: 'ignore' });
    // Both replicas answering HAProxy's health checks (each a PROXY header, then `/`).
    await waitFor('health checks on both replicas', () => replicas.every((r) => / 127\.0\.0\.1 gopher "\/" 1 \d+ [\d.]+ms ok$/m.test(readOrEmpty(r.log))), 15_000);
  }, 60_000);

  afterAll(async () => {
    if (haproxy && haproxy.exitCode === null) {
      const exited = new Promise((r) => haproxy.once('exit', r));
      haproxy.kill('SIGTERM');
      await exited;
    }
    for (const r of replicas) await r.server.stop();
  });

  const readOrEmpty = (file: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return '';
    }
  };
  const logs = (): string => replicas.map((r) => readOrEmpty(r.log)).join('');

  it('logs a client connecting from 127.0.0.2 as 127.0.0.2, over gopher and over TLS', async () => {
    expect(await askFrom('127.0.0.2', front, '/about')).toMatch(/^i.*\r\n/);
    await waitFor('its line in a replica log', () => / 127\.0\.0\.2 gopher "\/about" 1 \d+ [\d.]+ms ok$/m.test(logs()), 5000);
    // TLS is sniffed after the header: the first byte the client sent, not the proxy's.
    expect(await askFrom('127.0.0.2', front, '/about', true)).toMatch(/^i.*\r\n/);
    await waitFor('its gophers line', () => / 127\.0\.0\.2 gophers "\/about" 1 \d+ [\d.]+ms ok$/m.test(logs()), 5000);
    expect(logs()).not.toMatch(/ 127\.0\.0\.1 gophers? "\/about"/);
  });

  it("counts a client's connections under its own address: 127.0.0.3 is served while 127.0.0.2 is at its cap", async () => {
    const held: net.Socket[] = [];
    try {
      let refused: string | undefined;
      // Two replicas, PER_IP each: by the fifth connection one replica holds more than PER_IP from 127.0.0.2.
      for (let i = 0; i < 2 * PER_IP + 1 && refused === undefined; i++) {
        const h = await holdFrom('127.0.0.2', front, 700);
        held.push(h.socket);
        if (h.got !== '') refused = h.got;
      }
      expect(refused).toMatch(/^3Too many connections from your address; try again later\t/);
      expect(await askFrom('127.0.0.3', front, '/about')).toMatch(/^i.*\r\n/);
      await waitFor('the refusal logged for 127.0.0.2', () => / 127\.0\.0\.2 gopher "" 3 \d+ [\d.]+ms busy$/m.test(logs()), 5000);
    } finally {
      for (const s of held) s.destroy();
    }
  });

  it('a replica refuses a PROXY header from an address it does not trust, and a trusted one without its header', async () => {
    const port = replicas[0]!.server.port;
    const spoof = await exchange(port, send('PROXY TCP4 203.0.113.9 127.0.0.1 5555 70\r\n/\r\n'), 5000, '127.0.0.1');
    // From 127.0.0.1 that is a valid header: answered, and logged under the address it names.
    expect(spoof.data.toString('utf8')).toMatch(/^i/);
    await waitFor('the named client in the log', () => / 203\.0\.113\.9 gopher "\/" 1 /m.test(readOrEmpty(replicas[0]!.log)), 5000);
    const untrusted = await new Promise<string>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port, localAddress: '127.0.0.2' }, () => s.write('PROXY TCP4 203.0.113.9 127.0.0.1 5555 70\r\n/\r\n'));
      let got = '';
      s.on('data', (d: Buffer) => (got += d.toString('utf8')));
      s.on('close', () => resolve(got));
    });
    expect(untrusted).toMatch(/^3Bad request: a PROXY protocol header from an address not in --trusted-proxy\t/);
    const headerless = await exchange(port, send('/\r\n'), 5000, '127.0.0.1');
    expect(headerless.data.toString('utf8')).toMatch(/^3Bad request: not a PROXY protocol header\t/);
  });
});
