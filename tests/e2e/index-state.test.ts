import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { generateArchive } from '../helpers/archive-gen.js';
import { dumpBody, lynxDump, trimTrailing, nobodyCanRunCli } from '../helpers/gopher.js';
import { ask, articleText, crawl, fullTextIndexed, killAll, listing, prng, search, serveArgs, spawnServe, walkDifferences, type Served } from '../helpers/index-server.js';
import { tempDir } from '../helpers/tmp.js';
import { within } from '../helpers/wait.js';

/**
 * Where the index lives and how it survives (INDEX-SPEC "CLI", issue 15 "Start"): the database in
 * --state-dir, a restart that finds what changed while the server was down, a damaged database
 * rebuilt with one log line, a read-only content folder, and workers that see a change at once.
 */
const SEARCHES = ['Gemeinsamer Text', 'Wort2000007', '"die Brücke"', 'tag:Nachrichten 2024', 'Straßenbahn', 'Neuwort2000003 OR Pausenwort'];

/** SQLite's own verdict on a database file (it may also refuse to open it at all). */
function quickCheck(file: string): string {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check).join('\n');
    } finally {
      db.close();
    }
  } catch (e) {
    return String(e);
  }
}

/**
 * Flip two bytes of the page header (type and cell count) of up to four b-tree pages in place: the
 * file keeps its size and its first page, but SQLite can no longer read those pages. Freelist and
 * pointer-map pages are left alone (their first byte can look like a b-tree page type).
 */
function damageBtreePages(file: string, seed: number): number[] {
  const buf = readFileSync(file);
  let pageSize = buf.readUInt16BE(16);
  if (pageSize === 1) pageSize = 65536;
  const pages = Math.floor(buf.length / pageSize);
  const free = new Set<number>();
  let trunk = buf.readUInt32BE(32);
  for (let guard = 0; trunk !== 0 && guard < pages; guard++) {
    free.add(trunk);
    const off = (trunk - 1) * pageSize;
    const n = buf.readUInt32BE(off + 4);
    for (let k = 0; k < n && k < pageSize / 4; k++) free.add(buf.readUInt32BE(off + 8 + 4 * k));
    trunk = buf.readUInt32BE(off);
  }
  const autoVacuum = buf.readUInt32BE(52) !== 0;
  const perPtrmap = Math.floor((pageSize - buf[20]!) / 5) + 1;
  const btree: number[] = [];
  for (let p = 2; p <= pages; p++) {
    if (free.has(p) || (autoVacuum && (p - 2) % perPtrmap === 0)) continue;
    if ([0x02, 0x05, 0x0a, 0x0d].includes(buf[(p - 1) * pageSize]!)) btree.push(p);
  }
  if (btree.length === 0) return [];
  const rnd = prng(seed);
  const chosen = new Set<number>([btree[0]!, btree[btree.length - 1]!]);
  for (let k = 0; k < 8 && chosen.size < Math.min(4, btree.length); k++) chosen.add(btree[Math.floor(rnd() * btree.length)]!);
  const fd = openSync(file, 'r+');
  try {
    for (const p of chosen) {
      for (const at of [0, 3]) {
        const pos = (p - 1) * pageSize + at;
        const b = Buffer.alloc(1);
        readSync(fd, b, 0, 1, pos);
        b[0] = b[0]! ^ 0xff;
        writeSync(fd, b, 0, 1, pos);
      }
    }
  } finally {
    closeSync(fd);
  }
  return [...chosen];
}

/** After a clean stop the WAL should be empty; if the server left frames there, fold them in so the damage below is what SQLite reads. */
function checkpoint(file: string): void {
  if (!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0) return;
  const db = new Database(file, { fileMustExist: true });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

const made = (...parts: string[]): string => {
  const dir = path.join(...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
};

describe('the index in --state-dir across restarts', () => {
  const tmp = tempDir('gp-index-state-');
  const content = path.join(tmp, 'content');
  const state = path.join(tmp, 'state', 'nested');
  const db = path.join(state, 'index.sqlite');
  const freshState = tempDir('gp-index-fresh-');
  const COUNT = 120;
  afterAll(() => killAll());

  /** A start on a damaged database: exactly one stderr line says so and names the file; then it indexes as on a cold start. */
  const startOnDamaged = async (): Promise<{ server: Served; port: number }> => {
    const server = spawnServe(serveArgs(content, state));
    const port = await server.port();
    await fullTextIndexed(server);
    const damaged = server.stderr.join('').split('\n').filter((l) => l.includes('is damaged'));
    expect(damaged, server.log()).toHaveLength(1);
    expect(damaged[0]).toMatch(/^index: .*index\.sqlite is damaged \(.+\); rebuilding it from content\/$/);
    expect(damaged[0]).toContain(db);
    return { server, port };
  };

  it('keeps index.sqlite in --state-dir (created if missing) and writes nothing into content/', async () => {
    generateArchive(content, COUNT, 6);
    const before = listing(content);
    const server = spawnServe(serveArgs(content, state));
    const port = await server.port();
    expect(await fullTextIndexed(server)).toBe(COUNT);
    expect(readFileSync(db).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    expect((await search(port, 'Wort2000007')).count).toBe('1 article found for: Wort2000007');
    expect(await server.stop()).toBe(0);
    expect(listing(content)).toEqual(before);
    expect(existsSync(path.join(content, '.gopherpress-cache'))).toBe(false);
    expect(server.stderr.join('')).not.toContain('is damaged');
  });

  it('with the database present it serves at once, and finds what was edited, added and deleted while it was down', async () => {
    const edited = path.join(content, 'Gen/!2000003.txt');
    writeFileSync(edited, readFileSync(edited, 'utf8').replace('Meldung 2000003: Bericht Nummer 2', 'Geändert: Neue Fassung 2000003').replace('Wort2000003 ', 'Neuwort2000003 '));
    mkdirSync(path.join(content, 'Neu'));
    const added = articleText({ title: 'Hinzugefügt während der Pause', date: '2026-01-02', body: ['Das Pausenwort kommt neu dazu.'], tags: ['Pause'] });
    writeFileSync(path.join(content, 'Neu/!2100001.txt'), added);
    rmSync(path.join(content, 'Gen/!2000010.txt'));

    const server = spawnServe(serveArgs(content, state));
    const port = await server.port();
    // At once, from the database: an unchanged article and its words.
    expect(await ask(port, '/!2000050')).toContain('Meldung 2000050: Bericht Nummer 49');
    expect((await search(port, 'Wort2000050')).count).toBe('1 article found for: Wort2000050');

    await within(5000, 'the changes made while the server was down', async () => {
      const root = await ask(port, '/');
      return root.includes('02.01.2026 Hinzugefügt während der Pause')
        && (await ask(port, '/!2000003')).includes('Geändert: Neue Fassung 2000003')
        && (await ask(port, '/!2000010')).startsWith('3')
        && (await search(port, 'Neuwort2000003')).count === '1 article found for: Neuwort2000003'
        && (await search(port, 'Pausenwort')).count === '1 article found for: Pausenwort';
    }, 100);
    await fullTextIndexed(server);
    expect((await search(port, 'Wort2000003')).count).toBe('0 articles found for: Wort2000003');
    expect((await search(port, 'Wort2000010')).count).toBe('0 articles found for: Wort2000010');
    // 120 written, one deleted; the added one has other words.
    expect((await search(port, 'Gemeinsamer Text')).count).toBe(`${COUNT - 1} articles found for: Gemeinsamer Text`);
    const all = await ask(port, '/all/');
    expect(all).toContain('/Neu/!2100001\t');
    expect(all).not.toContain('/!2000010\t');
    expect(all).toContain('Geändert: Neue Fassung 2000003');
    expect(all).not.toContain('Meldung 2000003');
    expect(await ask(port, '/tag/Pause')).toContain(`102.01.2026 Hinzugefügt während der Pause\t/Neu/!2100001\t127.0.0.1\t${port}\r\n`);
    expect(trimTrailing(dumpBody(await lynxDump(`gopher://127.0.0.1:${port}/1/Neu/!2100001`)))).toBe(trimTrailing(added));
    expect(trimTrailing(dumpBody(await lynxDump(`gopher://127.0.0.1:${port}/1/!2000003`)))).toBe(trimTrailing(readFileSync(edited, 'utf8')));
    expect(await server.stop()).toBe(0);
  });

  it('detects a damaged database (b-tree pages flipped, same size), says so in one stderr line, and serves what a fresh index serves', async () => {
    checkpoint(db);
    const size = statSync(db).size;
    const pages = damageBtreePages(db, 15);
    expect(pages.length).toBeGreaterThan(0);
    expect(statSync(db).size).toBe(size);
    expect(quickCheck(db)).not.toBe('ok');
    // The check opened it read-only and left an empty WAL and its index behind: as a stopped server leaves none.
    if (statSync(`${db}-wal`, { throwIfNoEntry: false })?.size === 0) for (const f of [`${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });

    const { server, port } = await startOnDamaged();

    const fresh = spawnServe(serveArgs(content, freshState, ['--no-watch']));
    const freshPort = await fresh.port();
    await fullTextIndexed(fresh);
    const [a, b] = [await crawl(port, SEARCHES), await crawl(freshPort, SEARCHES)];
    expect(a.size).toBeGreaterThan(COUNT);
    expect(walkDifferences(a, b)).toEqual([]);
    expect(await fresh.stop()).toBe(0);
    expect(await server.stop()).toBe(0);

    // Rebuilt for good: the next start finds it sound.
    const again = spawnServe(serveArgs(content, state));
    const againPort = await again.port();
    await fullTextIndexed(again);
    expect(again.stderr.join('')).not.toContain('is damaged');
    expect((await search(againPort, 'Pausenwort')).count).toBe('1 article found for: Pausenwort');
    expect(await again.stop()).toBe(0);
  });

  it('treats a file that is no database at all as damaged, once', async () => {
    for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
    writeFileSync(db, 'this is not a database\n'.repeat(400));
    const { server, port } = await startOnDamaged();
    expect((await search(port, 'Gemeinsamer Text')).count).toBe(`${COUNT - 1} articles found for: Gemeinsamer Text`);
    expect(await ask(port, '/!2000003')).toContain('Geändert: Neue Fassung 2000003');
    expect(await server.stop()).toBe(0);
  });

  it('detects a damaged full-text shard (fulltext-1.sqlite), names it in its one line, and searches as a fresh index does', async () => {
    const shard = path.join(state, 'fulltext-1.sqlite');
    checkpoint(shard);
    expect(damageBtreePages(shard, 7).length).toBeGreaterThan(0);
    if (statSync(`${shard}-wal`, { throwIfNoEntry: false })?.size === 0) for (const f of [`${shard}-wal`, `${shard}-shm`]) rmSync(f, { force: true });
    const { server, port } = await startOnDamaged();
    expect(server.stderr.join('')).toContain('(fulltext-1.sqlite: ');
    const fresh = spawnServe(serveArgs(content, freshState, ['--no-watch']));
    const freshPort = await fresh.port();
    await fullTextIndexed(fresh);
    expect(walkDifferences(await crawl(port, SEARCHES), await crawl(freshPort, SEARCHES))).toEqual([]);
    expect(await fresh.stop()).toBe(0);
    expect(await server.stop()).toBe(0);
  });
});

describe('the default state folder', () => {
  afterAll(() => killAll());
  const isRoot = process.getuid?.() === 0;
  const roTmp = tempDir('gp-index-ro-');
  const sdTmp = tempDir('gp-index-sd-');

  it('works for a read-only content folder: the index goes to $XDG_STATE_HOME/gopherpress/<name>-<8 hex>/', async () => {
    // The server runs as nobody when we are root (root writes anywhere): it must reach the folders.
    chmodSync(roTmp, 0o755);
    const content = path.join(roTmp, 'Zeitungsarchiv');
    generateArchive(content, 40, 4);
    const [xdg, home] = [made(roTmp, 'xdg'), made(roTmp, 'home')];
    if (isRoot) for (const d of [xdg, home]) chownSync(d, 65534, 65534);
    const setWritable = (on: boolean): void => {
      for (const l of listing(content)) {
        const [rel, kind] = l.split('\t');
        chmodSync(path.join(content, rel!), kind === 'dir' ? (on ? 0o755 : 0o555) : on ? 0o644 : 0o444);
      }
      chmodSync(content, on ? 0o755 : 0o555);
    };
    setWritable(false);
    try {
      const before = listing(content);
      const env: NodeJS.ProcessEnv = { ...process.env, XDG_STATE_HOME: xdg, HOME: home };
      delete env.STATE_DIRECTORY;
      // As nobody where it can run the CLI from this checkout (CI makes sure); else as we are: either way
      // the content folder must come out of it untouched.
      const asNobody = isRoot && nobodyCanRunCli();
      const server = spawnServe(serveArgs(content, undefined), asNobody ? { env, uid: 65534, gid: 65534 } : { env });
      const port = await server.port();
      expect(await fullTextIndexed(server)).toBe(40);
      expect((await search(port, 'Wort2000007')).count).toBe('1 article found for: Wort2000007');
      expect(await ask(port, '/!2000007')).toContain('Meldung 2000007: Bericht Nummer 6');
      const folders = readdirSync(path.join(xdg, 'gopherpress'));
      expect(folders).toHaveLength(1);
      expect(folders[0]).toMatch(/^Zeitungsarchiv-[0-9a-f]{8}$/);
      expect(readFileSync(path.join(xdg, 'gopherpress', folders[0]!, 'index.sqlite')).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
      expect(await server.stop()).toBe(0);
      expect(listing(content)).toEqual(before);
    } finally {
      setWritable(true);
    }
  });

  it('$STATE_DIRECTORY (systemd) comes first', async () => {
    const content = path.join(sdTmp, 'content');
    generateArchive(content, 20, 3);
    const [sd, xdg] = [made(sdTmp, 'systemd-state'), made(sdTmp, 'xdg')];
    const server = spawnServe(serveArgs(content, undefined), { env: { ...process.env, STATE_DIRECTORY: sd, XDG_STATE_HOME: xdg, HOME: sdTmp } });
    await server.port();
    expect(await fullTextIndexed(server)).toBe(20);
    expect(existsSync(path.join(sd, 'index.sqlite'))).toBe(true);
    expect(existsSync(path.join(xdg, 'gopherpress'))).toBe(false);
    expect(await server.stop()).toBe(0);
  });
});

describe('--workers 2 with the database', () => {
  afterAll(() => killAll());
  const tmp = tempDir('gp-index-workers-');

  it('every worker sees a new article, and then its deletion, within a second or two', async () => {
    const content = path.join(tmp, 'content');
    const state = path.join(tmp, 'state');
    generateArchive(content, 60, 4);
    mkdirSync(state);
    const server = spawnServe(serveArgs(content, state, ['--workers', '2']));
    const port = await server.port(30_000);
    await fullTextIndexed(server);
    await server.line(/^2 workers serving$/, 20_000);

    const file = path.join(content, 'Gen/!2200001.txt');
    writeFileSync(file, articleText({ title: 'Frisch: Für alle Worker', date: '2026-02-03', body: ['Das Blitzwort ist neu.'], tags: ['Frisch'] }));
    const seen = async (): Promise<boolean> =>
      (await search(port, 'Blitzwort')).count === '1 article found for: Blitzwort' && (await ask(port, '/')).includes('03.02.2026 Frisch: Für alle Worker');
    await within(3000, 'the new article in search and the front page', seen, 50);
    // Connections are spread over the workers: a dozen in a row must all see it.
    for (let i = 0; i < 12; i++) {
      expect(await seen(), `answer ${i}`).toBe(true);
      expect(await ask(port, '/Gen/!2200001')).toContain('i# taz.de -- Frisch: Für alle Worker');
    }
    rmSync(file);
    const gone = async (): Promise<boolean> =>
      (await search(port, 'Blitzwort')).count === '0 articles found for: Blitzwort' && !(await ask(port, '/')).includes('Frisch: Für alle Worker');
    await within(3000, 'the deleted article gone', gone, 50);
    for (let i = 0; i < 12; i++) expect(await gone(), `answer ${i}`).toBe(true);
    expect(await server.stop()).toBe(0);
  });
});
