import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArticleBytes } from '../../src/archive/read-article.js';
import { parseDateLine } from '../../src/article/parse-article.js';
import { articleText } from '../../src/article/article-text.js';
import { REPO, SEED } from '../helpers/gopher.js';

describe('parseArticle on the seed', () => {
  const a = parseArticleBytes(readFileSync(SEED), 'Friedensverhandlungen-Ukraine/!6084887.txt');

  it('reads the heading line', () => {
    expect(a.site).toBe('taz.de');
    expect(a.title).toBe('Friedensverhandlungen Ukraine: Trump und Selenskyj treffen sich in Rom');
  });

  it('keeps one line per file line', () => {
    expect(a.lines).toHaveLength(167);
    expect(a.lines[1]).toEqual({ kind: 'info', text: '' });
    expect(a.lines[6]).toEqual({ kind: 'item', itemType: 'I', display: 'Bild: Bei ihrem letzten Treffen im Oval Office kam es zum Eklat: Donald Trump (r) und Wolodymyr Selenskyj', role: { kind: 'image', n: 1 } });
  });

  it('finds the date line, the teaser, links, tags and related articles', () => {
    expect(a.date).toBe('2025-04-26');
    expect(a.teaser).toBe('Zuletzt war in Washington ein Gespräch völlig aus dem Ruder gelaufen. Am Rande der Trauerfeier für den Papst kommt eventuell Bewegung in die Verhandlungen zum Ende des Krieges.');
    expect([...a.links]).toEqual([
      [1, '/US-Friedensplan-fuer-die-Ukraine/!6080807'],
      [2, '/Schwerpunkt-Krieg-in-der-Ukraine/!t5008150'],
      [3, '/Nach-dem-Eklat-im-Oval-Office/!6070090'],
      [4, '/Friedensplan-fuer-die-Ukraine/!6081904'],
      [5, '/-Nachrichten-im-Ukraine-Krieg-/!6084120'],
      [6, '/-Nachrichten-im-Ukraine-Krieg-/!6083777'],
      [7, '/Abschreckung-und-Nato-Beitritt/!6040121'],
      [8, '/Raketen-mit-hoher-Reichweite/!6035071'],
      [9, '/Angriff-auf-die-taz/!6081815'],
    ]);
    expect(a.tags).toEqual([
      'Schwerpunkt Krieg in der Ukraine', 'Schwerpunkt USA unter Trump', 'Wolodymyr Selenskyj', 'Donald Trump',
      'Papst Franziskus', 'GNS', 'Friedensverhandlungen', 'USA', 'taz lab 2025', 'Podcast „Bundestalk“',
    ]);
    expect(a.related).toHaveLength(9);
    expect(a.related[0]).toBe('Reaktionen auf Alaska-Gipfel: Verwunderung und Empörung');
    expect(a.related[8]).toBe('US-„Friedensplan“ für die Ukraine: Trump schimpft, Putin bombt');
  });

  it('gives the file back as its type-0 text', () => {
    expect(articleText(a)).toBe(readFileSync(SEED, 'utf8') + '\n');
  });
});

describe('parseArticle on odd input', () => {
  it('reads every lynx label as its item type', () => {
    const labels = [' (DIR) a', '(FILE) b', ' (IMG) c', '(HTML) d', ' (BIN) e', '  (?)  f', ' (SND) g', ' (TEL) h', '(3270) i', ' (CSO) j', ' (HQX) k', ' (UUE) l', ' (MOV) m', '(UNKN) n'];
    const a = parseArticleBytes(Buffer.from(['# s -- t', ...labels].join('\n')), 'x.txt');
    expect(a.lines.slice(1).map((l) => (l.kind === 'item' ? l.itemType + l.display : 'i'))).toEqual([
      '1a', '0b', 'Ic', 'hd', '9e', '7f', 'sg', '8h', 'Ti', '2j', '4k', '6l', ';m', 'dn',
    ]);
  });

  it('keeps a bare empty line and a short blank line as written (flush), for the exact web page', () => {
    const a = parseArticleBytes(Buffer.from('# s -- t\n\n   \n       x\n'), 'x.txt');
    expect(a.lines.slice(1)).toEqual([{ kind: 'info', text: '', flush: true }, { kind: 'info', text: '   ', flush: true }, { kind: 'info', text: 'x' }]);
  });

  it('uses the file name as title when there is no heading line', () => {
    const a = parseArticleBytes(Buffer.from('       just text\n'), 'dir/some-name.txt');
    expect(a.title).toBe('some-name');
    expect(a.site).toBe('');
  });

  it('decodes Windows-1252 and CRLF', () => {
    const a = parseArticleBytes(Buffer.from('# taz.de -- Gr\xfc\xdfe \x84zitiert\x93 \x96 5 \x80\r\n       Zeile\r\n', 'latin1'), 'x.txt');
    expect(a.title).toBe('Grüße „zitiert“ – 5 €');
    expect(a.lines[1]).toEqual({ kind: 'info', text: 'Zeile' });
  });

  it('parses date lines in English and German abbreviations', () => {
    expect(parseDateLine('26 Apr 2025')).toBe('2025-04-26');
    expect(parseDateLine('3 Dez 2024')).toBe('2024-12-03');
    expect(parseDateLine('1. Mär 2020')).toBe('2020-03-01');
    expect(parseDateLine('32 Apr 2025')).toBeUndefined();
    expect(parseDateLine('Apr 2025')).toBeUndefined();
  });

  it('reads a fixture with every role', () => {
    const a = parseArticleBytes(readFileSync(path.join(REPO, 'tests/fixtures/archive/Energiewende-Kurz/!1000001.txt')), 'Energiewende-Kurz/!1000001.txt');
    expect(a.tags).toEqual(['Energiewende', 'Klimawandel', 'Bundesnetzagentur']);
    expect(a.date).toBe('2025-05-03');
    expect(a.related).toEqual(['Windkraft an Land: Mehr Anlagen, weniger Streit', 'Gibt es nicht: Ein Artikel, der fehlt']);
  });
});
