import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CACHE_FILE, readCache, writeCache } from '../../src/archive/cache.js';
import type { ArticleEntry } from '../../src/archive/entry.js';
import { EntryStore, StoredEntry } from '../../src/archive/entry-store.js';
import { Archive } from '../../src/archive/archive.js';
import { EMPTY_SEGMENT } from '../../src/search/postings.js';
import { tempDir } from '../helpers/tmp.js';
import { entryArb, plain } from '../helpers/entries.js';


describe('the entries section of the start-up cache', () => {
  const dir = tempDir('gopherpress-tables-');

  it('gives every live entry back as document n = store ref n; gone and broken ones stay gone', () => {
    fc.assert(
      fc.property(fc.array(fc.option(entryArb, { freq: 4, nil: undefined }), { maxLength: 60 }), (raw) => {
        // Paths are unique in an archive.
        const seenPaths = new Set<string>();
        const docs = raw.map((e) => (e === undefined || seenPaths.has(e.relPath) ? undefined : (seenPaths.add(e.relPath), e)));
        writeCache(dir, 'v-test', { segment: EMPTY_SEGMENT, docs }).close();
        const back = readCache(dir, 'v-test');
        expect(back).toBeDefined();
        back!.postings.close();
        const store = new EntryStore();
        expect(store.restore(back!.entries)).toBe(true);
        docs.forEach((e, n) => {
          if (e === undefined || e.broken !== undefined) expect(back!.entries.alive[n]).toBe(0);
          else expect(plain(new StoredEntry(store, n))).toEqual(plain(e));
        });
        // The restored store takes new entries in the gaps and keeps the old ones exact.
        const added = store.add({ ...docs.find((e) => e !== undefined) ?? { relPath: 'x/!1.txt', selector: '', site: 's', title: 't', date: '', tags: [], linkIds: [], size: 1, mtimeMs: 1 }, title: 'neu' });
        expect(store.title(added)).toBe('neu');
        docs.forEach((e, n) => {
          if (e !== undefined && e.broken === undefined && n !== added) expect(plain(new StoredEntry(store, n))).toEqual(plain(e));
        });
      }),
      { numRuns: 150 },
    );
  });

  it('is refused when damaged: an offset past the records, or a tag number past the names', () => {
    const e = (n: number): ArticleEntry => ({ relPath: `a/!${n}.txt`, selector: '', site: 'taz.de', title: `T${n}`, date: '2025-01-01', tags: ['Ukraine'], linkIds: [], size: n, mtimeMs: n });
    writeCache(dir, 'v-test', { segment: EMPTY_SEGMENT, docs: [e(1), e(2)] }).close();
    const file = path.join(dir, CACHE_FILE);
    const good = readFileSync(file);
    readCache(dir, 'v-test')!.postings.close();
    // The records end with entry 2's tag number (0, u32 LE): make it 7, with one tag name.
    const bad = Buffer.from(good);
    bad.writeUInt32LE(7, bad.lastIndexOf(Buffer.from('T2')) + 2);
    writeFileSync(file, bad);
    expect(readCache(dir, 'v-test')).toBeUndefined();
    writeFileSync(file, good.subarray(0, good.length - 3));
    expect(readCache(dir, 'v-test')).toBeUndefined();
  });

  it('restores an archive that finds every article by path, id, selector and tag', () => {
    const docs: (ArticleEntry | undefined)[] = [
      { relPath: 'Ukraine/!100.txt', selector: '', site: 'taz.de', title: 'Frieden', date: '2025-01-02', tags: ['Krieg'], linkIds: ['200'], size: 1, mtimeMs: 1 },
      undefined,
      { relPath: '2025/01/!200.txt', selector: '', site: 'taz.de', title: 'Winter', date: '2025-01-03', tags: ['Krieg', 'Wetter'], linkIds: [], size: 2, mtimeMs: 2 },
    ];
    writeCache(dir, 'v-test', { segment: EMPTY_SEGMENT, docs }).close();
    const a = new Archive();
    const cache = readCache(dir, 'v-test')!;
    cache.postings.close();
    expect(a.restoreEntries(cache.entries)).toBe(true);
    expect(a.articleCount).toBe(2);
    expect(a.byId('100')?.selector).toBe('/Ukraine/!100');
    expect(a.bySelector('/!200')?.title).toBe('Winter');
    expect(a.byRelPath('2025/01/!200.txt')).toBe(a.entryOfRef(2));
    expect(a.entryOfRef(1)).toBeUndefined();
    expect(a.tag('krieg')?.entries.size).toBe(2);
    expect([...a.tag('wetter')!.entries].map((x) => x.relPath)).toEqual(['2025/01/!200.txt']);
    expect(a.byTitle('frieden').map((x) => x.relPath)).toEqual(['Ukraine/!100.txt']);
    expect([...a.dir('2025/01')!]).toEqual(['!200.txt']);
  });

  it('is not restored when it names a path twice', () => {
    const e: ArticleEntry = { relPath: 'a/!1.txt', selector: '', site: 'taz.de', title: 'T', date: '', tags: [], linkIds: [], size: 1, mtimeMs: 1 };
    writeCache(dir, 'v-test', { segment: EMPTY_SEGMENT, docs: [e, { ...e }] }).close();
    const cache = readCache(dir, 'v-test')!;
    cache.postings.close();
    expect(new Archive().restoreEntries(cache.entries)).toBe(false);
  });
});
