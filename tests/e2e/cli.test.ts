import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { CLI, REPO, SEED, gopher, runCli, startCli } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';

/** The CLI run as another user (root only), bounded in time. */
/**
 * The CLI as root without the capability to bind ports below 1024, which is what an ordinary user
 * lacks; unlike switching to another user, it needs no read access to wherever the repo was cloned.
 */
function runWithoutBindCap(args: string[]): Promise<{ stderr: string; code: number }> {
  return new Promise((resolve) => {
    const drop = ['--inh-caps=-net_bind_service', '--bounding-set=-net_bind_service', '--'];
    execFile('setpriv', [...drop, process.execPath, CLI, ...args], { timeout: 15000 }, (err, _stdout, stderr) => {
      resolve({ stderr, code: err ? (typeof err.code === 'number' ? err.code : 1) : 0 });
    });
  });
}

// A copy: a server writes its start-up cache into the folder it serves, and content/ is the repository's.
const CONTENT = tempDir('gp-cli-', path.join(REPO, 'content'));

describe('gopherpress CLI', () => {
  it('documents every serve option in --help', async () => {
    const r = await runCli(['serve', '--help']);
    expect(r.code).toBe(0);
    for (const opt of ['--content', '--port', '--bind', '--hostname', '--upstream', '--charset', '--backlinks', '--no-watch', '--poll', '--quiet']) {
      expect(r.stdout).toContain(opt);
    }
    // Defaults read as a user would type them, not as JSON.
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('(default: taz.de:70)');
    expect(r.stdout).not.toContain('{');
  });

  it('shows the upstream default of render as host:port too', async () => {
    const r = await runCli(['render', '--help']);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('(default: taz.de:70)');
  });

  it.each([
    [['serve', '--bogus'], /unknown option '--bogus'/],
    [['serve', '--port', 'seventy'], /--port.*expected a port number/],
    [['serve', '--port', '70000'], /expected a port number/],
    [['serve', '--upstream', 'a:b:c'], /expected host or host:port/],
    [['serve', '--charset', 'ebcdic'], /expected utf-8, iso-8859-1 or us-ascii/],
    [['serve', '--content', '/no/such/folder', '--port', '0'], /content folder not found: \/no\/such\/folder/],
    [['render', '/no/such/file.txt'], /cannot read \/no\/such\/file.txt: ENOENT/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    // A near miss names the option or command meant, on the same line.
    [['serve', '--prot', '70'], /^error: unknown option '--prot' \(Did you mean --port\?\)$/m],
    [['server', '--port', '70'], /^error: unknown command 'server' \(Did you mean serve\?\)$/m],
    [['mirror', 'gopher://127.0.0.1/', '--max-dept', '3'], /^error: unknown option '--max-dept' \(Did you mean --max-depth\?\)$/m],
    // A --bind that is no address, or not one of this machine's (192.0.2.1 is TEST-NET-1, never assigned).
    [['serve', '--content', CONTENT, '--port', '0', '--bind', '999.1.1.1'], /cannot listen on 999\.1\.1\.1 .*--bind/],
    [['serve', '--content', CONTENT, '--port', '0', '--bind', '192.0.2.1'], /cannot listen on 192\.0\.2\.1 .*--bind/],
  ])('%j is a one-line usage error with exit code 2', async (args, message) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints its listening line, logs one line per request, and exits 0 on SIGTERM', async () => {
    const srv = await startCli(['serve', '--content', CONTENT, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1']);
    expect(srv.output.join('')).toMatch(/^listening on gopher:\/\/127\.0\.0\.1:\d+\/\n/);
    const menu = await gopher(srv.port, '/!6084887');
    expect(menu.startsWith('i# taz.de -- Friedensverhandlungen')).toBe(true);
    const deadline = Date.now() + 5000;
    while (!/gopher "\/!6084887"/.test(srv.output.join('')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(srv.output.join('')).toMatch(/^\S+Z 127\.0\.0\.1 gopher "\/!6084887" 1 \d+ [\d.]+ms ok$/m);
    expect(await srv.stop('SIGTERM')).toBe(0);
  });

  it('exits 0 on SIGINT too', async () => {
    const srv = await startCli(['serve', '--content', CONTENT, '--port', '0', '--bind', '127.0.0.1', '--quiet']);
    expect(await srv.stop('SIGINT')).toBe(0);
  });

  it('says in one line that a port is taken (exit 1)', async () => {
    const first = await startCli(['serve', '--content', CONTENT, '--port', '0', '--bind', '127.0.0.1', '--quiet']);
    try {
      const r = await runCli(['serve', '--content', CONTENT, '--port', String(first.port), '--bind', '127.0.0.1']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`port ${first.port} on 127\\.0\\.0\\.1 is in use`));
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      await first.stop();
    }
  });

  it.skipIf(process.getuid?.() !== 0)('tells a user without the right to port 70 what to do, in one line (exit 1)', async () => {
    // Ports below 1024 need cap_net_bind_service; as root the test can run the CLI without it.
    const r = await runWithoutBindCap(['serve', '--content', CONTENT, '--port', '71', '--bind', '127.0.0.1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/port 71 .*root.*cap_net_bind_service.*--port 7070/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('renders an article file as the menu it becomes', async () => {
    const r = await runCli(['render', SEED, '--hostname', 'example.org', '--port', '7070']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\r\n');
    expect(lines).toHaveLength(readFileSync(SEED, 'utf8').split('\n').length + 2);
    expect(lines[0]).toBe('i# taz.de -- Friedensverhandlungen Ukraine: Trump und Selenskyj treffen sich in Rom\t\tnull.host\t1');
    expect(lines).toContain('1[9] /Angriff-auf-die-taz/!6081815\t/Angriff-auf-die-taz/!6081815\ttaz.de\t70');
    expect(lines.at(-2)).toBe('.');
  });
});
