import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/article/parse-article.js';
import { articleFile } from '../../src/import/article-file.js';
import { domToBlocks } from '../../src/import/blocks.js';
import { parseFragment } from '../../src/import/extract.js';
import { LinkTable } from '../../src/import/links.js';
import { wrapParagraph, wrapText } from '../../src/import/wrap.js';
import { REPO } from '../helpers/gopher.js';

const IMPORT_FIXTURES = path.join(REPO, 'tests/fixtures/import');

const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);

describe('wrapText', () => {
  it('fills lines up to the width, breaking only at spaces', () => {
    expect(wrapText('eins zwei drei vier', 9)).toEqual(['eins zwei', 'drei vier']);
    expect(wrapText('eins zwei drei', 14)).toEqual(['eins zwei drei']);
  });

  it('keeps a word longer than the line whole, on a line of its own', () => {
    expect(wrapText('a https://example.org/very/long b', 10)).toEqual(['a', 'https://example.org/very/long', 'b']);
  });

  it('counts characters, not bytes: „ “ – € are one column each', () => {
    expect(wrapText('„ab“ – 5 €', 10)).toEqual(['„ab“ – 5 €']);
    expect(wrapText('„ab“ – 5 € x', 10)).toEqual(['„ab“ – 5 €', 'x']);
  });

  it('breaks at no no-break space', () => {
    expect(wrapText('10\u00a0000 Euro', 6)).toEqual(['10\u00a0000', 'Euro']);
  });

  it('loses no word, whatever the width', () => {
    const text = 'Die Anschlüsse für neue Windparks in der Nordsee kommen später als geplant, sagt die Behörde – „leider“.';
    for (let w = 1; w <= 80; w++) expect(words(wrapText(text, w).join(' '))).toEqual(words(text));
  });
});

describe('wrapParagraph', () => {
  it('puts the first prefix on the first line and the rest on the others, within the width', () => {
    expect(wrapParagraph('eins zwei drei', 8, '* ', '  ')).toEqual(['* eins', '  zwei', '  drei']);
  });

  it('starts a line at a hard break and keeps an empty one for two', () => {
    expect(wrapParagraph('a\nb\n\nc\n', 10)).toEqual(['a', 'b', '', 'c']);
  });
});

describe('articleFile', () => {
  it('lays out every kind of block as the hand-written file has it', () => {
    const html = readFileSync(path.join(IMPORT_FIXTURES, 'blocks.html'), 'utf8');
    const links = new LinkTable({ base: 'https://example.org/artikel/eins.html', known: new Map() });
    const blocks = domToBlocks(parseFragment(html), { links });
    const file = articleFile({
      site: 'example.org', title: 'Alle Bausteine',
      lead: 'Der Vorspann, als Teaser, in Zeilen mit einem Größer-Zeichen davor, die ebenfalls umbrochen werden.',
      blocks, links: links.lines(), tags: ['Bausteine', 'Format', 'Bausteine'], date: '1 Jun 2025',
    });
    expect(file).toBe(readFileSync(path.join(IMPORT_FIXTURES, 'blocks.txt'), 'utf8'));
  });

  it('writes what the archive reads back: title, teaser, date, links and tags', () => {
    const file = readFileSync(path.join(IMPORT_FIXTURES, 'blocks.txt'), 'utf8');
    const a = parseArticle(file.split('\n').slice(0, -1));
    expect(a.site).toBe('example.org');
    expect(a.title).toBe('Alle Bausteine');
    expect(a.teaser).toBe('Der Vorspann, als Teaser, in Zeilen mit einem Größer-Zeichen davor, die ebenfalls umbrochen werden.');
    expect(a.date).toBe('2025-06-01');
    expect([...a.links]).toEqual([[1, 'https://example.org/intern/seite.html'], [2, 'gopher://gopher.example.org:7070/0/notes.txt'], [3, 'mailto:redaktion@example.org']]);
    expect(a.tags).toEqual(['Bausteine', 'Format']);
    const types = a.lines.filter((l) => l.kind === 'item').map((l) => (l.kind === 'item' ? l.itemType : ''));
    expect(types).toEqual(['I', 'h', '0', 'h', '1', '1']);
  });

  it('keeps every line of body text within 75 columns after the indent, unless one word is longer', () => {
    const file = readFileSync(path.join(IMPORT_FIXTURES, 'blocks.txt'), 'utf8');
    const long = file.split('\n').filter((l) => l.startsWith('       ') && [...l].length > 82);
    expect(long).toEqual(['       https://example.org/ein/sehr/langer/pfad/der/nicht/umbrochen/werden/darf/weil/er/sonst/kaputt/geht.html']);
  });

  it('gives a subheading that reads as a list section a colon, so that the body goes on', () => {
    const file = articleFile({ site: 's', title: 't', blocks: [{ kind: 'heading', text: 'Tags' }, { kind: 'paragraph', text: 'Text.' }], links: [], tags: [], date: '2 Jan 2025' });
    expect(file).toBe('# s -- t\n       \n       ## Tags:\n       \n       Text.\n       \n       2 Jan 2025\n');
    expect(parseArticle(file.split('\n')).date).toBe('2025-01-02');
  });
});
