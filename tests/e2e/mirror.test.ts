import { cpSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { REPO, SEED, runCli, startServer } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import { compareServers, runMirror, summaryCounts } from '../helpers/mirror.js';

/** Copy the fixture archive and the bundled taz.de article into a fresh folder that server A serves. */
function fixtureArchive(): string {
  const dir = tempDir('gopherpress-a-');
  cpSync(path.join(REPO, 'tests/fixtures/archive'), dir, { recursive: true });
  cpSync(path.dirname(SEED), path.join(dir, path.basename(path.dirname(SEED))), { recursive: true });
  return dir;
}

const NEW_ARTICLE = `# taz.de -- Solarstrom vom Balkon: Ein Nachtrag
       
       > Ein neuer Artikel, nach dem ersten Lauf des Spiegels geschrieben.
       
       Berlin taz | Steckersolargeräte sind beliebt.
       
       7 May 2025
       
       ## TAGS
       
 (DIR) Energiewende
`;

/** Files of A: every fixture file (new fixtures come and go; a start-up cache left by a server run there is no fixture) plus the bundled article. */
const FILES_OF_A = readdirSync(path.join(REPO, 'tests/fixtures/archive'), { recursive: true, withFileTypes: true }).filter((d) => d.isFile() && !d.name.startsWith('.')).length + 1;

describe('gopherpress mirror of a gopherpress archive', () => {
  let contentA: string;
  let out: string;
  let a: App;
  let b: App | undefined;
  const logA: string[] = [];

  beforeAll(async () => {
    contentA = fixtureArchive();
    out = tempDir('gopherpress-b-');
    a = await startServer(contentA, {}, logA);
  });
  afterAll(async () => {
    await a.close();
    await b?.close();
  });

  it('copies it so that a second gopherpress serves the same menus and texts', async () => {
    const r = await runMirror([`gopher://127.0.0.1:${a.port}/`, '--out', out, '--delay', '0']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('done (gopherpress archive)');
    expect(summaryCounts(r.stdout)).toMatchObject({ new: FILES_OF_A, changed: 0, errors: 0, deleted: 0 });
    // Articles, the stored image and the note, at the paths A has them: no generated menu saved as a file.
    expect(readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => !f.startsWith('.')).sort()).toEqual(
      readdirSync(contentA, { recursive: true, encoding: 'utf8' }).filter((f) => !f.startsWith('.')).sort(), // both sides keep hidden state files (cache, mirror state)
    );
    b = await startServer(out);
    const { compared, differences } = await compareServers(a.port, b.port);
    expect(differences).toEqual([]);
    // The walk reached the articles, their texts, tags, dates, folders, search and the lists.
    for (const key of ['1', '1/Energiewende-Kurz/!1000001', '0/Energiewende-Kurz/!1000001.txt', '1/tags/', '1/tag/Energiewende', '1/date/', '1/browse/', '1/2025/05/01/', '7/search', 'g/Energiewende-Kurz/!1000001.gif', '0/index.txt', '0/files.txt']) {
      expect(compared).toContain(key);
    }
    expect(compared.length).toBeGreaterThan(30);
  });

  it('fetches only what changed on the next run, and drops what A deleted', async () => {
    writeFileSync(path.join(contentA, 'Energiewende-Kurz', '!1000003.txt'), NEW_ARTICLE);
    rmSync(path.join(contentA, 'notes'), { recursive: true });
    // A is not watching its folder in tests: restart it on the same port to load the change.
    const port = a.port;
    await a.close();
    // A log of its own: the old server may still log the last requests of the walk as their sockets close.
    const logNew: string[] = [];
    a = await startServer(contentA, { port }, logNew);

    const r = await runMirror([`gopher://127.0.0.1:${port}/`, '--out', out, '--delay', '0']);
    expect(r.code).toBe(0);
    expect(summaryCounts(r.stdout)).toEqual({ fetched: 3, new: 1, changed: 0, unchanged: 0, 'up to date': FILES_OF_A - 1, deleted: 1, errors: 0 });
    expect(logNew.filter((l) => !l.startsWith('listening') && !l.startsWith('full text indexed')).sort()).toEqual(['/Energiewende-Kurz/!1000003.txt ok', '/caps.txt ok', '/files.txt ok']);

    await b!.close();
    b = await startServer(out);
    const { differences } = await compareServers(a.port, b.port);
    expect(differences).toEqual([]);
  });

  it('rejects a bad URL or option with one line and exit code 2', async () => {
    const bad = await runCli(['mirror', 'http://example.org/', '--out', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^gopherpress: not a gopher URL: http:\/\/example.org\//);
    const opt = await runCli(['mirror', 'gopher://127.0.0.1/', '--delay', 'soon']);
    expect(opt.code).toBe(2);
    expect(opt.stderr.trim().split('\n')).toHaveLength(1);
  });
});
