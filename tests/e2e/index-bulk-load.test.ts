import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
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

describe('a cold start cut off during its bulk load', () => {
  const tmp = tempDir('gp-bulk-load-');
  const content = path.join(tmp, 'content');
  const state = path.join(tmp, 'state');
  const freshState = path.join(tmp, 'fresh');
  const db = path.join(state, 'index.sqlite');
  afterAll(() => killAll());

  it('is rebuilt at the next start with one stderr line, and then serves what a fresh index serves', async () => {
    generateArchive(content, COUNT, 8);
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
});
