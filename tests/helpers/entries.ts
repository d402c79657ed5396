import fc from 'fast-check';
import type { ArticleEntry } from '../../src/archive/entry.js';

const text = fc.string({ unit: 'grapheme', maxLength: 40 });

/** Any archive entry, as parsing could make it (numeric and slug paths, repeated tags, broken ones). */
export const entryArb = fc.record({
  relPath: fc.oneof(fc.nat(99_999).map((n) => `${n % 7}/!${n}.txt`), text.map((t) => `Slug/${t.replace(/\//g, '')}.txt`)),
  selector: fc.constant(''),
  site: fc.constantFrom('taz.de', 'example.org', ''),
  title: text,
  date: fc.constantFrom('', '2025-04-26', '2024-01-01'),
  tags: fc.uniqueArray(fc.constantFrom('Ukraine', 'Energiewende', 'Bärlauch', 'Ä-ß „Zitat“'), { maxLength: 4 }),
  linkIds: fc.uniqueArray(fc.nat(9_999_999).map(String), { maxLength: 5 }),
  size: fc.nat(1 << 30),
  mtimeMs: fc.double({ min: 0, max: 2e12, noNaN: true }),
  broken: fc.option(fc.constantFrom('unreadable (EACCES)', 'not a regular file'), { nil: undefined }),
});

/** The values a user of the entry can read. */
export const plain = (e: ArticleEntry): object => ({
  relPath: e.relPath, site: e.site, title: e.title, date: e.date, tags: [...e.tags], linkIds: [...e.linkIds], size: e.size, mtimeMs: e.mtimeMs, broken: e.broken,
});
