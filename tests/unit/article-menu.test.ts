import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Archive } from '../../src/archive/archive.js';
import { memoryIndex } from '../../src/archive/index-db.js';
import { parseArticleBytes } from '../../src/archive/read-article.js';
import { articleMenu } from '../../src/menus/article-menu.js';
import { renderMenu } from '../../src/protocol/encode-menu.js';
import { encodeText } from '../../src/charset/encode.js';
import { REPO } from '../helpers/gopher.js';

const FIX = path.join(REPO, 'tests/fixtures/expected');

describe('articleMenu + renderMenu', () => {
  it('renders a small article to the hand-written menu, byte for byte', () => {
    const article = parseArticleBytes(readFileSync(path.join(FIX, 'small-article.txt')), 'small-article.txt');
    const ctx = { archive: new Archive(memoryIndex()), upstream: { host: 'up.example', port: 70 }, backlinks: false, charset: 'utf-8', serverName: 'h.example', version: '0' };
    const bytes = encodeText(renderMenu(articleMenu(ctx, article), { host: 'h.example', port: 7070 }), 'utf-8');
    expect(bytes.equals(readFileSync(path.join(FIX, 'small-article.menu')))).toBe(true);
  });
});

describe('renderMenu', () => {
  it('keeps every line at four fields whatever the text holds', () => {
    const out = renderMenu([{ itemType: 'i', display: 'a\tb\r\nc\rd\ne', selector: 's\tx' }], { host: 'h', port: 70 });
    // A selector keeps naming the same thing: its TAB goes as %09, which the server decodes once.
    expect(out).toBe('ia    b c d e\ts%09x\tnull.host\t1\r\n.\r\n');
  });

  it('writes foreign items with their own host and port', () => {
    expect(renderMenu([{ itemType: '1', display: 'x', selector: '/y', host: 'other', port: 7071 }], { host: 'h', port: 70 })).toBe('1x\t/y\tother\t7071\r\n.\r\n');
  });
});
