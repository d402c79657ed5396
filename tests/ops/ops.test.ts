import { chmodSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { execFile, spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, REPO, everyWorkerServing, gopher, nobodyCanRunCli, runCli, startCli } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import { within } from '../helpers/wait.js';
import { exchange, send, waitFor } from '../hostile/net.js';

const FIXTURES = path.join(REPO, 'tests/fixtures/archive');
const ask = async (port: number, sel: string, host = '127.0.0.1'): Promise<string> =>
  (await exchange(port, send(`${sel}\r\n`), 10_000, host)).data.toString('utf8');

describe('config file', () => {
  const base = tempDir('gopherpress-config-');
  const content = path.join(base, 'content');
  cpSync(FIXTURES, content, { recursive: true });

  it('takes settings from the file, and command-line flags win over it', async () => {
    const file = path.join(base, 'gopherpress.json');
    writeFileSync(file, JSON.stringify({ content, port: 0, bind: '127.0.0.1', hostname: 'from-file', upstream: 'up.example:7070', watch: false, quiet: true }));
    const server = await startCli(['serve', '--config', file, '--hostname', 'from-cli']);
    try {
      const root = await ask(server.port, '/');
      expect(root).toContain(`\tfrom-cli\t${server.port}\r\n`);
      expect(root).not.toContain('from-file');
      expect(await ask(server.port, '/!1000001')).toContain('\tup.example\t7070\r\n');
      await new Promise((r) => setTimeout(r, 200));
      expect(server.output.join('')).not.toMatch(/ gopher "\/"/); // quiet: true from the file
    } finally {
      await server.stop();
    }
  });

  it('refuses a bad file with one line and exit code 2', async () => {
    const file = path.join(base, 'bad.json');
    writeFileSync(file, JSON.stringify({ content, prot: 70 }));
    const r = await runCli(['serve', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^gopherpress: .*bad\.json: unknown setting "prot"/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('check-config says ok with the settings, or lists every problem with exit code 2', async () => {
    const good = path.join(base, 'good.json');
    writeFileSync(good, JSON.stringify({ content, port: 7070, maxConnectionsPerIp: 16, requestTimeout: 2.5, user: 'nobody' }));
    const ok = await runCli(['check-config', good]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('good.json: ok');
    expect(ok.stdout).toContain('requestTimeout = 2500');
    const bad = path.join(base, 'bad2.json');
    writeFileSync(bad, JSON.stringify({ content: path.join(base, 'nope'), port: 'seventy', tlsCert: 'x.pem', user: 'no-such-user-here' }));
    const r = await runCli(['check-config', bad]);
    expect(r.code).toBe(2);
    for (const p of ['"port": expected a port number', 'content folder', 'TLS needs both', 'no such user: no-such-user-here']) expect(r.stderr).toContain(p);
    const missing = await runCli(['check-config', path.join(base, 'absent.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read config file');
  });
});

describe('--trusted-proxy', () => {
  const base = tempDir('gopherpress-trusted-');

  it('takes addresses and CIDR blocks on the command line and in the config file; anything else is a usage error', async () => {
    const bad = await runCli(['serve', '--trusted-proxy', '10.0.0.0/8,haproxy.local']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"haproxy.local" is not an IPv4 or IPv6 address or CIDR block');
    const good = path.join(base, 'good.json');
    writeFileSync(good, JSON.stringify({ content: base, trustedProxy: '127.0.0.1, 10.0.0.0/8,::1' }));
    const ok = await runCli(['check-config', good]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('trustedProxy = ["127.0.0.1","10.0.0.0/8","::1"]');
    const wrong = path.join(base, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ content: base, trustedProxy: '10.0.0.0/40' }));
    const r = await runCli(['check-config', wrong]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"trustedProxy": "10.0.0.0/40" is not an IPv4 or IPv6 address or CIDR block');
  });
});

describe('logs', () => {
  const content = tempDir('gopherpress-logs-', FIXTURES);

  it('writes one documented line per request, with the item type, to --log-file; errors to stderr', async () => {
    // Outside content/, in a folder of its own that is removed with the others.
    const logFile = path.join(tempDir('gopherpress-log-'), 'access.log');
    const server = await startCli(['serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--no-watch', '--log-file', logFile]);
    try {
      await ask(server.port, '/');
      await ask(server.port, '/!1000001.txt');
      await ask(server.port, '/Energiewende-Kurz/!1000001.gif');
      await ask(server.port, '/nope');
      const line = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z 127\.0\.0\.1 gopher "([^"]*)" (\S) (\d+) [\d.]+ms (\S+)$/;
      await waitFor('four log lines', () => readFileSync(logFile, 'utf8').trim().split('\n').length >= 4);
      const rows = readFileSync(logFile, 'utf8').trim().split('\n').map((l) => line.exec(l)?.slice(1, 5).filter((_, i) => i !== 2));
      expect(rows).toEqual([['/', '1', 'ok'], ['/!1000001.txt', '0', 'ok'], ['/Energiewende-Kurz/!1000001.gif', 'g', 'ok'], ['/nope', '3', 'error']]);
      expect(server.output.join('')).not.toContain('gopher "/"'); // not on stdout
    } finally {
      await server.stop();
    }
  });

  it('--quiet: no access lines at all', async () => {
    const server = await startCli(['serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--no-watch', '--quiet']);
    try {
      // The workers and the full-text process start side by side: both lines come, in either order.
      const workers = os.availableParallelism();
      const text = 'full text indexed: 3 articles in [\\d.]+ s\\n';
      const serving = `${workers} workers serving\\n`;
      if (workers > 1) await within(10_000, 'every worker serving', async () => server.output.join('').includes('workers serving'));
      await ask(server.port, '/');
      await new Promise((r) => setTimeout(r, 200));
      // The start-up lines, and no access line.
      const startup = workers > 1 ? `(?:${text}${serving}|${serving}${text})` : text;
      expect(server.output.join('')).toMatch(new RegExp(`^listening on gopher://127\\.0\\.0\\.1:${server.port}/\\n${startup}$`));
    } finally {
      await server.stop();
    }
  });
});

describe('IPv6', () => {
  const content = tempDir('gopherpress-v6-', FIXTURES);

  it('--bind :: serves clients on ::1 (and IPv4 through the dual stack)', async () => {
    const server = await startCli(['serve', '--content', content, '--port', '0', '--bind', '::', '--hostname', 'localhost', '--no-watch']);
    try {
      expect(await ask(server.port, '/', '::1')).toContain('NEWEST ARTICLES');
      expect(await ask(server.port, '/', '127.0.0.1')).toContain('NEWEST ARTICLES');
      await waitFor('the log line for ::1', () => server.output.join('').includes(' ::1 gopher "/" 1 '));
    } finally {
      await server.stop();
    }
  });
});

describe('systemd socket activation', () => {
  const content = tempDir('gopherpress-activate-', FIXTURES);

  it('serves on the socket passed as fd 3 with LISTEN_FDS/LISTEN_PID, as gopherpress.socket does', async () => {
    // The listening socket is made here, as systemd would; its fd becomes the child's fd 3.
    const listener = net.createServer();
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', () => r()));
    const port = (listener.address() as net.AddressInfo).port;
    // _handle.fd: Node keeps the descriptor of a listening TCP handle there on POSIX; no public API exposes it.
    const fd = (listener as unknown as { _handle: { fd: number } })._handle.fd;
    // LISTEN_PID must be the server's own pid: the shell sets it to $$, then exec keeps that pid.
    const proc = spawn('sh', ['-c', `LISTEN_PID=$$ LISTEN_FDS=1 exec "${process.execPath}" "${CLI}" serve --content "${content}" --hostname 127.0.0.1 --no-watch --port 1`], {
      stdio: ['ignore', 'pipe', 'pipe', fd],
    });
    let out = '';
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (out += d));
    try {
      await waitFor('the server to start', () => out.includes('listening on'), 15_000);
      // The port comes from the inherited socket, not from --port.
      expect(out).toContain(`listening on gopher://127.0.0.1:${port}/`);
      listener.close(); // our copy: from now on only the server can accept
      const menu = await ask(port, '/');
      expect(menu).toContain('NEWEST ARTICLES');
      expect(menu).toContain(`\t127.0.0.1\t${port}\r\n`);
    } finally {
      proc.kill('SIGTERM');
      listener.close();
    }
  });
});

/** The CLI as the unprivileged user nobody (the caller is root), bounded in time. */
function runAsNobody(args: string[]): Promise<{ stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', '--', process.execPath, CLI, ...args], { timeout: 15000 }, (err, _stdout, stderr) => {
      resolve({ stderr, code: err ? (typeof err.code === 'number' ? err.code : 1) : 0 });
    });
  });
}

describe('privileges', () => {
  const base = tempDir('gopherpress-user-');
  const content = path.join(base, 'content');
  cpSync(FIXTURES, content, { recursive: true });
  const isRoot = process.getuid?.() === 0;

  it.runIf(isRoot)('binds as root, then runs as --user nobody --group nogroup; files it cannot read are "unavailable"', async () => {
    chmodSync(base, 0o755);
    const server = await startCli(['serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--no-watch', '--user', 'nobody', '--group', 'nogroup', '--workers', '3']);
    try {
      const status = readFileSync(`/proc/${server.proc.pid}/status`, 'latin1');
      expect(status).toMatch(/^Uid:\s+65534\s+65534\s+65534\s+65534$/m);
      expect(status).toMatch(/^Gid:\s+65534\s+65534\s+65534\s+65534$/m);
      expect(status).toMatch(/^Groups:\s*65534\s*$/m);
      // Every worker, the first (forked as root, then giving it up) and those forked after the primary gave it up.
      await everyWorkerServing(server);
      const workers = readFileSync(`/proc/${server.proc.pid}/task/${server.proc.pid}/children`, 'latin1').trim().split(/\s+/).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('main.js'));
      expect(workers).toHaveLength(3);
      for (const pid of workers) expect(readFileSync(`/proc/${pid}/status`, 'latin1')).toMatch(/^Uid:\s+65534\s+65534\s+65534\s+65534$/m);
      expect(server.output.join('')).not.toMatch(/worker \d+ exited/);
      expect(await ask(server.port, '/!1000001')).toContain('Energiewende');
      chmodSync(path.join(content, '2025/05/01/!1000002.txt'), 0o000);
      expect(await ask(server.port, '/!1000002')).toContain('This article is unavailable right now (EACCES)');
    } finally {
      await server.stop();
    }
  });

  it.runIf(isRoot)('with --user nobody, indexes no word of a file nobody can read (the full-text process gives up root too)', async () => {
    chmodSync(base, 0o755);
    const own = path.join(base, 'content-unreadable');
    cpSync(FIXTURES, own, { recursive: true });
    chmodSync(path.join(own, '2025/05/01/!1000002.txt'), 0o000);
    const server = await startCli(['serve', '--content', own, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--no-watch', '--user', 'nobody', '--group', 'nogroup']);
    try {
      // Both words are in one fixture each: the readable one is found, the unreadable one is not.
      expect(await gopher(server.port, '/search', 'Energiewende')).toMatch(/\d+ articles? found for: Energiewende/);
      expect(await gopher(server.port, '/search', 'Ökonominnen')).toContain('0 articles found for: Ökonominnen');
    } finally {
      await server.stop();
    }
  });

  // As root, only as nobody: where nobody cannot reach this checkout the test cannot run (CI makes it reachable).
  it.skipIf(isRoot && !nobodyCanRunCli())('refuses --user without root, with exit code 2', async () => {
    const args = ['serve', '--content', content, '--port', '0', '--user', 'nobody'];
    // As root (CI) the CLI itself runs as nobody, so the refusal is really tested there too.
    chmodSync(base, 0o755);
    const r = isRoot ? await runAsNobody(args) : await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('need the server to start as root');
  });
});
