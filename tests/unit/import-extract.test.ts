import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { articleFile } from '../../src/import/article-file.js';
import { extractFromFeed, extractFromPage } from '../../src/import/extract.js';
import { buildArticle } from '../../src/import/build-article.js';
import { IMPORT_FIXTURES, fixture } from '../helpers/web-fixtures.js';

const read = (name: string): string => readFileSync(path.join(IMPORT_FIXTURES, name), 'utf8');

/** Page → the article file, as `import` writes it (no feed item, nothing known yet). */
function pageFile(html: string, url: string, known = new Map<string, string>()): { via: string; file: string } {
  const ex = extractFromPage(html, url)!;
  return { via: ex.via, file: articleFile(buildArticle(ex, undefined, ex.rule?.name ?? 'example.org', known, '1 Jan 2025')) };
}

describe('extracting a taz.de page by its rule', () => {
  it('gives the hand-written file: kicker: headline, the lead, the figure, [n] links, tags and the day as written', () => {
    const r = pageFile(read('taz-article.html'), 'https://taz.de/Windenergie-auf-See/!6090001/');
    expect(r.via).toBe('rule taz.de');
    expect(r.file).toBe(read('taz-article.txt'));
  });

  it('applies the rule to a copy served elsewhere (by its marker) and to a saved file, with the same result', () => {
    expect(pageFile(read('taz-article.html'), 'http://127.0.0.1:8080/taz/Windenergie-auf-See/!6090001/').file).toBe(read('taz-article.txt'));
    expect(pageFile(read('taz-article.html'), 'file:///tmp/taz-article.html').file).toBe(read('taz-article.txt'));
  });

  it('leaves out navigation, teasers, ads, sharing and the repeated caption; Readability alone would keep the ad', () => {
    const { file } = pageFile(read('taz-article.html'), 'https://taz.de/Windenergie-auf-See/!6090001/');
    for (const gone of ['Politik', 'Ein anderes Thema', 'Anzeige', 'abonnieren', 'Teilen', 'Konverterplattform', 'Impressum', 'Mehr zum Thema']) expect(file).not.toContain(gone);
    const plain = pageFile(read('taz-article.html').replace(/<meta property="og:site_name"[^>]*>/, '').replace(/<link rel="canonical"[^>]*>/, ''), 'https://example.org/a/!6090001/');
    expect(plain.via).toBe('readability');
    expect(plain.file).toContain('Anzeige: Ökostrom');
  });
});

describe('extracting a page with Readability', () => {
  const base = 'http://127.0.0.1:8080';
  const html = fixture('blog-post.html', base).toString('utf8');

  it('finds the post without navigation, comments or widgets, its title without the site name, its tags and date', () => {
    const meter = `${base}/blog/2025/03/meter-reading/`;
    const { via, file } = pageFile(html, `${base}/blog/2025/04/balcony-solar/`, new Map([[meter, '/127.0.0.1_8080/!123456789012345']]));
    expect(via).toBe('readability');
    expect(file.split('\n').slice(0, 5)).toEqual([
      '# example.org -- Balcony solar, one year on',
      '       ',
      '       > What a 600-watt balcony plant really delivered in its first year, month',
      '       > by month.',
      '       ',
    ]);
    for (const gone of ['Skip to content', 'Recent Posts', 'Great numbers', 'Proudly powered', 'Post navigation']) expect(file).not.toContain(gone);
    expect(file).toContain('       * June: 84 kWh, the best month by far\n       * November:');
    expect(file).toContain('         The cheapest kilowatt hour is the one you make where you use it.\n');
    expect(file).toContain('\n       27 Apr 2025\n');
    expect(file.split('## LINKS')[1]).toBe([
      '',
      '       ',
      `(HTML) [1] ${base}/blog/2025/04/balcony-solar/data.csv`,
      '(HTML) [2] https://www.dwd.de/EN/Home/home_node.html',
      ' (DIR) [3] /127.0.0.1_8080/!123456789012345',
      ' (DIR) [4] gopher://gopher.example.org/1/code/meter',
      '       ',
      '       ## TAGS',
      '       ',
      ' (DIR) Solar',
      ' (DIR) Balcony',
      ' (DIR) Measurements',
      '',
    ].join('\n'));
  });

  it('finds no article in a page of navigation', () => {
    expect(extractFromPage(read('no-article.html'), 'https://example.org/archive/')).toBeUndefined();
  });
});

describe('extracting a feed item', () => {
  it('uses content:encoded, with the summary as lead only when it is not the start of the text', () => {
    const item = { title: 'T', categories: [], base: 'https://example.org/p/1', content: '<p>Body text here.</p>', summary: 'A summary of its own.' };
    expect(extractFromFeed(item)).toMatchObject({ via: 'content:encoded', lead: 'A summary of its own.' });
    expect(extractFromFeed({ ...item, summary: 'Body text [&#8230;]' })?.lead).toBeUndefined();
    expect(extractFromFeed({ ...item, summary: 'An excerpt of its own [&#8230;]' })?.lead).toBe('An excerpt of its own');
    expect(extractFromFeed({ ...item, content: undefined })).toMatchObject({ via: 'summary' });
    expect(extractFromFeed({ ...item, content: undefined, summary: undefined })).toBeUndefined();
  });

  it('dates an item by the feed, else the page, else the day it was first seen', () => {
    const item = { title: 'T', categories: ['A'], base: 'https://example.org/p/1', content: '<p>Body text here.</p>' };
    const file = (i: typeof item & { date?: string }): string => articleFile(buildArticle(extractFromFeed(i)!, i, 'example.org', new Map(), '7 Jul 2025'));
    expect(file(item)).toBe('# example.org -- T\n       \n       Body text here.\n       \n       7 Jul 2025\n       \n       ## TAGS\n       \n (DIR) A\n');
    expect(file({ ...item, date: 'Tue, 01 Apr 2025 10:00:00 +0200' })).toContain('\n       1 Apr 2025\n');
  });
});
