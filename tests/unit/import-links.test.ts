import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { articleId, hashId, siteFolder, siteName } from '../../src/import/ids.js';
import { LinkTable, linkTarget } from '../../src/import/links.js';
import { SITE_RULES } from '../../src/import/site-rules.js';
import { IMPORT_STATE_FILE, loadImportState } from '../../src/import/state.js';

const taz = SITE_RULES.find((r) => r.name === 'taz.de')!;

describe('linkTarget', () => {
  const ctx = { base: 'https://blog.example.org/2025/04/post/', known: new Map([['https://blog.example.org/2025/03/older/', '/blog.example.org/!123456789012345']]) };

  it('makes a link to an imported page an archive link, whatever its #fragment', () => {
    expect(linkTarget('../../03/older/#comments', ctx)).toEqual({ itemType: '1', target: '/blog.example.org/!123456789012345' });
  });

  it('makes web links (HTML) items with the resolved URL, and gopher URLs the item they name', () => {
    expect(linkTarget('/about', ctx)).toEqual({ itemType: 'h', target: 'https://blog.example.org/about' });
    expect(linkTarget('mailto:a@example.org', ctx)).toEqual({ itemType: 'h', target: 'mailto:a@example.org' });
    expect(linkTarget('gopher://example.org/0/a.txt', ctx)).toEqual({ itemType: '0', target: 'gopher://example.org/0/a.txt' });
    expect(linkTarget('gopher://example.org:7070/', ctx)).toEqual({ itemType: '1', target: 'gopher://example.org:7070/1' });
    expect(linkTarget('gopher://example.org/gpic.gif', ctx)).toEqual({ itemType: 'I', target: 'gopher://example.org/gpic.gif' });
  });

  it('drops jumps within the page, scripts, local files and addresses too long for a menu line', () => {
    for (const href of ['#top', 'javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,x', `/${'x'.repeat(600)}`, 'http://[bad']) expect(linkTarget(href, ctx), href).toBeUndefined();
  });

  it("makes links to taz.de's articles and topics its selectors, from taz.de and from the page's own host", () => {
    const t = { base: 'https://taz.de/A/!6090001/', rule: taz, known: new Map<string, string>() };
    expect(linkTarget('/US-Friedensplan/!6080807/', t)).toEqual({ itemType: '1', target: '/US-Friedensplan/!6080807' });
    expect(linkTarget('https://www.taz.de/!t5008150/', t)).toEqual({ itemType: '1', target: '/!t5008150' });
    expect(linkTarget('/Politik/', t)).toEqual({ itemType: 'h', target: 'https://taz.de/Politik/' });
    expect(linkTarget('https://example.org/!6080807/', t)).toEqual({ itemType: 'h', target: 'https://example.org/!6080807/' });
  });

  it('numbers links in the order first cited, one number per target', () => {
    const table = new LinkTable(ctx);
    expect(['/a', '/b', '/a#x', 'javascript:x', '/c'].map((h) => table.cite(h))).toEqual([1, 2, 3, undefined, 4]);
    expect(table.cite('/a')).toBe(1);
    expect(table.lines().map((l) => l.n)).toEqual([1, 2, 3, 4]);
  });
});

describe('ids and folders', () => {
  it("uses the site's own id where its URLs have one, else a stable hash of site and guid (or link)", () => {
    expect(articleId({ site: 'taz.de', url: 'https://taz.de/Windenergie/!6090001/', rule: taz })).toBe('6090001');
    const a = articleId({ site: 'example.org', url: 'https://example.org/p/1', guid: 'urn:1' });
    expect(a).toMatch(/^\d{15}$/);
    expect(articleId({ site: 'example.org', url: 'https://example.org/p/1-renamed', guid: 'urn:1' })).toBe(a);
    expect(articleId({ site: 'other.example', guid: 'urn:1' })).not.toBe(a);
    expect(hashId('x')).toBe(hashId('x'));
  });

  it('names the site by its host and makes it a safe folder name', () => {
    expect(siteName(new URL('https://www.example.org/a'))).toBe('example.org');
    expect(siteName(new URL('http://127.0.0.1:8080/a'))).toBe('127.0.0.1:8080');
    expect(siteName(new URL('https://m.taz.de/a'), taz)).toBe('taz.de');
    expect(siteFolder('127.0.0.1:8080')).toBe('127.0.0.1_8080');
    expect(siteFolder('..')).toBe('site');
    expect(siteFolder('.hidden.example')).toBe('hidden.example');
  });
});

describe('the import state', () => {
  it('drops paths a hand edit made climb out of content/ or name a dotfile', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gp-import-state-'));
    try {
      const article = { selector: '/a/!1', validators: {}, fingerprint: '', firstSeen: '1 Jan 2025' };
      writeFileSync(path.join(dir, IMPORT_STATE_FILE), JSON.stringify({
        format: 1,
        sources: { 'https://a/': { kind: 'feed', validators: {}, articles: ['a/!1.txt'] }, 'https://b/': { kind: 'feed', validators: {}, articles: ['../b/!2.txt'] } },
        articles: { 'a/!1.txt': article, '../../etc/!3.txt': article, '.hidden/!4.txt': article, 'a/b/!5.txt': article, 'a/x.txt': article },
      }));
      const s = await loadImportState(dir);
      expect(Object.keys(s.articles)).toEqual(['a/!1.txt']);
      expect(Object.keys(s.sources)).toEqual(['https://a/']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
