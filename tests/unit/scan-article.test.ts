import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanArticle } from '../../src/article/scan-article.js';
import { parseArticleBytes, searchableText } from '../../src/archive/read-article.js';
import { tokenize } from '../../src/search/fold.js';
import { FoldedWords } from '../../src/search/folded-words.js';
import { REPO } from '../helpers/gopher.js';

/** What a cold start's byte scanner makes of a file: the entry's facts and the words search sees. */
function scanned(bytes: Buffer, name = 'Slug/!1.txt'): unknown {
  const words = new FoldedWords();
  const facts = scanArticle(bytes, path.basename(name, '.txt'), words);
  return facts && { site: facts.site, title: facts.title, date: facts.date, tags: facts.tags, links: [...facts.links], words: words.toStrings() };
}

/** The same, the way the server reads an article it serves (decoded, parsed, searchableText, tokenize). */
function parsed(bytes: Buffer, name = 'Slug/!1.txt'): unknown {
  const a = parseArticleBytes(bytes, name);
  return { site: a.site, title: a.title, date: a.date, tags: a.tags, links: [...a.links], words: tokenize(searchableText(a)) };
}

function articleFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? articleFiles(p) : n.endsWith('.txt') ? [p] : [];
  });
}

describe('scanArticle: the facts and search words of an article file, from its bytes', () => {
  it('reads a small article byte for byte', () => {
    const file = [
      '# taz.de -- Straßenbahn: Führung [1] fährt',
      '       ',
      '       > Die Bahn[1] fährt. 3 Mai 2020 ist kein Datum hier',
      ' (IMG) Bild: Gleise',
      '       [2][Mehr] dazu',
      '       ',
      '       3 Mai 2025',
      '       ## LINKS',
      ' (DIR) [1] /Bahn/!100',
      ' (DIR) [2] /Bahn/!200',
      '(FILE) [3] /Text/!300',
      '       ## TAGS',
      ' (DIR) Verkehr ',
      ' (DIR) [1] Tag',
      ' (DIR) Verkehr',
      '       ## ARTIKEL ZUM THEMA',
      ' (DIR) Ältere Bahn',
      '       1 Jan 1999',
    ].join('\n');
    expect(scanned(Buffer.from(file))).toEqual({
      site: 'taz.de',
      title: 'Straßenbahn: Führung [1] fährt',
      date: '2025-05-03',
      tags: ['Verkehr', '[1] Tag'],
      links: [[1, '/Bahn/!100'], [2, '/Bahn/!200'], [3, '/Text/!300']],
      words: [
        'strassenbahn', 'fuhrung', '1', 'fahrt', // the title keeps its [1]
        'die', 'bahn', 'fahrt', '3', 'mai', '2020', 'ist', 'kein', 'datum', 'hier', 'bild', 'gleise',
        'mehr', 'dazu', '3', 'mai', '2025', 'links', 'tags', 'verkehr', '1', 'tag', 'verkehr', 'artikel', 'zum', 'thema', 'altere', 'bahn', '1', 'jan', '1999',
      ],
    });
    expect(scanned(Buffer.from(file))).toEqual(parsed(Buffer.from(file)));
  });

  it('agrees with parseArticle on every fixture and the bundled content', () => {
    const files = [...articleFiles(path.join(REPO, 'tests/fixtures')), ...articleFiles(path.join(REPO, 'content'))];
    expect(files.length).toBeGreaterThan(5);
    let fast = 0;
    for (const f of files) {
      const bytes = readFileSync(f);
      const s = scanned(bytes, f);
      if (s === undefined) continue;
      fast++;
      expect(s, f).toEqual(parsed(bytes, f));
    }
    expect(fast).toBeGreaterThan(5);
  });

  it('agrees on odd first lines, empty files, a BOM, missing line ends and wide blanks before a date', () => {
    const odd = [
      '', '\n', '\n\n', 'x', '       indented first line\n       22 Feb 2022\n', ' (DIR) item first\nText\n', '# only a hash\nWort',
      '\ufeff# s -- BOM titel\n       Wort\n', '# s -- t\n\u00a0 1 Jan 2001\n', '# s -- t\n   \u3000 2. Mär 2021\u2003\n', '# s -- \n## LINKS\n (DIR) [1] /a/!1\n## Weiter\n 5 Jun 2005',
      '# s -- t\n  (?)  [7] /q\n       ## ARTIKEL ZUM THEMA\n (DIR) [8] /x/!8\n       ## TAGS\n(FILE) Kein Tag\n (DIR)  Tag mit Rand ',
    ];
    for (const text of odd) expect(scanned(Buffer.from(text)), JSON.stringify(text)).toEqual(parsed(Buffer.from(text)));
  });

  it('agrees on section lines: case, trailing blanks, lengths like a list name, letters beyond ASCII', () => {
    const item = '\n (DIR) [1] /a/!1\n (DIR) Tag\n       1 Jan 2001\n';
    const names = [
      'LINKS', 'links \t', 'Tags\u000b', 'TAGS\f ', 'artikel zum thema  ', 'LINKSX', 'LINK', 'TAG', '', ' ', '   ', 'x', 'Weiter',
      'ARTIKEL ZUM THEM', 'ARTIKEL ZUM THEMA!', 'L\u0131nks', 'LINKS\u2028', 'LINKS\u2028x', 'TAGS\u00a0', '\u00a0', 'Tag\u00df', 'TAGS\u001f',
    ];
    for (const name of names) {
      for (const text of [`# s -- t\n## ${name}${item}`, `# s -- t\n       ## ${name}${item}## TAGS${item}       ## ${name}${item}`]) {
        expect(scanned(Buffer.from(text)), JSON.stringify(text)).toEqual(parsed(Buffer.from(text)));
      }
    }
  });

  it('leaves Windows-1252 and CR line ends to parseArticle', () => {
    expect(scanned(Buffer.from('# s -- Gr\xfc\xdfe\n', 'latin1'))).toBeUndefined();
    expect(scanned(Buffer.from('# s -- t\r\n       x\r\n'))).toBeUndefined();
    expect(scanned(Buffer.from('# s -- t\r       x'))).toBeUndefined();
  });

  it('agrees with parseArticle on any article-like bytes', () => {
    const line = fc.oneof(
      fc.constantFrom('# taz.de -- Titel', '## LINKS', '## TAGS', '## ARTIKEL ZUM THEMA', '       ## Links ', '       ', '', '26 Apr 2025', '       3. Dez 2024', '       > Lead'),
      fc.tuple(fc.constantFrom(' (DIR) ', '(FILE) ', ' (IMG) ', '(HTML) ', '  (?)  ', '       ', '  ', ''), fc.string({ maxLength: 60, unit: 'grapheme' })).map(([a, b]) => a + b),
      fc.tuple(fc.constantFrom(' (DIR) [', '       [', '       x['), fc.nat(99), fc.constantFrom('] /Slug/!', '] /x', ']', '][Wort] '), fc.string({ maxLength: 20 })).map(([a, n, b, c]) => `${a}${n}${b}${c}`),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), fc.boolean(), (lines, finalEol) => {
        const bytes = Buffer.from(lines.join('\n') + (finalEol ? '\n' : ''), 'utf8');
        const s = scanned(bytes);
        if (s !== undefined) expect(s).toEqual(parsed(bytes));
      }),
      { numRuns: 2000 },
    );
  });
});
