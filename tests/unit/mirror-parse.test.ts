import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { gopherError, parseMenu, parseMenuText } from '../../src/mirror/parse-menu.js';
import { articleFile, gophermapFile, mirrorPathOfSelector } from '../../src/mirror/save.js';
import { parseGopherUrl } from '../../src/mirror/gopher-url.js';
import { parseFilesList } from '../../src/mirror/archive-copy.js';

const FROM = { host: 'h.example', port: 7070 };

describe('parseMenuText', () => {
  it('reads CRLF lines up to the lone dot', () => {
    const m = parseMenuText('iHello\t\th.example\t7070\r\n1Sub\t/sub/\th.example\t7070\r\n.\r\n0after dot\t/x\th\t70\r\n', FROM);
    expect(m).toEqual({
      items: [
        { itemType: 'i', display: 'Hello', selector: '', host: 'h.example', port: 7070 },
        { itemType: '1', display: 'Sub', selector: '/sub/', host: 'h.example', port: 7070 },
      ],
      malformed: 0,
      terminated: true,
    });
  });

  it('takes LF-only lines without a final dot, raw text lines as info, missing host and port as the server asked', () => {
    const m = parseMenuText('just text, no tabs\n0File\t/f.txt\n9Bin\t/b\tother.example\t70\t+\n1Bad port\t/p\th\tx7\n', FROM);
    expect(m.terminated).toBe(false);
    expect(m.malformed).toBe(3);
    expect(m.items).toEqual([
      { itemType: 'i', display: 'just text, no tabs', selector: '', host: 'h.example', port: 7070 },
      { itemType: '0', display: 'File', selector: '/f.txt', host: 'h.example', port: 7070 },
      { itemType: '9', display: 'Bin', selector: '/b', host: 'other.example', port: 70 },
      { itemType: '1', display: 'Bad port', selector: '/p', host: 'h', port: 7070 },
    ]);
  });

  it('decodes a Latin-1 menu', () => {
    const m = parseMenu(iconv.encode('iGrüße aus Köln\t\th\t70\r\n.\r\n', 'latin1'), FROM);
    expect(m.items[0]!.display).toBe('Grüße aus Köln');
  });
});

describe('gopherError', () => {
  it('finds a type-3 answer, and only that', () => {
    expect(gopherError(Buffer.from('3No such file\t\terror.host\t1\r\n.\r\n'), FROM)).toBe('No such file');
    expect(gopherError(Buffer.from('3 is a number at the start of a text\n'), FROM)).toBeUndefined();
    expect(gopherError(Buffer.from('3Err\t\th\t1\r\n0File\t/f\th\t70\r\n'), FROM)).toBeUndefined();
  });
});

describe('mirrorPathOfSelector', () => {
  it('maps selectors to paths as the selector scheme reads them', () => {
    expect(mirrorPathOfSelector('/')).toBe('');
    expect(mirrorPathOfSelector('')).toBe('');
    expect(mirrorPathOfSelector('/Slug/!123')).toBe('Slug/!123');
    expect(mirrorPathOfSelector('/a b/c%20d.txt')).toBe('a b/c d.txt');
    expect(mirrorPathOfSelector('overbite')).toBe('overbite');
  });

  it('encodes what cannot be a safe file name reversibly', () => {
    expect(mirrorPathOfSelector('/../etc/passwd')).toBe('%2E./etc/passwd');
    expect(mirrorPathOfSelector('/.hidden/x')).toBe('%2Ehidden/x');
    expect(mirrorPathOfSelector('/a\\b')).toBe('a%5Cb');
    expect(mirrorPathOfSelector('/50%25')).toBe('50%25');
    expect(mirrorPathOfSelector('/bell\x07')).toBe('bell%07');
    const rel = mirrorPathOfSelector('/.a%5Cb/../c%25')!;
    expect(rel.split('/').map(decodeURIComponent).join('/')).toBe('.a\\b/../c%');
    expect(mirrorPathOfSelector('/' + 'x'.repeat(300))).toBeUndefined();
    // Names of 240 bytes at most, paths of 1024: far from the file system's 255 and 4096.
    expect(mirrorPathOfSelector('/' + 'x'.repeat(240))).toBe('x'.repeat(240));
    const segment = 'y'.repeat(203);
    expect(mirrorPathOfSelector(`/${segment}/${segment}/${segment}/${segment}/${segment}/x`)).toHaveLength(1021);
    expect(mirrorPathOfSelector(`/${segment}/${segment}/${segment}/${segment}/${segment}/xyzwv`)).toBeUndefined();
  });
});

describe('articleFile', () => {
  const items = [
    { itemType: 'i', display: 'Ein Titel', selector: '', host: 'h', port: 70 },
    { itemType: 'i', display: '', selector: '', host: 'h', port: 70 },
    { itemType: '1', display: '[1] /Slug/!1', selector: '/Slug/!1', host: 'h', port: 70 },
    { itemType: 'I', display: 'Bild', selector: '/i.jpg', host: 'h', port: 70 },
    { itemType: '7', display: 'Suche', selector: '/s', host: 'h', port: 70 },
    { itemType: 'x', display: 'Unbekannt', selector: '/u', host: 'h', port: 70 },
  ];

  it('writes a lynx dump with a heading', () => {
    expect(articleFile(items, 'taz.de', 'Der Titel')).toBe(
      '# taz.de -- Der Titel\n       Ein Titel\n       \n (DIR) [1] /Slug/!1\n (IMG) Bild\n  (?)  Suche\n(UNKN) Unbekannt\n',
    );
  });

  it('keeps a heading the menu already has, flush left', () => {
    const withHeading = [{ itemType: 'i', display: '# a.b -- T', selector: '', host: 'h', port: 70 }, ...items.slice(0, 1)];
    expect(articleFile(withHeading, 'ignored', 'ignored')).toBe('# a.b -- T\n       Ein Titel\n');
  });
});

describe('gophermapFile', () => {
  it('leaves host and port out for items on the mirrored server', () => {
    const menu = parseMenuText('iText\t\tnull.host\t1\r\n0Here\t/f\th.example\t7070\r\n1There\t/\tother\t70\r\n.\r\n', FROM);
    expect(gophermapFile(menu.items, FROM)).toBe('iText\t\tnull.host\t1\n0Here\t/f\n1There\t/\tother\t70\n');
  });
});

describe('parseGopherUrl', () => {
  it('reads host, port, type and selector', () => {
    expect(parseGopherUrl('gopher://127.0.0.1:7070/')).toEqual({ host: '127.0.0.1', port: 7070, itemType: '1', selector: '' });
    expect(parseGopherUrl('gopher://example.org')).toEqual({ host: 'example.org', port: 70, itemType: '1', selector: '' });
    expect(parseGopherUrl('gopher://[::1]:71/0/a%20b.txt')).toEqual({ host: '::1', port: 71, itemType: '0', selector: '/a b.txt' });
    expect(parseGopherUrl('http://example.org/')).toBeUndefined();
    expect(parseGopherUrl('gopher://h:99999/')).toBeUndefined();
  });
});

describe('parseFilesList', () => {
  it('drops lines that would write outside the mirror', () => {
    const { files, bad } = parseFilesList(Buffer.from('a/\t-\t/a/\na/!1.txt\t1-2\t/a/!1.txt\n../x\t1-2\t/x\n.git/config\t1-1\t/c\n/abs\t1\t/abs\nshort\n'));
    expect(files).toEqual([
      { path: 'a', version: '-', selector: '/a/', isDir: true },
      { path: 'a/!1.txt', version: '1-2', selector: '/a/!1.txt', isDir: false },
    ]);
    expect(bad).toBe(4);
  });
});
