import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Archive, type Change } from '../../src/archive/archive.js';
import type { ArticleEntry } from '../../src/archive/entry.js';
import { slugify } from '../../src/archive/selectors.js';

const TAGS = ['Ukraine', 'Energiewende', 'Bärlauch', 'Klima'];

const article = (n: number, tags: readonly string[]): ArticleEntry => ({
  relPath: `${n % 3}/!${1000 + n}.txt`, selector: '', site: 'taz.de', title: `T${n}`, date: '2025-01-01', tags, linkIds: [], size: n, mtimeMs: n,
});

/**
 * The tag index is built on first use (tag-index.ts): whatever the archive went through before and
 * after that moment, every tag lists exactly the live articles that carry it.
 */
describe('the tag index, built on first use', () => {
  it('lists exactly the live articles of every tag, whenever it is first asked', () => {
    const step = fc.record({ n: fc.nat(11), tags: fc.subarray(TAGS), remove: fc.boolean() });
    fc.assert(
      fc.property(fc.array(fc.array(step, { maxLength: 6 }), { maxLength: 8 }), fc.nat(8), (batches, askAt) => {
        const a = new Archive();
        // The start-up listing first (it names every path once, so it replaces nothing); then changes.
        a.apply([{ kind: 'dir', relDir: '0' }]);
        const live = new Map<string, readonly string[]>();
        batches.forEach((batch, i) => {
          if (i === askAt) a.tag('ukraine');
          const changes: Change[] = batch.map((s) => {
            const e = article(s.n, s.tags);
            if (s.remove) live.delete(e.relPath);
            else live.set(e.relPath, s.tags);
            return s.remove ? { kind: 'remove', relPath: e.relPath } : { kind: 'article', entry: e };
          });
          a.apply(changes);
        });
        for (const tag of TAGS) {
          const want = [...live].filter(([, tags]) => tags.includes(tag)).map(([p]) => p).sort();
          const got = [...(a.tag(slugify(tag))?.entries ?? [])].map((e) => e.relPath).sort();
          expect(got, tag).toEqual(want);
        }
      }),
      { numRuns: 300 },
    );
  });
});
