import { describe, expect, it } from 'vitest';
import { parseRequest } from '../../src/protocol/request.js';
import { relPathOfSelector } from '../../src/archive/content-path.js';
import { slugify, idOfSelector, articleSelector } from '../../src/archive/selectors.js';

describe('parseRequest', () => {
  const p = (s: string | Buffer) => parseRequest(Buffer.isBuffer(s) ? s : Buffer.from(s, 'utf8'));
  it('reads a selector, a query after TAB, and Gopher+ markers', () => {
    expect(p('')).toEqual({ selector: '' });
    expect(p('/!6084887')).toEqual({ selector: '/!6084887' });
    expect(p('/search\tTrump Rom')).toEqual({ selector: '/search', query: 'Trump Rom' });
    expect(p('/x\t+')).toEqual({ selector: '/x', gopherPlus: '+' });
    expect(p('/x\t$')).toEqual({ selector: '/x', gopherPlus: '$' });
    expect(p('/search\twort\t+')).toEqual({ selector: '/search', query: 'wort', gopherPlus: '+' });
  });
  it('decodes a UTF-8 query, and a Latin-1 one', () => {
    expect(p('/search\tFührung').query).toBe('Führung');
    expect(p(Buffer.from('/search\tF\xfchrung', 'latin1')).query).toBe('Führung');
  });
});

describe('the selector scheme', () => {
  it('slugifies German titles to ASCII', () => {
    expect(slugify('Podcast „Bundestalk“')).toBe('Podcast-Bundestalk');
    expect(slugify('Rückschau für Straßen')).toBe('Rueckschau-fuer-Strassen');
    expect(slugify('+++ Nachrichten +++')).toBe('Nachrichten');
  });
  it('finds article ids in any slug form', () => {
    expect(idOfSelector('/!6084887')).toEqual({ id: '6084887', text: false });
    expect(idOfSelector('/Some-Slug/!6084887')).toEqual({ id: '6084887', text: false });
    expect(idOfSelector('/a/b/!6084887.txt')).toEqual({ id: '6084887', text: true });
    // taz.de's section and tag pages: `!p` and `!t` before the digits.
    expect(idOfSelector('/Slug/!t5008150')).toEqual({ id: 't5008150', text: false });
    expect(idOfSelector('/!p4611.txt')).toEqual({ id: 'p4611', text: true });
    expect(idOfSelector('/Slug/!x5008150')).toBeUndefined();
  });
  it('gives id files in a top folder their folder as slug', () => {
    expect(articleSelector('Slug/!1.txt')).toBe('/Slug/!1');
    expect(articleSelector('!1.txt')).toBe('/!1');
    expect(articleSelector('2025/05/01/!1.txt')).toBe('/!1');
    expect(articleSelector('notes/a.txt')).toBe('/notes/a');
  });
  it('never maps a selector outside content/ or to a dotfile', () => {
    for (const bad of ['../etc/passwd', '/../../etc/passwd', '/a/../../b', '%2e%2e/x', '/.git/config', '/a/.hidden', 'a\\..\\b', '/x\0y', '%E0%A4%A']) {
      expect(relPathOfSelector(bad), bad).toBeUndefined();
    }
    expect(relPathOfSelector('/a/b.gif')).toBe('a/b.gif');
    expect(relPathOfSelector('%252e%252e/x')).toBe('%2e%2e/x');
  });
});
