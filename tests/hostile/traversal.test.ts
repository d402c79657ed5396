import { cpSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { REPO, curl, startServer } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';
import { exchange, isErrorMenu, send } from './net.js';

// Planted next to content/ and inside it where nothing may be served; none may ever reach a client.
const SECRET = 'SECRET-beside-content-7f3a';
const HIDDEN = 'HIDDEN-dotfile-91c2';
const CACHE = 'CACHE-file-55d0';
const MAP = 'GOPHERMAP-source-0b7e';

describe('path traversal: nothing outside content/, nothing hidden', () => {
  const base = tempDir('gopherpress-traversal-');
  const content = path.join(base, 'content');
  let app: App;

  beforeAll(async () => {
    cpSync(path.join(REPO, 'tests/fixtures/archive'), content, { recursive: true });
    writeFileSync(path.join(base, 'secret.txt'), `${SECRET}\n`);
    writeFileSync(path.join(base, 'secret'), `${SECRET}\n`);
    writeFileSync(path.join(content, '.hidden.txt'), `${HIDDEN}\n`);
    writeFileSync(path.join(content, 'notes', '.hidden'), `${HIDDEN}\n`);
    writeFileSync(path.join(content, '.gopherpress-cache.json'), `${CACHE}\n`);
    writeFileSync(path.join(content, '.gopherpress-cache'), `${CACHE}\n`);
    writeFileSync(path.join(content, 'notes', 'gophermap'), `i${MAP}\tfake\tlocalhost\t70\n`);
    // Symlinks that leave content/, present when the archive is scanned.
    symlinkSync(path.join(base, 'secret.txt'), path.join(content, 'leak.txt'));
    symlinkSync('../secret', path.join(content, 'leak.bin'));
    symlinkSync(base, path.join(content, 'leakdir'));
    app = await startServer(content);
    // Symlinks swapped in AFTER indexing, over files the archive knows: the route re-checks each one.
    const swap = (rel: string): void => {
      const p = path.join(content, rel);
      rmSync(p);
      symlinkSync(path.join(base, 'secret.txt'), p + '.tmp');
      renameSync(p + '.tmp', p);
    };
    swap('notes/notizen.txt');
    swap('Energiewende-Kurz/!1000001.gif');
  });
  afterAll(() => app.close());

  const ask = async (selector: string | Buffer): Promise<Buffer> => {
    const line = Buffer.isBuffer(selector) ? Buffer.concat([selector, Buffer.from('\r\n')]) : Buffer.from(`${selector}\r\n`, 'latin1');
    const r = await exchange(app.port, send(line), 5000);
    expect(r.end).not.toBe('timeout');
    return r.data;
  };
  const leaks = (data: Buffer): string[] => [SECRET, HIDDEN, CACHE, MAP, 'root:x:0:0'].filter((m) => data.includes(m));

  // Every one of these names a path; each must be a type-3 line and nothing else.
  const refused: Array<[string, string | Buffer]> = [
    ['dot-dot', '../secret.txt'],
    ['slash dot-dot', '/../secret.txt'],
    ['deep dot-dot', '/../../../../../../secret.txt'],
    ['dot-dot after a real folder', '/notes/../../secret.txt'],
    ['dot-dot to a real folder', '/notes/../notes/notizen.txt'],
    ['backslashes', '..\\secret.txt'],
    ['slash backslashes', '/..\\..\\secret.txt'],
    ['mixed slashes', '/notes\\..\\..\\secret.txt'],
    ['encoded dots', '/%2e%2e/secret.txt'],
    ['encoded dots, upper case', '/%2E%2E/secret.txt'],
    ['encoded dots and slash', '/%2e%2e%2fsecret.txt'],
    ['encoded slash only', '/..%2fsecret.txt'],
    ['encoded backslash', '/..%5csecret.txt'],
    ['double-encoded dots', '/%252e%252e/secret.txt'],
    ['double-encoded dots and slash', '/%252e%252e%252fsecret.txt'],
    ['overlong UTF-8 dots', '/%c0%ae%c0%ae/secret.txt'],
    ['bad percent escape', '/%zz/../secret.txt'],
    ['absolute path', '/etc/passwd'],
    ['absolute path to the secret', path.join(base, 'secret.txt')],
    ['double slash', '//etc/passwd'],
    ['file URL', 'file:///etc/passwd'],
    ['NUL after a real file', Buffer.from('/notes/!1000001.gif\0/../../secret.txt', 'latin1')],
    ['NUL in dot-dot', Buffer.from('/..\0/secret.txt', 'latin1')],
    ['encoded NUL', '/secret.txt%00'],
    ['symlink to a file outside', '/leak.txt'],
    ['symlink to a file outside, as text', '/leak'],
    ['symlink to a binary outside', '/leak.bin'],
    ['symlinked folder outside', '/leakdir/secret.txt'],
    ['symlinked folder listing', '/leakdir/'],
    ['file swapped for a symlink after indexing', '/Energiewende-Kurz/!1000001.gif'],
    ['dotfile', '/.hidden.txt'],
    ['dotfile in a folder', '/notes/.hidden'],
    ['dotfile through ./', '/./.hidden.txt'],
    ['encoded dotfile', '/%2ehidden.txt'],
    ['the cache file', '/.gopherpress-cache.json'],
    ['the cache file, no extension', '/.gopherpress-cache'],
    ["a gophermap's own source", '/notes/gophermap'],
  ];
  for (const [what, selector] of refused) {
    it(`refuses ${what}`, async () => {
      const data = await ask(selector);
      expect(leaks(data)).toEqual([]);
      expect(isErrorMenu(data), data.toString('latin1')).toBe(true);
    });
  }

  it('answers an article swapped for a symlink after indexing with "unavailable", not the target', async () => {
    const data = await ask('/notes/notizen');
    expect(leaks(data)).toEqual([]);
    expect(data.toString('utf8')).toContain('unavailable right now');
  });

  it('serves articles reached by id under any slug, never the path the slug spells', async () => {
    const data = await ask('/../../../!1000001');
    expect(leaks(data)).toEqual([]);
    expect(data.toString('utf8')).toContain('Energiewende');
  });

  it('never lists hidden files, the gophermap or outside links in folder menus', async () => {
    for (const sel of ['/browse/', '/notes/', '/all/']) {
      const data = await ask(sel);
      // /notes/ is that gophermap's own menu, so its text is the menu there; the file itself is never listed.
      expect(leaks(data).filter((l) => !(sel === '/notes/' && l === MAP))).toEqual([]);
      for (const name of ['.hidden', '.gopherpress-cache', 'gophermap', 'leak', 'secret']) expect(data.toString('latin1')).not.toContain(name);
    }
  });

  it('refuses traversal sent by curl with --path-as-is', async () => {
    for (const url of ['/0/../secret.txt', '/0/..%2fsecret.txt', '/9/%2e%2e/secret']) {
      const r = await curl(['--path-as-is', `gopher://127.0.0.1:${app.port}${url}`]);
      expect(r.stdout).not.toContain(SECRET);
      expect(r.stdout.startsWith('3')).toBe(true);
    }
  });
});

