import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { REPO, gopher, lynxDump, startServer } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * `/browse/` ("Folders of content/" on the front page) and the folders under it, over real sockets:
 * a folder's own listing, and a type-3 error for anything under /browse/ that is no folder.
 */
describe('/browse/', () => {
  let app: App;
  const content = tempDir('gp-browse-', path.join(REPO, 'tests/fixtures/archive'));
  const error = (message: string): string => `3${message}\t\t127.0.0.1\t${app.port}\r\n.\r\n`;

  beforeAll(async () => {
    // 201 files: one more than a page holds.
    mkdirSync(path.join(content, 'viele'));
    for (let i = 0; i < 201; i++) writeFileSync(path.join(content, 'viele', `datei-${String(i).padStart(3, '0')}.bin`), 'x');
    app = await startServer(content);
  });
  afterAll(() => app.close());

  it('lists the folder named after it, not the top folder', async () => {
    expect(await gopher(app.port, '/browse/notes/')).toBe(
      'iFolder /notes\t\tnull.host\t1\r\n' +
        'i\t\tnull.host\t1\r\n' +
        `102.01.2024 Notizen ohne Nummer\t/notes/notizen\t127.0.0.1\t${app.port}\r\n` +
        '.\r\n',
    );
    const dump = await lynxDump(`gopher://127.0.0.1:${app.port}/1/browse/2025/05/`);
    expect(dump).toContain('Folder /2025/05');
    expect(dump).toContain('(DIR) 01');
    expect(dump).not.toContain('Energiewende-Kurz');
    // The top folder itself, with and without the trailing slash.
    for (const sel of ['/browse/', '/browse']) {
      const top = await gopher(app.port, sel);
      expect(top).toContain('iFolder /\t');
      expect(top).toContain(`1notes\t/notes/\t127.0.0.1\t${app.port}\r\n`);
    }
  });

  it('pages a long folder under its own /browse/ selector', async () => {
    const p1 = await gopher(app.port, '/browse/viele/');
    expect(p1).toContain('iFolder /viele\t');
    expect(p1).toContain(`9datei-199.bin\t/viele/datei-199.bin\t127.0.0.1\t${app.port}\r\n`);
    expect(p1).not.toContain('datei-200.bin');
    expect(p1).toContain(`1next page (2 of 2)\t/browse/viele/p2\t127.0.0.1\t${app.port}\r\n`);
    const p2 = await gopher(app.port, '/browse/viele/p2');
    expect(p2).toContain(`9datei-200.bin\t/viele/datei-200.bin\t127.0.0.1\t${app.port}\r\n`);
    expect(p2).toContain(`1previous page (1 of 2)\t/browse/viele/\t127.0.0.1\t${app.port}\r\n`);
    expect(await gopher(app.port, '/browse/viele/p3')).toBe(error('No such page'));
  });

  it('answers anything else under /browse/ with a type-3 error', async () => {
    for (const sel of ['/browse/xyz', '/browse/xyz/', '/browse/notes', '/browse/notes/notizen.txt', '/browse/notes/notizen.txt/', '/browse/../', '/browse/.git/', '/browse/%2e%2e/', '/browse//']) {
      expect(await gopher(app.port, sel), sel).toBe(error('No such folder'));
    }
    const dump = await lynxDump(`gopher://127.0.0.1:${app.port}/1/browse/xyz`);
    expect(dump).toContain('No such folder');
    expect(dump).not.toContain('Folder /');
  });
});
