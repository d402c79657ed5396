import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { dateLine } from '../../src/import/dates.js';
import { charsetOf, decodePage } from '../../src/import/decode-page.js';
import { FeedError, parseFeedDocument } from '../../src/import/feed.js';
import { HttpError } from '../../src/import/http.js';
import { classify } from '../../src/import/sources.js';
import { IMPORT_FIXTURES, fixture } from '../helpers/web-fixtures.js';

const BASE = 'http://127.0.0.1:8080';
const feed = (name: string, url: string) => {
  const doc = parseFeedDocument(fixture(name, BASE).toString('utf8'), url);
  if (doc.kind !== 'feed') throw new Error('not a feed');
  return doc;
};

describe('parseFeedDocument', () => {
  it('reads a WordPress RSS feed: links, guids, dates as written, categories, content:encoded and description', () => {
    const f = feed('wordpress.rss', `${BASE}/blog/feed/`);
    expect(f.format).toBe('RSS');
    expect(f.items.map((i) => [i.title, i.link, i.guid, i.date, i.categories])).toEqual([
      ['Balcony solar, one year on', `${BASE}/blog/2025/04/balcony-solar/`, `${BASE}/blog/?p=41`, 'Sun, 27 Apr 2025 08:15:00 +0000', ['Solar', 'Measurements']],
      ['Reading the meter', `${BASE}/blog/2025/03/meter-reading/`, `${BASE}/blog/?p=37`, 'Sat, 29 Mar 2025 23:30:00 -0200', ['Solar', 'Tinkering']],
    ]);
    expect(f.items[1]!.content).toContain('<h3>What you need</h3>');
    expect(f.items[0]!.summary).toContain('A year ago');
  });

  it('reads an Atom feed: relative links resolved against xml:base and the feed address, html and xhtml content, labels for tags', () => {
    const f = feed('atom.xml', `${BASE}/atom/feed.xml`);
    expect(f.items.map((i) => [i.title, i.link, i.guid, i.date, i.categories, i.base])).toEqual([
      ['Beans & peas in April', `${BASE}/atom/posts/beans-and-peas.html`, 'tag:notes.example.org,2025:beans', '2025-04-30T22:10:00-05:00', ['Garden', 'sowing'], `${BASE}/atom/`],
      ['Compost, turned', `${BASE}/atom/posts/compost.html`, 'tag:notes.example.org,2025:compost', '2025-04-12T07:30:00+01:00', ['Garden'], `${BASE}/atom/`],
    ]);
    expect(f.items[0]!.content).toContain('<a href="../plans/2025.html">');
    expect(f.items[1]!.content).toContain('<strong>55 °C</strong>');
  });

  it('reads a JSON Feed: content_html, content_text as paragraphs, tags', () => {
    const f = feed('feed.json', `${BASE}/json/feed.json`);
    expect(f.format).toBe('JSON Feed');
    expect(f.items.map((i) => [i.title, i.link, i.guid, i.date, i.categories])).toEqual([
      ['Antenna up', `${BASE}/json/items/2`, '2', '2025-04-20T10:00:00+02:00', ['Radio', 'Antennas']],
      ['Beacon log', `${BASE}/json/items/1`, '1', '2025-04-13T06:00:00+02:00', ['Radio']],
    ]);
    expect(f.items[1]!.content).toBe('<p>Seven days of listening to the beacon.</p><p>Signal strength was best at dawn.</p>');
  });

  it('reads an RSS 1.0 (RDF) feed: its rdf:about as the id, Dublin Core dates and subjects', () => {
    const rdf = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="${BASE}/rdf"><title>Old News</title><link>${BASE}/</link><description>d</description></channel>
  <item rdf:about="${BASE}/rdf/1"><title>First</title><link>/rdf/1.html</link><description>One.</description>
    <dc:date>2004-02-29T23:59:00+09:00</dc:date><dc:subject>History</dc:subject></item>
</rdf:RDF>`;
    const doc = parseFeedDocument(rdf, `${BASE}/rdf.xml`);
    expect(doc).toEqual({ kind: 'feed', format: 'RDF', title: 'Old News', items: [
      { title: 'First', link: `${BASE}/rdf/1.html`, guid: `${BASE}/rdf/1`, date: '2004-02-29T23:59:00+09:00', categories: ['History'], content: undefined, summary: 'One.', base: `${BASE}/rdf/1.html` },
    ] });
  });

  it('reads an OPML list as its feeds, nested outlines included', () => {
    expect(parseFeedDocument(fixture('opml.xml', BASE).toString('utf8'), `${BASE}/feeds.opml`)).toEqual({
      kind: 'opml', feeds: [`${BASE}/blog/feed/`, `${BASE}/atom/feed.xml`, `${BASE}/json/feed.json`],
    });
  });

  it('throws a FeedError for a feed cut off in the middle', () => {
    expect(() => parseFeedDocument('<?xml version="1.0"?><rss version="2.0"><channel><item><title>Cut', BASE)).toThrow(FeedError);
    expect(() => parseFeedDocument('{"version": "https://jsonfeed.org/version/1.1", "items": [', BASE)).toThrow(FeedError);
  });
});

describe('classify', () => {
  it('tells feeds, OPML and pages by type and content, and refuses what is neither', () => {
    expect(classify(fixture('atom.xml', BASE), 'text/html', BASE).kind).toBe('feed');
    expect(classify(fixture('opml.xml', BASE), 'text/x-opml', BASE).kind).toBe('opml');
    expect(classify(fixture('no-article.html', BASE), undefined, BASE).kind).toBe('page');
    expect(classify(fixture('no-article.html', BASE), 'text/plain', BASE).kind).toBe('page');
    expect(() => classify(Buffer.from('89504e47', 'hex'), 'image/png', BASE)).toThrow(new HttpError('not an HTML page or a feed (image/png)'));
  });
});

describe('charsets', () => {
  const cp1252 = readFileSync(path.join(IMPORT_FIXTURES, 'cp1252-article.html'));

  it('reads a Windows-1252 page declared iso-8859-1 in its <meta> with „ “ – € right (not as Latin-1 controls)', () => {
    expect(charsetOf(cp1252, 'text/html')).toBe('windows-1252');
    const text = decodePage(cp1252, 'text/html');
    expect(text).toContain('„Das ist ein Anfang – mehr nicht“');
    expect(text).toContain('125 € weniger');
    expect(text).not.toMatch(/[\x80-\x9f]/);
  });

  it('takes the HTTP header over the page, a BOM over the page, and detects UTF-8 or Windows-1252 without either', () => {
    expect(charsetOf(Buffer.from('<meta charset="utf-8">'), 'text/html; charset=ISO-8859-1')).toBe('windows-1252');
    expect(charsetOf(Buffer.from('\ufeff<meta charset="windows-1252">'), 'text/html')).toBe('utf-8');
    expect(charsetOf(Buffer.from('<?xml version="1.0" encoding="ISO-8859-15"?><rss/>'), 'application/xml')).toBe('iso-8859-15');
    expect(decodePage(Buffer.from('<p>„ü“</p>'), undefined)).toBe('<p>„ü“</p>');
    expect(decodePage(iconv.encode('<p>„ü“ €</p>', 'windows-1252'), undefined)).toBe('<p>„ü“ €</p>');
  });
});

describe('dateLine', () => {
  it('keeps the day the source wrote, in its own time zone', () => {
    expect(dateLine('Sat, 29 Mar 2025 23:30:00 -0200')).toBe('29 Mar 2025'); // 30 Mar in UTC
    expect(dateLine('2025-04-30T22:10:00-05:00')).toBe('30 Apr 2025'); // 1 May in UTC
    expect(dateLine('2025-05-02T00:41:00+02:00')).toBe('2 May 2025'); // 1 May in UTC
    expect(dateLine('2025-05-14')).toBe('14 May 2025');
    expect(dateLine('Sun, 27 Apr 2025 08:15:00 GMT')).toBe('27 Apr 2025');
    expect(dateLine('27 Apr 25 08:15 EST')).toBe('27 Apr 2025');
  });

  it('refuses what is no date', () => {
    for (const bad of ['', 'gestern', '2025-02-30T10:00:00Z', '31 Apr 2025', 'Mon, 32 Jan 2025']) expect(dateLine(bad), bad).toBeUndefined();
  });
});
