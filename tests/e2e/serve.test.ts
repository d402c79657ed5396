import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { REPO, SEED, gopher, gopherRaw, lynxDump, menuLines, startServer } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';

describe('the server over real sockets', () => {
  let app: App;
  let content: string;
  beforeAll(async () => {
    const dir = tempDir('gp-serve-');
    content = path.join(dir, 'content');
    const { cpSync } = await import('node:fs');
    cpSync(path.join(REPO, 'tests/fixtures/archive'), content, { recursive: true });
    cpSync(path.join(REPO, 'tests/fixtures/roundtrip'), content, { recursive: true });
    // The seed only: the bundled archive's other articles would change the dates and tags counted here.
    cpSync(path.dirname(SEED), path.join(content, path.basename(path.dirname(SEED))), { recursive: true });
    writeFileSync(path.join(dir, 'secret.txt'), 'TOP SECRET');
    writeFileSync(path.join(content, '.hidden'), 'hidden');
    app = await startServer(content);
  });
  afterAll(() => app.close());

  it('shows a root menu in lynx with the articles newest first', async () => {
    const dump = await lynxDump(`gopher://127.0.0.1:${app.port}/`);
    const lines = dump.split('\n').map((l) => l.trimEnd());
    const dated = lines.filter((l) => / \(DIR\) \d\d\.\d\d\.\d{4} /.test(l));
    const newestFirst = [
      ' (DIR) 04.05.2025 Zeilenenden: CRLF aus einem Windows-Editor',
      ' (DIR) 03.05.2025 Alle Eintragstypen, die lynx kennt',
      ' (DIR) 03.05.2025 Energiewende: Wind, Sonne und Streit um Netze',
      ' (DIR) 02.05.2025 Bilderstrecke: Drei Bilder, zehn Verweise & ein <Sonderfall>',
      ' (DIR) 01.05.2025 Windkraft an Land: Mehr Anlagen, weniger Streit',
      ' (DIR) 26.04.2025 Friedensverhandlungen Ukraine: Trump und Selenskyj treffen sich in Rom',
      ' (DIR) 02.01.2024 Notizen ohne Nummer',
    ];
    // Same date: the index keeps a fixed order of its own (archive/article-key.ts), either way round.
    const sameDay = (l: string): string => l.slice(0, 17);
    expect(dated.slice(0, 7).map(sameDay)).toEqual(newestFirst.map(sameDay));
    expect([...dated.slice(0, 7)].sort()).toEqual([...newestFirst].sort());
    expect(lines).toContain(' (DIR) Tags (16)');
  });

  it('resolves links to archived articles locally and the rest upstream', async () => {
    const lines = menuLines(await gopher(app.port, '/Energiewende-Kurz/!1000001'));
    const by = (d: string) => lines.find((f) => f[0] === d);
    expect(by('1[1] /Windkraft-an-Land/!1000002')).toEqual(['1[1] /Windkraft-an-Land/!1000002', '/Windkraft-an-Land/!1000002', '127.0.0.1', String(app.port)]);
    expect(by('1[2] /Schwerpunkt-Klimawandel/!t5008262')).toEqual(['1[2] /Schwerpunkt-Klimawandel/!t5008262', '/Schwerpunkt-Klimawandel/!t5008262', 'taz.de', '70']);
    expect(by('1[3] /Friedensverhandlungen-Ukraine/!6084887')?.slice(1)).toEqual(['/Friedensverhandlungen-Ukraine/!6084887', '127.0.0.1', String(app.port)]);
    expect(by('1Windkraft an Land: Mehr Anlagen, weniger Streit')?.[1]).toBe('/!1000002');
    expect(by('1Gibt es nicht: Ein Artikel, der fehlt')?.[1]).toBe('/search/Gibt-es-nicht-Ein-Artikel-der-fehlt');
    expect(by('IBild: Windräder bei Nauen in Brandenburg')?.[1]).toBe('/Energiewende-Kurz/!1000001.gif');
  });

  it('resolves a link given under another slug locally, and finds the n-th image beside the article', async () => {
    const lines = menuLines(await gopher(app.port, '/Mehrere-Bilder/!1000103'));
    const by = (d: string) => lines.find((f) => f[0] === d);
    const local = ['127.0.0.1', String(app.port)];
    // taz.de accepts any slug in front of an id; so does this server, so the link keeps its own.
    expect(by('1[2] /Ein-anderer-Slug-fuer-dasselbe/!1000002')?.slice(1)).toEqual(['/Ein-anderer-Slug-fuer-dasselbe/!1000002', ...local]);
    expect(by('1[4] /Irgendwo/!1000001')?.slice(1)).toEqual(['/Irgendwo/!1000001', ...local]);
    expect(by('1[10] /Nicht-im-Archiv/!6000010')?.slice(1)).toEqual(['/Nicht-im-Archiv/!6000010', 'taz.de', '70']);
    const images = lines.filter((f) => f[0]!.startsWith('I'));
    expect(images.map((f) => f[1])).toEqual(['/placeholder/49', '/Mehrere-Bilder/!1000103-2.gif', '/placeholder/49']);
    expect((await gopherRaw(app.port, '/Ein-anderer-Slug-fuer-dasselbe/!1000002\r\n')).toString('utf8')).toMatch(/^i# taz\.de -- Windkraft an Land/);
  });

  it('serves a stored image byte for byte and a placeholder GIF for a missing one', async () => {
    const stored = await gopherRaw(app.port, '/Energiewende-Kurz/!1000001.gif\r\n');
    expect(stored.equals(readFileSync(path.join(content, 'Energiewende-Kurz/!1000001.gif')))).toBe(true);
    const ph = await gopherRaw(app.port, '/placeholder/49\r\n');
    expect(ph.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    expect(ph.length).toBe(42);
  });

  it('lists folders of content/ as menus', async () => {
    const lines = menuLines(await gopher(app.port, '/2025/05/'));
    expect(lines.map((f) => f.slice(0, 2))).toEqual([['iFolder /2025/05', ''], ['i', ''], ['101', '/2025/05/01/']]);
    const day = menuLines(await gopher(app.port, '/2025/05/01'));
    expect(day.at(-1)!.slice(0, 2)).toEqual(['101.05.2025 Windkraft an Land: Mehr Anlagen, weniger Streit', '/!1000002']);
  });

  it('serves an article without an id by its path, and its text with .txt', async () => {
    expect((await gopher(app.port, '/notes/notizen')).startsWith('i# example.org -- Notizen ohne Nummer\t')).toBe(true);
    expect(await gopher(app.port, '/notes/notizen.txt')).toBe(readFileSync(path.join(content, 'notes/notizen.txt'), 'utf8'));
  });

  it.each(['/../secret.txt', '../secret.txt', '/%2e%2e/secret.txt', '/.hidden', '/Energiewende-Kurz/../../secret.txt', '/etc/passwd', '/x\0y'])(
    'refuses %j with a type-3 line',
    async (sel) => {
      const body = await gopher(app.port, sel);
      expect(body).toMatch(/^3[^\r\n]*\t\t127\.0\.0\.1\t\d+\r\n\.\r\n$/);
      expect(body).not.toContain('SECRET');
    },
  );
});
