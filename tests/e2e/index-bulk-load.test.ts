import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateArchive } from '../helpers/archive-gen.js';
import { crawl, fullTextIndexed, killAll, search, serveArgs, spawnServe, walkDifferences } from '../helpers/index-server.js';
import { tempDir } from '../helpers/tmp.js';
import { within } from '../helpers/wait.js';

/**
 * A cold start fills the empty index in bulk (archive/bulk-load.ts): tags and links staged, the
 * lookup indexes built at the end. Killed before that end, the database it leaves must not be taken
 * for an index: the next start says so in one line, builds it again, and serves what a server that
 * never stopped serves.
 */
const COUNT = 4000;
const SEARCHES = ['Gemeinsamer Text', 'Wort2000007', 'tag:Nachrichten 2024', 'Straßenbahn'];

/** The `user_version` the server's database holds now (the WAL included), or undefined before it is made. */
function userVersion(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return db.pragma('user_version', { simple: true }) as number;
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}

/** The server's children whose command line names `script` (archive/cold-scan-worker.js, archive/full-text-worker.js). */
function indexProcesses(pid: number, script: string): number[] {
  const read = (file: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return '';
    }
  };
  const children = read(`/proc/${pid}/task/${pid}/children`).trim().split(/\s+/).filter(Boolean).map(Number);
  return children.filter((c) => read(`/proc/${c}/cmdline`).includes(script));
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A count the server's database gives. */
function count(file: string, sql: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('a cold start cut off during its bulk load', () => {
  const tmp = tempDir('gp-bulk-load-');
  const content = path.join(tmp, 'content');
  const state = path.join(tmp, 'state');
  const freshState = path.join(tmp, 'fresh');
  const db = path.join(state, 'index.sqlite');
  beforeAll(() => void generateArchive(content, COUNT, 8));
  afterAll(() => killAll());

  it('is rebuilt at the next start with one stderr line, and then serves what a fresh index serves', async () => {
    const first = spawnServe(serveArgs(content, state, ['--no-watch']));
    // SIGKILL while the database says it is loading: its first scan has begun and not finished.
    await within(20_000, 'the bulk load to begin', async () => userVersion(db) === -1, 2);
    await first.kill();
    expect(userVersion(db)).toBe(-1);

    const second = spawnServe(serveArgs(content, state, ['--no-watch']));
    const port = await second.port();
    expect(await fullTextIndexed(second, 60_000)).toBe(COUNT);
    const lines = second.stderr.join('').split('\n').filter((l) => l.includes('is damaged'));
    expect(lines, second.log()).toEqual([`index: ${db} is damaged (its first scan was cut off); rebuilding it from content/`]);

    const fresh = spawnServe(serveArgs(content, freshState, ['--no-watch']));
    const freshPort = await fresh.port();
    await fullTextIndexed(fresh, 60_000);
    expect((await search(port, 'Gemeinsamer Text')).count).toBe(`${COUNT} articles found for: Gemeinsamer Text`);
    const [a, b] = [await crawl(port, SEARCHES, [], 600), await crawl(freshPort, SEARCHES, [], 600)];
    expect(a.size).toBeGreaterThan(500);
    expect(walkDifferences(a, b)).toEqual([]);
    expect(await fresh.stop()).toBe(0);
    expect(await second.stop()).toBe(0);

    // Sound for good: the next start takes it as it is.
    const third = spawnServe(serveArgs(content, state, ['--no-watch']));
    await third.port();
    await fullTextIndexed(third);
    expect(third.stderr.join('')).not.toContain('is damaged');
    expect(await third.stop()).toBe(0);
  });

  /**
   * The index's processes end with their server, even one killed alone, and stop writing at once:
   * the bulk load never gets every article in, the full-text pass never every article's words.
   */
  for (const script of ['cold-scan-worker.js', 'full-text-worker.js']) {
    it(`leaves no ${script} process behind when the server alone is SIGKILLed`, async () => {
      const state = path.join(tmp, `orphan-${script}`);
      const server = spawnServe(serveArgs(content, state, ['--no-watch']));
      let found: number[] = [];
      await within(30_000, `the server's ${script} process`, async () => (found = indexProcesses(server.proc.pid!, script)).length > 0, 2);
      process.kill(server.proc.pid!, 'SIGKILL');
      await server.exited;
      await within(10_000, `its ${script} process to end`, async () => !found.some(alive), 20);
      const written =
        script === 'cold-scan-worker.js'
          ? count(path.join(state, 'index.sqlite'), 'SELECT count(*) FROM articles')
          : count(path.join(state, 'fulltext-0.sqlite'), 'SELECT count(*) FROM texts') + count(path.join(state, 'fulltext-1.sqlite'), 'SELECT count(*) FROM texts');
      expect(written).toBeLessThan(COUNT);
    });
  }
});
