import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArticleBytes } from '../../src/archive/read-article.js';
import { articleMenu } from '../../src/menus/article-menu.js';
import { Archive } from '../../src/archive/archive.js';
import { memoryIndex } from '../../src/archive/index-db.js';
import { renderMenu } from '../../src/protocol/encode-menu.js';
import { menuLines } from '../helpers/gopher.js';

/** Lines that look like article files: headings, labels, link and tag sections, indentation, junk. */
const articleLine = fc.oneof(
  fc.constantFrom('# taz.de -- Titel', '## LINKS', '## TAGS', '## ARTIKEL ZUM THEMA', '       ', '', '26 Apr 2025', '       > Lead'),
  fc.tuple(fc.constantFrom(' (DIR) ', '(FILE) ', ' (IMG) ', '(HTML) ', '  (?)  ', ' (BIN) ', '(UNKN) ', '       ', '  '), fc.string({ maxLength: 80 })).map(([a, b]) => a + b),
  fc.tuple(fc.constantFrom(' (DIR) [', '       ['), fc.nat(99), fc.constantFrom('] /Slug/!', '] /x', ']'), fc.string({ maxLength: 20 })).map(([a, n, b, c]) => `${a}${n}${b}${c}`),
  fc.string({ maxLength: 120 }),
);
const articleBytes = fc.oneof(
  fc.array(articleLine, { maxLength: 60 }).chain((lines) => fc.constantFrom('\n', '\r\n', '\r').map((eol) => Buffer.from(lines.join(eol), 'utf8'))),
  fc.array(articleLine, { maxLength: 60 }).map((lines) => Buffer.from(lines.join('\n'), 'latin1')),
  fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b)),
);

const ctx = {
  archive: new Archive(memoryIndex()),
  upstream: { host: 'taz.de', port: 70 },
  backlinks: false,
  charset: 'utf-8' as const,
  serverName: 'localhost',
  version: 'test',
};

describe('parseArticle and the article menu on any bytes', () => {
  it('never throws; every menu line has four fields, no stray CR or LF, and the menu ends with a dot', () => {
    fc.assert(
      fc.property(articleBytes, (bytes) => {
        const article = parseArticleBytes(bytes, 'Slug/!123.txt');
        expect(typeof article.title).toBe('string');
        const wire = renderMenu(articleMenu(ctx, article), { host: 'localhost', port: 70 });
        expect(wire.endsWith('\r\n.\r\n')).toBe(true);
        const lines = wire.split('\r\n').slice(0, -2);
        for (const l of lines) expect(l).not.toMatch(/[\r\n]/);
        for (const fields of menuLines(wire)) {
          expect(fields.length).toBe(4);
          expect(fields[3]).toMatch(/^\d+$/);
          expect(fields[0]!.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
