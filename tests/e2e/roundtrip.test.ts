import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { REPO, dumpBody, lynxDump, startServer, trimTrailing } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The acceptance test of the product: lynx's dump of an article's menu, minus its two heading lines
 * and the first line's indentation, is the article file (trailing white space aside).
 */
/** The fixture archive, and the edge cases of the format kept apart so other tests' counts stay put. */
const CONTENT = path.join(REPO, 'content');
/** The importer's hand-written expected files are articles too: lists, quotes, a lone `.`, every kind of link. */
const ARCHIVES = [CONTENT, path.join(REPO, 'tests/fixtures/archive'), path.join(REPO, 'tests/fixtures/roundtrip'), path.join(REPO, 'tests/fixtures/import')];
const SEED_FILE = path.join(CONTENT, 'Friedensverhandlungen-Ukraine/!6084887.txt');
/** Every article of the bundled content/ and of the fixtures, the seed also under its other selectors. */
const fixtures = [
  { file: SEED_FILE, selectors: ['/!6084887', '/Any-Slug/!6084887'], content: CONTENT },
  ...ARCHIVES.flatMap((content) =>
    readdirSync(content, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.txt') && !f.split('/').some((s) => s.startsWith('.')))
      .map((f) => ({ file: path.join(content, f), selectors: ['/' + f.replace(/\.txt$/, '')], content })),
  ),
];

describe.each([...new Set(fixtures.map((f) => f.content))])('round trip through lynx: %s', (content) => {
  let app: App;
  beforeAll(async () => {
    // A copy: a server writes its start-up cache into the folder it serves, and this one is the repository's.
    app = await startServer(tempDir('gp-roundtrip-', content));
  });
  afterAll(() => app.close());

  for (const f of fixtures.filter((x) => x.content === content)) {
    for (const sel of f.selectors) {
      it(`${path.relative(REPO, f.file)} as ${sel}`, async () => {
        const dump = await lynxDump(`gopher://127.0.0.1:${app.port}/1${sel}`);
        expect(trimTrailing(dumpBody(dump))).toBe(trimTrailing(readFileSync(f.file, 'utf8')));
      });
    }
  }
});
