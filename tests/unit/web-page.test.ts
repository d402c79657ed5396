import { describe, expect, it } from 'vitest';
import { info, link } from '../../src/protocol/menu-item.js';
import { errorPage, renderPage } from '../../src/web/page.js';
import { escapeHtml } from '../../src/web/escape-html.js';
import { itemHref, parseWebPath } from '../../src/web/urls.js';
import { escapeXml, renderFeed } from '../../src/web/feed.js';

describe('gopher URL paths (RFC 4266) as web paths', () => {
  it('reads type and selector, percent-encoded or not', () => {
    expect(parseWebPath('/')).toEqual({ itemType: '1', selector: '' });
    expect(parseWebPath('/1')).toEqual({ itemType: '1', selector: '', asSelector: '/1' });
    expect(parseWebPath('/1/')).toEqual({ itemType: '1', selector: '/', asSelector: '/1/' });
    expect(parseWebPath('/1/!6084887')).toEqual({ itemType: '1', selector: '/!6084887', asSelector: '/1/!6084887' });
    expect(parseWebPath('/1/%216084887')).toEqual({ itemType: '1', selector: '/!6084887', asSelector: '/1/!6084887' });
    expect(parseWebPath('/1/tag/%C3%96kologie')).toMatchObject({ itemType: '1', selector: '/tag/Ökologie' });
    expect(parseWebPath('/1/tag/%D6kologie')).toMatchObject({ itemType: '1', selector: '/tag/Ökologie' });
    expect(parseWebPath('/hURL:https://taz.de/')).toEqual({ itemType: 'h', selector: 'URL:https://taz.de/' });
  });

  it('takes a query after %09 or from ?q=', () => {
    expect(parseWebPath('/7/search%09Rom%20Papst')).toEqual({ itemType: '7', selector: '/search', query: 'Rom Papst', asSelector: '/7/search' });
    expect(parseWebPath('/7/search', 'Rom')).toEqual({ itemType: '7', selector: '/search', query: 'Rom', asSelector: '/7/search' });
  });

  it('reads any other path as a selector: no first letter taken for an item type', () => {
    expect(parseWebPath('/Friedensverhandlungen-Ukraine/!6084887')).toEqual({ selector: '/Friedensverhandlungen-Ukraine/!6084887' });
    expect(parseWebPath('/favicon.ico')).toEqual({ selector: '/favicon.ico' });
    expect(parseWebPath('/gopherpress/!1')).toEqual({ selector: '/gopherpress/!1' });
    expect(parseWebPath('/x')).toEqual({ selector: '/x' });
    expect(parseWebPath('/x/y')).toEqual({ selector: '/x/y' });
    expect(parseWebPath('/1foo')).toEqual({ selector: '/1foo' });
    expect(parseWebPath('/search', 'Rom')).toEqual({ selector: '/search', query: 'Rom' });
    expect(parseWebPath('/search%09Rom')).toEqual({ selector: '/search', query: 'Rom' });
  });

  it('refuses what is no path', () => {
    for (const bad of ['', 'x', '/1/%zz', '/1/%2', '/1/a%0Ab', '/1/a%0Db', '/1/a%00', '/%0A', '/1/a%09b%09c', '/a%0Ab']) {
      expect(parseWebPath(bad), bad).toBeUndefined();
    }
  });
});

describe('where an item leads in a browser', () => {
  it('this server: the web view; other hosts: gopher://; URL: items: the address; telnet: telnet://', () => {
    expect(itemHref(link('1', 'x', '/Slug/!1'))).toBe('/1/Slug/!1');
    expect(itemHref(link('1', 'x', '/a b/ä?#%'))).toBe('/1/a%20b/%C3%A4%3F%23%25');
    expect(itemHref(link('1', 'x', '/Slug/!1', 'taz.de', 70))).toBe('gopher://taz.de/1/Slug/!1');
    expect(itemHref(link('0', 'x', '/a', '::1', 7070))).toBe('gopher://[::1]:7070/0/a');
    expect(itemHref(link('h', 'x', 'URL:https://taz.de/!6084887/'))).toBe('https://taz.de/!6084887/');
    expect(itemHref(link('h', 'x', 'URL:javascript:alert(1)'))).toBeUndefined();
    expect(itemHref(link('8', 'x', '', 'bbs.example', 23))).toBe('telnet://bbs.example/');
    expect(itemHref(info('x'))).toBeUndefined();
  });
});

describe('a menu as a page', () => {
  it('is one <pre> in the gateway format, every text escaped', () => {
    const html = renderPage([
      info('# taz.de -- A <b>title</b>'),
      info(''),
      info('', true),
      info('   ', true),
      info('text & more  '),
      link('1', 'Tag "x"', '/tag/x'),
      link('I', 'Bild: <img>', '/a.jpg'),
      link('0', 'Plain', '/a.txt'),
      link('3', 'An error', ''),
      link('7', 'Search', '/search'),
      { ...link('0', 'Datei', '/d.txt'), label: '(FILE) ' },
    ]);
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n')).toBe(true);
    expect(html).toContain('<title>A &#60;b&#62;title&#60;/b&#62; – taz.de</title>');
    expect(html).toContain('<link rel="alternate" type="application/atom+xml" title="Newest articles" href="/feed.xml">');
    const pre = html.slice(html.indexOf('<pre>\n') + 6, html.indexOf('\n</pre>'));
    expect(pre.split('\n')).toEqual([
      '       # taz.de -- A &#60;b&#62;title&#60;/b&#62;',
      '       ',
      '',
      '   ',
      '       text &#38; more  ',
      ' (DIR) <a href="/1/tag/x">Tag &#34;x&#34;</a>',
      ' (IMG) <a href="/I/a.jpg">Bild: &#60;img&#62;</a>',
      ' (TXT) <a href="/0/a.txt">Plain</a>',
      ' (ERR) An error',
      ' (QRY) <label for="s1q">Search</label><input id="s1q" form="s1" name="q" type="search" size="24"><input form="s1" type="submit" value="Search">',
      '(FILE) <a href="/0/d.txt">Datei</a>',
    ]);
    expect(html).toContain('</pre>\n<form id="s1" action="/7/search" method="get" role="search"></form>\n</body>');
    expect(html).not.toContain('<script');
  });

  it('has no lang where the menu does not say, and shows an error with the way back', () => {
    const html = errorPage('Resource not found');
    expect(html).toContain('<html>\n');
    expect(html).toContain('<pre>\n       # Resource not found\n       \n (DIR) <a href="/1/">Back to the front page</a>\n</pre>');
  });

  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  });
});

describe('the Atom feed', () => {
  it('escapes text and drops what XML cannot carry', () => {
    expect(escapeXml('a\u0001b & <c>\u000b')).toBe('ab &#38; &#60;c&#62;');
  });

  it('lists the entries as given, with ids and links', () => {
    const xml = renderFeed({ title: 'example.org', origin: { host: 'example.org', port: 70 }, version: '1.0.0' }, [
      { selector: '/Slug/!2', title: 'Zwei', updated: '2025-05-02T00:00:00Z', teaser: 'Der Vorspann.' },
      { selector: '/Slug/!1', title: 'Eins', updated: '2025-05-01T00:00:00Z', teaser: '' },
    ]);
    expect(xml).toBe(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>gopher://example.org/1/</id>
  <title>example.org</title>
  <updated>2025-05-02T00:00:00Z</updated>
  <author><name>example.org</name></author>
  <generator version="1.0.0">gopherpress</generator>
  <link rel="self" type="application/atom+xml" href="/feed.xml"/>
  <link rel="alternate" type="text/html" href="/"/>
  <entry>
    <id>gopher://example.org/1/Slug/!2</id>
    <title>Zwei</title>
    <updated>2025-05-02T00:00:00Z</updated>
    <summary>Der Vorspann.</summary>
    <link rel="alternate" type="text/html" href="/1/Slug/!2"/>
    <link rel="alternate" href="gopher://example.org/1/Slug/!2"/>
  </entry>
  <entry>
    <id>gopher://example.org/1/Slug/!1</id>
    <title>Eins</title>
    <updated>2025-05-01T00:00:00Z</updated>
    <summary>Eins</summary>
    <link rel="alternate" type="text/html" href="/1/Slug/!1"/>
    <link rel="alternate" href="gopher://example.org/1/Slug/!1"/>
  </entry>
</feed>
`);
  });
});
