import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ArticleEntry } from '../../src/archive/entry.js';
import { EntryStore, StoredEntry } from '../../src/archive/entry-store.js';
import { KeyIndex, KeyLists } from '../../src/archive/key-index.js';
import { Archive } from '../../src/archive/archive.js';
import { entryArb, plain } from '../helpers/entries.js';

describe('EntryStore', () => {
  it('gives back every value it was given, through removals and ref reuse', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), entryArb), { minLength: 1, maxLength: 400 }), (ops) => {
        const store = new EntryStore();
        const live = new Map<number, { entry: StoredEntry; want: object }>();
        for (const [remove, data] of ops) {
          if (remove && live.size > 0) {
            const [ref, held] = live.entries().next().value!;
            held.entry.detach();
            // A removed entry keeps its values even after its ref is reused.
            expect(plain(held.entry)).toEqual(held.want);
            live.delete(ref);
          }
          const ref = store.add(data);
          live.set(ref, { entry: new StoredEntry(store, ref), want: plain(data) });
        }
        for (const { entry, want } of live.values()) expect(plain(entry)).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps 20,000 entries exact across the buffer growing and compacting', () => {
    const store = new EntryStore();
    const data = (i: number): ArticleEntry => ({ relPath: `${i % 40}/!${i}.txt`, selector: '', site: 'taz.de', title: `Titel Nummer ${i} – „ß“`, date: '2025-04-26', tags: i % 2 ? ['Ukraine'] : [], linkIds: [String(i * 3)], size: i, mtimeMs: i * 1000 });
    const live = new Map<number, number>(); // ref → i
    for (let i = 0; i < 20_000; i++) {
      live.set(store.add(data(i)), i);
      // Every third step drops the oldest: dead records pile up and the buffer compacts.
      if (i % 3 === 0) {
        const [ref] = live.keys();
        store.remove(ref!);
        live.delete(ref!);
      }
    }
    expect(live.size).toBe(13_333);
    for (const [ref, i] of live) expect(plain(new StoredEntry(store, ref))).toEqual(plain(data(i)));
  });
});

describe('KeyIndex and KeyLists', () => {
  it('answer like a Map through sets, replacements, deletes and resizes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('set', 'delete'), fc.nat(3000)), { maxLength: 3000 }), (ops) => {
        // Key of ref r is `k<r mod 1000>`: several refs share a key, as files sharing an id do.
        const keyOf = (r: number): string => `k${r % 1000}`;
        const index = new KeyIndex(keyOf);
        const model = new Map<string, number>();
        for (const [op, r] of ops) {
          if (op === 'set') {
            index.set(keyOf(r), r);
            model.set(keyOf(r), r);
          } else {
            index.delete(keyOf(r));
            model.delete(keyOf(r));
          }
        }
        expect(index.size).toBe(model.size);
        for (let k = 0; k < 1000; k++) expect(index.get(`k${k}`)).toBe(model.get(`k${k}`) ?? -1);
      }),
      { numRuns: 100 },
    );
  });

  it('keep every ref of a key in the order added, whichever is removed', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(500)), { maxLength: 1500 }), (ops) => {
        const keyOf = (r: number): string => `t${r % 37}`;
        const lists = new KeyLists(keyOf);
        const model = new Map<string, number[]>();
        const present = new Set<number>();
        for (const [add, r] of ops) {
          const key = keyOf(r);
          if (add && !present.has(r)) {
            lists.add(key, r);
            present.add(r);
            model.set(key, [...(model.get(key) ?? []), r]);
          } else if (!add && present.has(r)) {
            lists.remove(key, r);
            present.delete(r);
            model.set(key, model.get(key)!.filter((x) => x !== r));
          }
        }
        for (let k = 0; k < 37; k++) expect(lists.get(`t${k}`)).toEqual(model.get(`t${k}`) ?? []);
      }),
      { numRuns: 200 },
    );
  });
});

describe('Archive over the packed store', () => {
  it('finds articles by path, id, selector and title, and forgets them when removed', () => {
    const a = new Archive();
    const mk = (relPath: string, title: string, date = '2025-01-02'): ArticleEntry => ({ relPath, selector: '', site: 'taz.de', title, date, tags: ['Krieg'], linkIds: [], size: 1, mtimeMs: 1 });
    a.apply([{ kind: 'article', entry: mk('Ukraine/!100.txt', 'Frieden jetzt'), text: 'frieden' }, { kind: 'article', entry: mk('2025/01/!200.txt', 'Frieden, jetzt!', '2025-01-03'), text: 'frieden' }]);
    expect(a.byId('100')?.selector).toBe('/Ukraine/!100');
    expect(a.bySelector('/!200')?.relPath).toBe('2025/01/!200.txt');
    // Same folded title: newest first, whichever came first.
    expect(a.byTitle('FRIEDEN JETZT').map((e) => e.relPath)).toEqual(['2025/01/!200.txt', 'Ukraine/!100.txt']);
    expect([...a.dir('2025/01')!]).toEqual(['!200.txt']);
    expect(a.tag('krieg')?.entries.size).toBe(2);
    const held = a.byId('100')!;
    a.apply([{ kind: 'remove', relPath: 'Ukraine/!100.txt' }, { kind: 'article', entry: mk('Neu/!300.txt', 'Anders'), text: 'anders' }]);
    expect(a.byId('100')).toBeUndefined();
    expect(held.title).toBe('Frieden jetzt');
    expect(a.byTitle('frieden jetzt').map((e) => e.relPath)).toEqual(['2025/01/!200.txt']);
    expect(a.byId('300')?.title).toBe('Anders');
    expect(a.search.matchAll(['frieden']).map((e) => e.relPath)).toEqual(['2025/01/!200.txt']);
  });
});
