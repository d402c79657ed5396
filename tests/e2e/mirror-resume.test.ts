import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { REPO, startServer } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import { compareServers, runMirror, startMirror, summaryCounts, waitFor } from '../helpers/mirror.js';

const ARTICLES = 24;

function article(n: number): string {
  return `# taz.de -- Meldung ${n}\n       \n       Kurze Meldung Nummer ${n}.\n       \n       ${1 + (n % 28)} Apr 2025\n`;
}

/** Ctrl-C in the middle of a slow mirror, then the same command again: it goes on where it stopped. */
describe('an interrupted mirror resumes', () => {
  let a: App;
  let b: App | undefined;
  const logA: string[] = [];
  let out: string;

  beforeAll(async () => {
    const content = tempDir('gopherpress-a-');
    cpSync(path.join(REPO, 'tests/fixtures/archive'), content, { recursive: true });
    mkdirSync(path.join(content, 'Meldungen'));
    for (let i = 1; i <= ARTICLES; i++) writeFileSync(path.join(content, 'Meldungen', `!${3000000 + i}.txt`), article(i));
    out = tempDir('gopherpress-b-');
    a = await startServer(content, {}, logA);
  });
  afterAll(async () => {
    await a.close();
    await b?.close();
  });

  it('keeps what it fetched before SIGINT and fetches only the rest', async () => {
    const url = `gopher://127.0.0.1:${a.port}/`;
    const first = startMirror([url, '--out', out, '--delay', '150']);
    const saved = (): string[] => first.stdout.join('').split('\n').filter((l) => l.startsWith('new ')).map((l) => l.split(/\s+/)[1]!);
    await waitFor(() => saved().length >= 4, 20_000, 'four files saved');
    first.proc.kill('SIGINT');
    expect(await first.exited).toBe(130);
    const out1 = first.stdout.join('');
    expect(out1).toMatch(/^interrupted \(gopherpress archive\)/m);
    expect(out1).toContain('run the same command again');
    const savedFirst = saved();
    expect(savedFirst.length).toBeLessThan(ARTICLES);

    logA.length = 0;
    const second = await runMirror([url, '--out', out, '--delay', '0']);
    expect(second.code).toBe(0);
    const counts = summaryCounts(second.stdout);
    expect(counts['up to date']).toBe(savedFirst.length);
    // The fixture files besides the generated articles.
    const fixtureFiles = readdirSync(path.join(REPO, 'tests/fixtures/archive'), { recursive: true, withFileTypes: true }).filter((d) => d.isFile() && !d.name.startsWith('.')).length;
    expect(counts.new + counts['up to date']).toBe(ARTICLES + fixtureFiles);
    // Nothing saved before the interruption was asked for again.
    const asked = logA.map((l) => l.replace(/ ok$/, ''));
    for (const p of savedFirst) expect(asked.some((sel) => sel.endsWith(p.replace(/^Meldungen\//, '')))).toBe(false);
    expect(readdirSync(path.join(out, 'Meldungen'))).toHaveLength(ARTICLES);

    b = await startServer(out);
    expect((await compareServers(a.port, b.port)).differences).toEqual([]);
  });
});
