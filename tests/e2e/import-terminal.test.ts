import { execFile, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import { within } from '../helpers/wait.js';
import { startWebFixtures, type WebFixtures } from '../helpers/web-fixtures.js';

/** `import` on a terminal (a real pty, from util-linux's script) and as a long-running `--every` process. */
describe('gopherpress import on a terminal and with --every', () => {
  let web: WebFixtures;
  beforeAll(async () => {
    web = await startWebFixtures();
  });
  afterAll(() => web.close());

  it('draws a progress bar on a terminal and clears it before the summary line', async () => {
    const content = tempDir('gp-import-tty-');
    const cmd = `'${process.execPath}' '${CLI}' import '${web.base}/json/feed.json' --content '${content}' --delay 0`;
    const out = await new Promise<string>((resolve, reject) => {
      execFile('script', ['-qec', cmd, '/dev/null'], { timeout: 20_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
    });
    expect(out).toMatch(/\r\x1b\[K\[#{10}-{10}\] 1\/2: 1 new, 0 changed, 0 unchanged, 0 failed/);
    expect(out).toMatch(/\r\x1b\[Kextracted: 2 by content:encoded\r?\nimported: 2 new, 0 changed, 0 unchanged, 0 failed \(2 in [\d.]+ s\)\r?\n$/);
  });

  it('runs again every --every until stopped, the second run finding nothing new; SIGTERM ends it with 0', async () => {
    const content = tempDir('gp-import-every-');
    const proc = spawn(process.execPath, [CLI, 'import', `${web.base}/json/feed.json`, '--content', content, '--delay', '0', '--every', '1s'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    try {
      await within(15_000, 'two runs', async () => (out.match(/^imported: /gm) ?? []).length >= 2, 100);
      const runs = out.split('\n').filter((l) => l.startsWith('imported: '));
      expect(runs[0]).toMatch(/^imported: 2 new, 0 changed, 0 unchanged, 0 failed/);
      expect(runs[1]).toMatch(/^imported: 0 new, 0 changed, 2 unchanged, 0 failed/);
      proc.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      proc.kill('SIGKILL');
    }
  });
});
