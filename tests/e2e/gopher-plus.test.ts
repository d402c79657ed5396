import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { REPO, gopher, startServer } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Debian's `gopher` (the UMN client) opens a server with the Gopher+ request `TAB $` and says
 * "Nothing received for main menu" unless the answer is `+-1` and one `+INFO:` block per item,
 * which is what Gophernicus sends. Every other request it makes is plain RFC 1436.
 */
describe('Gopher+ directory requests from the UMN gopher client', () => {
  let app: App;
  beforeAll(async () => {
    // A copy: a server writes its start-up cache into the folder it serves, and this one is the repository's.
    app = await startServer(tempDir('gp-plus-', path.join(REPO, 'content')));
  });
  afterAll(() => app.close());

  it.each(['', '/Friedensverhandlungen-Ukraine/!6084887'])('answers %j TAB $ with +-1 and a +INFO line per item', async (sel) => {
    const plain = (await gopher(app.port, sel)).split('\r\n');
    const plus = (await gopher(app.port, sel, '$')).split('\r\n');
    expect(plus[0]).toBe('+-1');
    // The same items as the plain menu, each as its own +INFO block, then the final dot.
    expect(plus.slice(1)).toEqual(plain.map((l) => (l === '.' || l === '' ? l : `+INFO: ${l}`)));
  });

  it('still answers a plain request with a plain menu', async () => {
    expect((await gopher(app.port, '')).startsWith('i')).toBe(true);
  });
});
