import { describe, expect, it } from 'vitest';
import { Archive } from '../../src/archive/archive.js';
import { memoryIndex } from '../../src/archive/index-db.js';
import { parseArticle } from '../../src/article/parse-article.js';
import { articleMenu } from '../../src/menus/article-menu.js';
import { renderMenu } from '../../src/protocol/encode-menu.js';

describe('the article menu of an imported article', () => {
  it('serves a web link as an h item with a URL: selector and a gopher link as the item it names', () => {
    const file = ['# example.org -- Links', '       ', '       [1][Web] und [2][Gopher].', '       ', '       1 Jun 2025', '       ', '       ## LINKS', '       ',
      '(HTML) [1] https://example.org/a?b=c', '(FILE) [2] gopher://gopher.example.org:7070/0/notes.txt'];
    const ctx = { archive: new Archive(memoryIndex()), upstream: { host: 'taz.de', port: 70 }, backlinks: false, charset: 'utf-8', serverName: 'h', version: '0' };
    const menu = renderMenu(articleMenu(ctx, parseArticle(file)), { host: 'h.example', port: 7070 }).split('\r\n');
    expect(menu).toContain('h[1] https://example.org/a?b=c\tURL:https://example.org/a?b=c\th.example\t7070');
    expect(menu).toContain('0[2] gopher://gopher.example.org:7070/0/notes.txt\t/notes.txt\tgopher.example.org\t7070');
  });
});
