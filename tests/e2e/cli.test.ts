import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO, SEED, gopher, runCli, startCli } from '../helpers/gopher.js';

const CONTENT = path.join(REPO, 'content');

describe('gopherpress CLI', () => {
  it('documents every serve option in --help', async () => {
    const r = await runCli(['serve', '--help']);
    expect(r.code).toBe(0);
    for (const opt of ['--content', '--port', '--bind', '--hostname', '--upstream', '--charset', '--backlinks', '--no-watch', '--poll', '--quiet']) {
      expect(r.stdout).toContain(opt);
    }
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
