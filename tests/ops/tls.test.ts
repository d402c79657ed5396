import { spawn } from 'node:child_process';
import { cpSync, renameSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, everyWorkerServing, curl, runCli, startCli, type CliServer } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import { makeCert } from '../helpers/tls-cert.js';
import { exchange, send, waitFor } from '../hostile/net.js';

/** `openssl s_client` as a client: send one request line, return what the server answered and the peer subject. */
function sClient(port: number, request: string, ca: string): Promise<{ body: string; subject: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-CAfile', ca, '-verify_return_error', '-ign_eof'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', () => {});
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`openssl s_client timed out: ${out}`));
    }, 15_000);
    p.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`openssl s_client exited ${code}: ${out}`));
      const subject = /^subject=(.*)$/m.exec(out)?.[1] ?? '';
      // s_client prints the session details around the server's bytes; the answer is in there whole.
      resolve({ body: out, subject });
    });
    p.stdin.end(request);
  });
}

describe('TLS: gophers:// with Node tls', () => {
  const dir = tempDir('gopherpress-tls-');
  const content = path.join(dir, 'content');
  let server: CliServer;
  let tlsPort: number;
  let first: { cert: string; key: string };

  beforeAll(async () => {
    cpSync(path.join(REPO, 'tests/fixtures/archive'), content, { recursive: true });
    first = makeCert(dir, 'first', 'gopherpress-first');
    server = await startCli(['serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--no-watch',
      '--tls-cert', first.cert, '--tls-key', first.key, '--tls-port', '0']);
    await waitFor('the TLS port', () => /listening on gophers:\/\/[^\s]*:(\d+)\//.test(server.output.join('')));
    tlsPort = Number(/listening on gophers:\/\/[^\s]*:(\d+)\//.exec(server.output.join(''))![1]);
    // Settled: after a cold start with workers the first one hands over, dropping connections that
    // have not sent a request within a second, as any graceful stop does (README, --workers).
    await everyWorkerServing(server);
  });
  afterAll(() => server?.stop());

  it('serves curl gophers:// on the gopher port itself (first byte 0x16) and plain gopher beside it', async () => {
    const tlsMenu = await curl(['--cacert', first.cert, `gophers://127.0.0.1:${server.port}/1/`]);
    expect(tlsMenu.code).toBe(0);
    expect(tlsMenu.stdout).toContain('NEWEST ARTICLES');
    const plain = await curl([`gopher://127.0.0.1:${server.port}/1/`]);
    expect(plain.stdout).toBe(tlsMenu.stdout);
    const text = await curl(['--cacert', first.cert, `gophers://127.0.0.1:${server.port}/0/!1000001.txt`]);
    expect(text.stdout).toContain('# taz.de -- Energiewende');
  });

  it('serves curl gophers:// on --tls-port', async () => {
    const r = await curl(['--cacert', first.cert, `gophers://127.0.0.1:${tlsPort}/1/!1000001`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Energiewende');
  });

  it('serves openssl s_client, which verifies the certificate', async () => {
    const r = await sClient(server.port, '/!1000001.txt\r\n', first.cert);
    expect(r.subject).toContain('gopherpress-first');
    expect(r.body).toContain('# taz.de -- Energiewende');
    await waitFor('a gophers log line', () => /127\.0\.0\.1 gophers "\/!1000001\.txt" 0 \d+/.test(server.output.join('')));
  });

  it('drops a TLS handshake that never completes within the request timeout, without blocking others', async () => {
    const r = await exchange(server.port, send(Buffer.from([0x16, 0x03, 0x01])), 5000);
    expect(r.end).toBe('timeout'); // still waiting for the rest of the hello: bounded by --request-timeout (10 s)
    expect((await curl([`gopher://127.0.0.1:${server.port}/1/`])).stdout).toContain('NEWEST ARTICLES');
  });

  it('reloads the certificate on SIGHUP, on both ports', async () => {
    const second = makeCert(dir, 'second', 'gopherpress-second');
    renameSync(second.cert, first.cert);
    renameSync(second.key, first.key);
    server.proc.kill('SIGHUP');
    await waitFor('the reload', () => server.output.join('').includes('reloaded:'));
    expect((await sClient(server.port, '/\r\n', first.cert)).subject).toContain('gopherpress-second');
    expect((await sClient(tlsPort, '/\r\n', first.cert)).subject).toContain('gopherpress-second');
  });

  it('refuses a missing or mismatched key with one line and exit code 2', async () => {
    const r = await runCli(['serve', '--content', content, '--port', '0', '--tls-cert', first.cert, '--tls-key', path.join(dir, 'none.key')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^gopherpress: cannot read TLS key .*none\.key \(ENOENT\)\n$/);
    const other = makeCert(dir, 'other', 'x');
    const m = await runCli(['serve', '--content', content, '--port', '0', '--tls-cert', first.cert, '--tls-key', other.key]);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('do not work together');
  });
});
