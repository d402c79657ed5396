import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, curl, everyWorkerServing, gopher, startCli, type CliServer } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import { inotifyWatches, servingPids } from '../../bench/lib/proc.js';
import { sleep, within } from '../helpers/wait.js';

/** The built CLI as an operator runs it: inotify by default, --poll for network file systems, --no-watch. */
const FIXTURES = path.join(REPO, 'tests/fixtures/archive');
const ARTICLE = (title: string): string => `# taz.de -- ${title}\n       \n       Ein kurzer Text.\n       \n       2 Feb 2025\n`;

const FOLDERS = 6; // content/, 2025, 2025/05, 2025/05/01, Energiewende-Kurz, notes

describe.each([
  { flags: [] as string[], deadline: 1000, watches: FOLDERS },
  { flags: ['--poll'], deadline: 3000, watches: 0 },
])('serve $flags', ({ flags, deadline, watches }) => {
  let cli: CliServer;
  let content: string;
  beforeAll(async () => {
    content = tempDir('gopherpress-cli-watch-', FIXTURES);
    cli = await startCli(['serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--quiet', ...flags]);
    await everyWorkerServing(cli);
  });
  afterAll(() => cli.stop());

  it(`holds ${watches} inotify watches in the process that owns the index, none in the workers (one per folder, none per file)`, async () => {
    const writer = cli.proc.pid!;
    await within(10_000, `${watches} watches in the writer`, async () => inotifyWatches(writer) === watches);
    const workers = servingPids(writer).filter((p) => p !== writer);
    expect(workers.map((p) => inotifyWatches(p))).toEqual(workers.map(() => 0));
  });

  it('serves a new article, a renamed one and forgets a deleted one', async () => {
    writeFileSync(path.join(content, 'notes', '!1000040.txt'), ARTICLE('Neu über die CLI'));
    await within(deadline, 'new article via curl', async () => (await curl([`gopher://127.0.0.1:${cli.port}/1/`])).stdout.includes('02.02.2025 Neu über die CLI'));
    renameSync(path.join(content, 'notes', '!1000040.txt'), path.join(content, 'Energiewende-Kurz', '!1000040.txt'));
    await within(deadline, 'moved article', async () => (await gopher(cli.port, '/Energiewende-Kurz/')).includes('\t/Energiewende-Kurz/!1000040\t'));
    // The primary writes the change; each worker sees the commit from its next request on.
    await within(deadline, 'gone from its old folder', async () => !(await gopher(cli.port, '/notes/')).includes('!1000040'));
    rmSync(path.join(content, 'Energiewende-Kurz', '!1000040.txt'));
    await within(deadline, 'deleted article', async () => !(await gopher(cli.port, '/')).includes('Neu über die CLI'));
    await within(deadline, 'the log line', async () => /content changed \(generation \d+\): 1 removed: Energiewende-Kurz\/!1000040.txt/.test(cli.output.join('')));
  });

  it('stops cleanly on SIGTERM with its watches open', async () => {
    expect(await cli.stop('SIGTERM')).toBe(0);
  });
});

describe('serve --no-watch', () => {
  let cli: CliServer;
  let content: string;
  beforeAll(async () => {
    content = tempDir('gopherpress-cli-nowatch-', FIXTURES);
    cli = await startCli(['serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--quiet', '--no-watch']);
  });
  afterAll(() => cli.stop());

  it('holds no inotify watch and keeps serving what it loaded', async () => {
    await everyWorkerServing(cli);
    for (const p of servingPids(cli.proc.pid!)) expect(inotifyWatches(p)).toBe(0);
    writeFileSync(path.join(content, 'notes', '!1000041.txt'), ARTICLE('Nie gesehen'));
    await sleep(1500); // what the watcher would need three times over
    expect(await gopher(cli.port, '/')).not.toContain('Nie gesehen');
    expect(await gopher(cli.port, '/')).toContain('Energiewende: Wind, Sonne');
  });
});
