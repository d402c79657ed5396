import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { REPO, SEED, curl, dumpBody, gopher, lynxDump, startCli, startServer, trimTrailing } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import { sleep, within } from '../helpers/wait.js';

/**
 * Real files written, rewritten, renamed and deleted under a running server with its watcher on; what
 * curl, lynx and a raw socket see must follow within a second of the write completing.
 */
const FIXTURES = path.join(REPO, 'tests/fixtures/archive');
const SECOND = 1000;

/** A small article in the content format; `title` and `tag` make it findable in every menu. */
function article(title: string, opts: { date?: string; tag?: string; link?: string; body?: string } = {}): string {
  const lines = [
    `# taz.de -- ${title}`,
    '       ',
    `       ${opts.body ?? 'Berlin taz | Ab 2026 gilt die Pflicht auch für Altbauten – sagt „die Ministerin“.'}`,
    '       ',
    `       ${opts.date ?? '7 Jun 2025'}`,
  ];
  if (opts.link) lines.push('       ', '       ## LINKS', '       ', ` (DIR) [1] ${opts.link}`);
  if (opts.tag) lines.push('       ', '       ## TAGS', '       ', ` (DIR) ${opts.tag}`);
  return lines.join('\n') + '\n';
}

describe('a running server follows content/', () => {
  let app: App;
  let content: string;
  const log: string[] = [];
  const sel = (s: string): Promise<string> => gopher(app.port, s);
  const root = (): Promise<string> => sel('/');

  beforeAll(async () => {
    content = tempDir('gopherpress-watch-', FIXTURES);
    app = await startServer(content, { watch: true }, log);
  });
  afterAll(() => app.close());

  it('shows a new article in the root, date, tag and search menus, and as lynx prints it', async () => {
    const file = path.join(content, 'Solarpflicht', '!1000010.txt');
    const text = article('Solarpflicht: Neue Dächer, neue Regeln', { tag: 'Solarpflicht' });
    mkdirSync(path.dirname(file));
    await writeFile(file, text);
    const ms = await within(SECOND, 'new article in the root menu', async () => (await root()).includes('07.06.2025 Solarpflicht: Neue Dächer'));
    expect(ms).toBeLessThan(SECOND);
    const item = `107.06.2025 Solarpflicht: Neue Dächer, neue Regeln\t/Solarpflicht/!1000010\t127.0.0.1\t${app.port}\r\n`;
    expect(await sel('/date/2025/06/07/')).toContain(item);
    expect(await sel('/tag/Solarpflicht')).toContain(item);
    expect(await gopher(app.port, '/search', 'Altbauten')).toContain(item);
    expect(await sel('/Solarpflicht/')).toContain('!1000010');
    const r = await curl([`gopher://127.0.0.1:${app.port}/1/`]);
    expect(r.stdout).toContain('Solarpflicht: Neue Dächer, neue Regeln');
    expect(trimTrailing(dumpBody(await lynxDump(`gopher://127.0.0.1:${app.port}/1/!1000010`)))).toBe(trimTrailing(text));
  });

  it('turns a link to an article that arrives into a local one', async () => {
    const upstream = `1[3] /Friedensverhandlungen-Ukraine/!6084887\t/Friedensverhandlungen-Ukraine/!6084887\ttaz.de\t70\r\n`;
    const local = `1[3] /Friedensverhandlungen-Ukraine/!6084887\t/Friedensverhandlungen-Ukraine/!6084887\t127.0.0.1\t${app.port}\r\n`;
    expect(await sel('/Energiewende-Kurz/!1000001')).toContain(upstream);
    mkdirSync(path.join(content, 'Friedensverhandlungen-Ukraine'));
    copyFileSync(SEED, path.join(content, 'Friedensverhandlungen-Ukraine', '!6084887.txt'));
    await within(SECOND, 'link resolving locally', async () => (await sel('/Energiewende-Kurz/!1000001')).includes(local));
    const r = await curl([`gopher://127.0.0.1:${app.port}/1/Energiewende-Kurz/!1000001`]);
    expect(r.stdout).toContain(local);
  });

  it('follows a rewrite in place: the new title everywhere, the old one nowhere', async () => {
    const file = path.join(content, 'Solarpflicht', '!1000011.txt');
    await writeFile(file, article('Wärmepumpe: Erste Fassung', { tag: 'Waermepumpe' }));
    await within(SECOND, 'first version', async () => (await root()).includes('Wärmepumpe: Erste Fassung'));
    await writeFile(file, article('Wärmepumpe: Zweite Fassung', { tag: 'Waermepumpe', body: 'Jetzt mit Förderung.' }));
    await within(SECOND, 'second version', async () => (await root()).includes('Wärmepumpe: Zweite Fassung'));
    expect(await root()).not.toContain('Erste Fassung');
    expect(await gopher(app.port, '/search', 'Förderung')).toContain('Wärmepumpe: Zweite Fassung');
    expect(await gopher(app.port, '/search', 'Altbauten')).not.toContain('Wärmepumpe');
    expect(await sel('/tag/Waermepumpe')).toContain('Zweite Fassung');
  });

  it('follows a rename: the old selector fails, the new one serves the article', async () => {
    writeFileSync(path.join(content, 'notes', 'entwurf.txt'), article('Entwurf: Umzug', { date: '1 Feb 2024' }));
    await within(SECOND, 'draft', async () => (await sel('/notes/entwurf')).startsWith('i# taz.de -- Entwurf: Umzug'));
    renameSync(path.join(content, 'notes', 'entwurf.txt'), path.join(content, 'notes', 'umgezogen.txt'));
    await within(SECOND, 'renamed', async () => (await sel('/notes/umgezogen')).startsWith('i# taz.de -- Entwurf: Umzug'));
    expect(await sel('/notes/entwurf')).toBe(`3Resource not found\t\t127.0.0.1\t${app.port}\r\n.\r\n`);
    const dir = await sel('/notes/');
    expect(dir).toContain('/notes/umgezogen\t');
    expect(dir).not.toContain('/notes/entwurf\t');
  });

  it('replaces an article written to a temporary name and renamed into place as one change', async () => {
    const sel1 = '/Energiewende-Kurz/!1000001';
    const before = await sel(sel1);
    const next = readFileSync(path.join(content, 'Energiewende-Kurz', '!1000001.txt'), 'utf8').replace('Wind, Sonne und Streit um Netze', 'Wind, Sonne und Einigung');
    const tmp = path.join(content, 'Energiewende-Kurz', '.!1000001.txt.Xa9f3');
    writeFileSync(tmp, next);
    const seen: string[] = [];
    let done = false;
    const watcher = (async () => {
      for (let i = 0; i < 500 && !done; i++) seen.push(await sel(sel1));
    })();
    await sleep(100);
    renameSync(tmp, path.join(content, 'Energiewende-Kurz', '!1000001.txt'));
    await within(SECOND, 'the new version', async () => (await sel(sel1)).includes('Wind, Sonne und Einigung'));
    done = true;
    await watcher;
    const after = await sel(sel1);
    // Every answer is the old article or the new one whole; for the moment between the rename and the
    // watcher reading the new file, the old entry says "being updated" rather than serve unchecked bytes.
    for (const s of seen) {
      if (s === before || s === after) continue;
      expect(s).toContain('This article is unavailable right now (being updated');
    }
    expect(await sel('/Energiewende-Kurz/')).not.toContain('.!1000001');
  });

  it('never serves or indexes a slowly written article half-written', async () => {
    const file = path.join(content, 'Solarpflicht', '!1000012.txt');
    const text = article('Langsam geschrieben: Ein Artikel in Stücken', { tag: 'Langsam', body: 'Dieser Text kommt in vielen kleinen Teilen an, über eine Sekunde verteilt.' });
    const bytes = Buffer.from(text);
    const answers: string[] = [];
    const roots: string[] = [];
    let writing = true;
    const reader = (async () => {
      for (let i = 0; i < 2000 && writing; i++) {
        answers.push(await sel('/Solarpflicht/!1000012'));
        roots.push(await root());
      }
    })();
    const fh = await open(file, 'w');
    const chunks = 20;
    for (let i = 0; i < chunks; i++) {
      const from = Math.floor((bytes.length * i) / chunks);
      await fh.write(bytes.subarray(from, Math.floor((bytes.length * (i + 1)) / chunks)));
      await sleep(50);
    }
    await fh.close();
    const ms = await within(SECOND, 'the complete article', async () => (await sel('/Solarpflicht/!1000012')).includes('## TAGS'));
    writing = false;
    await reader;
    const whole = await sel('/Solarpflicht/!1000012');
    expect(trimTrailing(dumpBody(await lynxDump(`gopher://127.0.0.1:${app.port}/1/Solarpflicht/!1000012`)))).toBe(trimTrailing(text));
    const notFound = `3Resource not found\t\t127.0.0.1\t${app.port}\r\n.\r\n`;
    expect(answers.length).toBeGreaterThan(5);
    for (const a of answers) expect([notFound, whole]).toContain(a);
    for (const r of roots) if (r.includes('Langsam geschrieben')) expect(r).toBe(await root());
    expect(ms).toBeLessThan(SECOND);
  });

  it('forgets a deleted article in every menu', async () => {
    expect(await root()).toContain('Notizen ohne Nummer');
    rmSync(path.join(content, 'notes', 'notizen.txt'));
    await within(SECOND, 'deleted article gone', async () => !(await root()).includes('Notizen ohne Nummer'));
    expect(await sel('/notes/notizen')).toBe(`3Resource not found\t\t127.0.0.1\t${app.port}\r\n.\r\n`);
    expect(await gopher(app.port, '/search', 'Nummer')).not.toContain('Notizen');
    expect(await sel('/date/2024/01/')).not.toContain('Notizen');
  });

  it('follows a folder created elsewhere and moved in, and a folder removed', async () => {
    const outside = tempDir('gopherpress-outside-');
    mkdirSync(path.join(outside, 'Neu', 'Tief'), { recursive: true });
    writeFileSync(path.join(outside, 'Neu', 'Tief', '!1000020.txt'), article('Verschoben: Ein ganzer Ordner', { tag: 'Umzug' }));
    writeFileSync(path.join(outside, 'Neu', '!1000021.txt'), article('Verschoben: Noch einer', { tag: 'Umzug' }));
    renameSync(path.join(outside, 'Neu'), path.join(content, 'Neu'));
    await within(SECOND, 'moved-in folder', async () => (await sel('/tag/Umzug')).includes('Ein ganzer Ordner') && (await sel('/tag/Umzug')).includes('Noch einer'));
    expect(await sel('/Neu/Tief/')).toContain('\t/!1000020\t');

    expect(await sel('/tag/Windkraft')).toContain('Windkraft an Land');
    rmSync(path.join(content, '2025'), { recursive: true });
    // rm -r removes the file, then each folder: separate events that may land in separate batches.
    const gone = `3Resource not found\t\t127.0.0.1\t${app.port}\r\n.\r\n`;
    await within(SECOND, 'removed folder', async () => !(await root()).includes('Windkraft an Land') && (await sel('/2025/')) === gone);
    expect(await sel('/tag/Windkraft')).toBe(`3No such tag in this archive\t\t127.0.0.1\t${app.port}\r\n.\r\n`);
    expect(await sel('/2025/05/')).toBe(`3Resource not found\t\t127.0.0.1\t${app.port}\r\n.\r\n`);
    expect(await sel('/!1000002')).toMatch(/^3/);
    expect(await sel('/browse/')).not.toContain('/2025/');
  });

  it('lists an article it cannot read as unavailable, logs one line, and keeps serving the rest', async () => {
    // A FIFO fails for root too (chmod 000 does not: CI runs as root); opening it must not hang the server.
    execFileSync('mkfifo', [path.join(content, 'Solarpflicht', '!1000013.txt')]);
    await within(SECOND, 'the broken article listed', async () => (await sel('/Solarpflicht/')).includes('!1000013'));
    const menu = await sel('/Solarpflicht/!1000013');
    expect(menu).toContain('iThis article is unavailable right now (not a regular file).');
    expect(log).toContain('Solarpflicht/!1000013.txt: cannot read article (not a regular file)');
    expect(await sel('/Solarpflicht/!1000010')).toContain('Solarpflicht: Neue Dächer');
  });

});

describe('an article the server may not read', () => {
  it('is listed as unavailable, with a log line, while the rest is served', async () => {
    // Root reads anything, and CI runs as root: there the server drops to `nobody` with its own --user,
    // as it is deployed, so the permission check is real everywhere.
    const asRoot = process.getuid?.() === 0;
    const content = tempDir('gopherpress-unreadable-', FIXTURES);
    if (asRoot) execFileSync('chown', ['-R', 'nobody:', content]);
    const cli = await startCli(['serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--quiet', ...(asRoot ? ['--user', 'nobody'] : [])]);
    try {
      const file = path.join(content, 'Gesperrt', '!1000014.txt');
      mkdirSync(path.dirname(file));
      // Created without permissions, so the server never sees it readable for a moment.
      writeFileSync(file, article('Gesperrt: Niemand darf lesen'), { mode: 0 });
      const sel = (s: string): Promise<string> => gopher(cli.port, s);
      await within(SECOND, 'the unreadable article listed', async () => (await sel('/Gesperrt/')).includes('!1000014'));
      expect(await sel('/Gesperrt/!1000014')).toContain('iThis article is unavailable right now (EACCES).');
      expect(cli.output.join('')).toContain('Gesperrt/!1000014.txt: cannot read article (EACCES)');
      expect(await sel('/!1000002')).toContain('Windkraft an Land');
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });
});

describe('a tar x of 10,000 articles', () => {
  let app: App;
  let content: string;
  const log: string[] = [];

  beforeAll(async () => {
    content = tempDir('gopherpress-burst-', FIXTURES);
    app = await startServer(content, { watch: true }, log);
  });
  afterAll(() => app.close());

  it('is served whole within seconds, in a few batches', async () => {
    const src = tempDir('gopherpress-tar-');
    for (let d = 0; d < 100; d++) {
      mkdirSync(path.join(src, 'Jahrgang', `Tag-${d}`), { recursive: true });
      for (let i = 0; i < 100; i++) {
        const id = 2_000_000 + d * 100 + i;
        writeFileSync(path.join(src, 'Jahrgang', `Tag-${d}`, `!${id}.txt`), article(`Massenimport ${id}: Ein Artikel von vielen`, { date: `${(d % 28) + 1} Mar 2024`, tag: 'Massenimport' }));
      }
    }
    execFileSync('tar', ['cf', path.join(src, 'jahrgang.tar'), '-C', src, 'Jahrgang']);
    const before = log.filter((l) => l.startsWith('content changed')).length;
    execFileSync('tar', ['xf', path.join(src, 'jahrgang.tar'), '-C', content]);
    const ms = await within(20 * SECOND, 'all 10,000 articles', async () => (await gopher(app.port, '/')).startsWith('i127.0.0.1 -- 10003 articles\t'), 100);
    const batches = log.filter((l) => l.startsWith('content changed')).length - before;
    console.log(`tar x of 10,000 articles: all served ${ms.toFixed(0)} ms after tar exited, in ${batches} batches`);
    expect(batches).toBeLessThanOrEqual(20);
    const one = path.join(content, 'Jahrgang', 'Tag-42', '!2004217.txt');
    expect(trimTrailing(dumpBody(await lynxDump(`gopher://127.0.0.1:${app.port}/1/!2004217`)))).toBe(trimTrailing(readFileSync(one, 'utf8')));
    expect(await gopher(app.port, '/tag/Massenimport')).toContain('Tag: Massenimport -- 10000 articles');
  });
});
